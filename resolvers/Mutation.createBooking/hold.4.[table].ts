// Step 4: one transaction takes the hold: slot → HELD, hold marker with its TTL, the user's
// active-hold counter under MAX_ACTIVE_HOLDS, and the idempotency record. All or nothing.
import type { Context } from '@aws-appsync/utils';
import { util } from '@aws-appsync/utils';
import { fail, failOnDataSourceError } from '../lib/errors';
import { countHold, holdSlot } from '../lib/holds';
import type { BookingItem, SlotItem } from '../lib/items';
import { holdKey, idempotencyKeyOf, type SlotRef } from '../lib/keys';
import { envNumber, onlyIf } from '../lib/pipeline';
import { isoOf, nowMs } from '../lib/time';
import { cancellationReasons, cancelledByCondition, cancelledByConflict, failedCondition, transactWrite, txPut } from '../lib/transact';

/** Idempotency records outlive any retry a client would make. */
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export function request(ctx: Context) {
  onlyIf(ctx, !ctx.stash.booking && !ctx.stash.lostIdempotencyRace);
  const table = ctx.env.TABLE_NAME;
  const ref = ctx.stash.slotRef as SlotRef;
  const slot = ctx.stash.slot as SlotItem;
  const userId = ctx.stash.userId as string;
  const holdSeconds = envNumber(ctx, 'HOLD_SECONDS');
  const maxHolds = envNumber(ctx, 'MAX_ACTIVE_HOLDS');
  const now = nowMs();
  const expiresMs = now + holdSeconds * 1000;
  const booking: BookingItem = {
    id: util.autoUlid(),
    slotId: slot.slotId,
    providerId: slot.providerId,
    userId,
    status: 'PENDING',
    startTime: slot.startTime,
    endTime: slot.endTime,
    holdExpiresAt: isoOf(expiresMs),
    notes: ctx.stash.notes as string | null,
    idempotencyKey: ctx.stash.idempotencyKey as string | null,
    createdAt: isoOf(now),
    updatedAt: isoOf(now),
  };
  ctx.stash.booking = booking;
  ctx.stash.holdSeconds = holdSeconds;
  const notExists = { expression: 'attribute_not_exists(#c_pk)', names: { '#c_pk': 'PK' } };
  const items: unknown[] = [
    holdSlot(table, ref, booking.id, userId, booking.holdExpiresAt as string, isoOf(now)),
    txPut(
      table,
      holdKey(booking.id),
      { entity: 'HOLD', bookingId: booking.id, slotId: booking.slotId, userId, providerId: booking.providerId, ttl: Math.ceil(expiresMs / 1000), booking },
      notExists,
    ),
    countHold(table, userId, maxHolds),
  ];
  const key = ctx.stash.idempotencyKey as string | null;
  if (key) {
    const ttl = Math.ceil(now / 1000) + IDEMPOTENCY_TTL_SECONDS;
    // Not yet queued: retries with the key are told to retry until the settle step marks it.
    items.push(txPut(table, idempotencyKeyOf(userId, key), { entity: 'IDEMPOTENCY', bookingId: booking.id, booking, ttl, enqueued: false }, notExists));
  }
  return transactWrite(items);
}

export function response(ctx: Context) {
  const reasons = cancellationReasons(ctx.result);
  if (ctx.error && (cancelledByCondition(ctx.result) || cancelledByConflict(ctx.result))) {
    const tooMany = failedCondition(reasons[2]);
    const taken = failedCondition(reasons[0]);
    const type = tooMany ? 'TooManyHolds' : 'SlotUnavailable';
    // A bare conflict (no condition failed) is another write to the slot or to this user's hold
    // counter at the same moment: nothing is decided yet, so the advice is to retry.
    const message = tooMany
      ? `You already hold ${envNumber(ctx, 'MAX_ACTIVE_HOLDS')} slots; confirm or cancel one first`
      : taken
        ? `Slot ${ctx.args.input.slotId} was taken while your hold was being placed; pick another slot`
        : `Slot ${ctx.args.input.slotId} changed at the same moment as your hold; try again`;
    if (!ctx.stash.idempotencyKey) fail(type, message);
    // A request with the same key may have won (its idempotency record failed our condition, or
    // its transaction conflicted with ours): the raced step answers with its booking if so.
    ctx.stash.booking = null;
    ctx.stash.lostIdempotencyRace = true;
    ctx.stash.raceFallback = failedCondition(reasons[3]) ? null : { type, message };
    return null;
  }
  failOnDataSourceError(ctx.error);
  ctx.stash.holdPlaced = true;
  return null;
}
