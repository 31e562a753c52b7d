import type { Context } from '@aws-appsync/utils';
import { providerReadRequest, requireOwner } from '../lib/ownership';
import { requireId } from '../lib/validate';

export function request(ctx: Context<{ input: { providerId: string } }>) {
  return providerReadRequest(ctx, requireId('input.providerId', ctx.args.input.providerId), false);
}

export function response(ctx: Context) {
  const provider = requireOwner(ctx, 'Unauthorized', `Provider ${ctx.args.input.providerId}`);
  ctx.stash.provider = provider;
  return provider;
}
