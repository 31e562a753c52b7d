// Step 1: input checks, then the idempotency record for (user, idempotencyKey) if a key was sent.
import type { Context } from '@aws-appsync/utils';
import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { fail, failOnDataSourceError, invalid } from '../lib/errors';
import { callerId } from '../lib/identity';
import { requirePlaced } from '../lib/bookings';
import { idempotencyKeyOf, parseSlotId } from '../lib/keys';
import { onlyIf } from '../lib/pipeline';
import { optionalText } from '../lib/validate';

type Args = { input: { slotId: string; notes?: string | null; idempotencyKey?: string | null } };

export function request(ctx: Context<Args>) {
  const { input } = ctx.args;
  const userId = callerId(ctx);
  if (!userId) fail('Unauthorized', 'Sign in to book a slot');
  const slot = parseSlotId(input.slotId);
  if (!slot) invalid('input.slotId', 'is not a valid slot id');
  const notes = optionalText('input.notes', input.notes, 500);
  const key = input.idempotencyKey;
  if (key !== null && key !== undefined) {
    if (key.length === 0 || key.length > 64) invalid('input.idempotencyKey', 'must be 1 to 64 characters');
    if (!util.matches('[A-Za-z0-9_.:-]+', key)) invalid('input.idempotencyKey', 'may use letters, digits and _ . : - only');
  }
  ctx.stash.userId = userId;
  ctx.stash.slotRef = slot;
  ctx.stash.notes = notes;
  ctx.stash.idempotencyKey = key || null;
  onlyIf(ctx, !!key);
  return ddb.get({ key: idempotencyKeyOf(userId, key as string), consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  if (ctx.result) {
    requirePlaced(ctx.result);
    ctx.stash.replayOf = ctx.result.bookingId;
  }
  return null;
}
