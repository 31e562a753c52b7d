// Step 7: the enqueue's outcome on the table.
// - Enqueueing failed: give the hold back, so a failed call leaves nothing behind. enqueue-booking
//   may have failed after its sends (a timeout waiting for the second's answer), and
//   booking-processor may then have written the PENDING record while the marker still existed: it
//   goes too, or the caller told "released" would find a PENDING booking nobody can confirm or
//   cancel. Its HoldDeadline, if one was sent, later records the attempt as EXPIRED.
// - Enqueued, with an idempotency key: mark the key's record queued. Until then a retry with the
//   key is told to retry rather than answered a booking this step may still give back
//   (lib/bookings.ts requirePlaced). A mark that fails only delays that answer.
import type { Context } from '@aws-appsync/utils';
import { util } from '@aws-appsync/utils';
import { deleteHoldMarker, releaseSlot, uncountHold } from '../lib/holds';
import type { BookingItem } from '../lib/items';
import { bookingKey, idempotencyKeyOf, type SlotRef } from '../lib/keys';
import { onlyIf } from '../lib/pipeline';
import { transactWrite, txDelete, txUpdate } from '../lib/transact';

export function request(ctx: Context) {
  const key = ctx.stash.idempotencyKey as string | null;
  onlyIf(ctx, !!ctx.stash.enqueueError || (!!ctx.stash.holdPlaced && !!key));
  const table = ctx.env.TABLE_NAME;
  const booking = ctx.stash.booking as BookingItem;
  if (!ctx.stash.enqueueError) {
    return transactWrite([
      txUpdate(
        table,
        idempotencyKeyOf(booking.userId, key as string),
        { expression: 'SET #q_enqueued = :q_true', names: { '#q_enqueued': 'enqueued' }, values: { ':q_true': true } },
        { expression: '#q_bid = :q_bid', names: { '#q_bid': 'bookingId' }, values: { ':q_bid': booking.id } },
      ),
    ]);
  }
  const items: unknown[] = [
    releaseSlot(table, ctx.stash.slotRef as SlotRef, booking.id, 'HELD'),
    deleteHoldMarker(table, booking.id),
    uncountHold(table, booking.userId),
    txDelete(table, bookingKey(booking.id), {
      expression: 'attribute_not_exists(#c_pk) OR #c_status = :c_pending',
      names: { '#c_pk': 'PK', '#c_status': 'status' },
      values: { ':c_pending': 'PENDING' },
    }),
  ];
  if (key) items.push(txDelete(table, idempotencyKeyOf(booking.userId, key)));
  return transactWrite(items);
}

export function response(ctx: Context) {
  const cause = ctx.stash.enqueueError as { message: string; type: string } | null;
  if (!cause) return null;
  const released = ctx.error ? 'the hold will expire on its own' : 'the slot was released';
  return util.error(`The booking could not be queued (${cause.message}); ${released}. Try again.`, cause.type);
}
