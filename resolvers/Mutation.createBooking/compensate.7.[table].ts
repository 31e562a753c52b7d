// Step 7: only if enqueueing failed: give the hold back, so a failed call leaves nothing behind.
// enqueue-booking may have failed after its sends (a timeout waiting for the second's answer), and
// booking-processor may then have written the PENDING record while the marker still existed: it
// goes too, or the caller told "released" would find a PENDING booking nobody can confirm or
// cancel. Its HoldDeadline, if one was sent, later records the attempt as EXPIRED.
import type { Context } from '@aws-appsync/utils';
import { util } from '@aws-appsync/utils';
import { deleteHoldMarker, releaseSlot, uncountHold } from '../lib/holds';
import type { BookingItem } from '../lib/items';
import { bookingKey, idempotencyKeyOf, type SlotRef } from '../lib/keys';
import { onlyIf } from '../lib/pipeline';
import { transactWrite, txDelete } from '../lib/transact';

export function request(ctx: Context) {
  onlyIf(ctx, !!ctx.stash.enqueueError);
  const table = ctx.env.TABLE_NAME;
  const booking = ctx.stash.booking as BookingItem;
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
  const key = ctx.stash.idempotencyKey as string | null;
  if (key) items.push(txDelete(table, idempotencyKeyOf(booking.userId, key)));
  return transactWrite(items);
}

export function response(ctx: Context) {
  const cause = ctx.stash.enqueueError as { message: string; type: string };
  const released = ctx.error ? 'the hold will expire on its own' : 'the slot was released';
  return util.error(`The booking could not be queued (${cause.message}); ${released}. Try again.`, cause.type);
}
