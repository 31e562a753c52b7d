// Step 5: only after a possible idempotency race (the hold failed, or the slot is held by this user,
// and a key was sent): a concurrent request with the same key won if its record exists, and this
// one answers with its booking; otherwise the failure found on the way stands.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { failOnDataSourceError, fail } from '../lib/errors';
import { idempotencyKeyOf } from '../lib/keys';
import { onlyIf } from '../lib/pipeline';
import { requirePlaced, requireSameSlot } from '../lib/bookings';

export function request(ctx: Context) {
  onlyIf(ctx, !!ctx.stash.lostIdempotencyRace);
  return ddb.get({ key: idempotencyKeyOf(ctx.stash.userId as string, ctx.stash.idempotencyKey as string), consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  const fallback = ctx.stash.raceFallback as { type: 'SlotHeld' | 'SlotUnavailable' | 'TooManyHolds'; message: string } | null;
  if (!ctx.result && fallback) fail(fallback.type, fallback.message);
  if (!ctx.result) fail('SlotUnavailable', 'A concurrent request with the same idempotency key failed; retry');
  requirePlaced(ctx.result);
  ctx.stash.booking = requireSameSlot(ctx.result.booking, ctx.args.input.slotId);
  return null;
}
