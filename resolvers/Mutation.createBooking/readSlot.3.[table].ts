// Step 3: fail early and precisely (NotFound, SlotTaken, SlotHeld, past) before trying the hold.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { fail, failOnDataSourceError, invalid } from '../lib/errors';
import { isHoldLive, type SlotItem } from '../lib/items';
import { slotKey, type SlotRef } from '../lib/keys';
import { onlyIf } from '../lib/pipeline';
import { msOf, nowMs } from '../lib/time';

export function request(ctx: Context) {
  onlyIf(ctx, !ctx.stash.booking);
  const ref = ctx.stash.slotRef as SlotRef;
  return ddb.get({ key: slotKey(ref.providerId, ref.startUtcIso), consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  const slot = ctx.result as SlotItem | null;
  const id = ctx.args.input.slotId;
  if (!slot) return fail('NotFound', `Slot ${id} does not exist`);
  const now = nowMs();
  if (msOf(slot.startTime) <= now) invalid('input.slotId', 'is a slot in the past');
  if (slot.status === 'BOOKED') fail('SlotTaken', `Slot ${id} is already booked`);
  if (isHoldLive(slot, now)) {
    const message = `Slot ${id} is held by another booking until ${slot.holdExpiresAt}`;
    // Held by this user and a key was sent: maybe by a concurrent request with the same key, which
    // committed between our idempotency read and this one. The raced step tells which.
    if (!ctx.stash.idempotencyKey || slot.heldBy !== ctx.stash.userId) fail('SlotHeld', message);
    ctx.stash.lostIdempotencyRace = true;
    ctx.stash.raceFallback = { type: 'SlotHeld', message };
    return null;
  }
  ctx.stash.slot = slot;
  return null;
}
