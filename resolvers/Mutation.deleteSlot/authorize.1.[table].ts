import type { Context } from '@aws-appsync/utils';
import { invalid } from '../lib/errors';
import { parseSlotId } from '../lib/keys';
import { providerReadRequest, requireOwner } from '../lib/ownership';

export function request(ctx: Context<{ id: string }>) {
  const ref = parseSlotId(ctx.args.id);
  if (!ref) return invalid('id', 'is not a valid slot id');
  ctx.stash.slotRef = ref;
  return providerReadRequest(ctx, ref.providerId, false);
}

export function response(ctx: Context) {
  return requireOwner(ctx, 'Unauthorized', `Slot ${ctx.args.id}`);
}
