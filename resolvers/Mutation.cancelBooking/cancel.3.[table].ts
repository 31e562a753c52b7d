// PENDING or CONFIRMED → CANCELLED in one transaction: the slot this booking holds or booked goes
// back to AVAILABLE; a PENDING hold also gives back its marker and counter.
import type { Context } from '@aws-appsync/utils';
import { runtime } from '@aws-appsync/utils';
import { fail } from '../lib/errors';
import { bookingRecordFields } from '../lib/booking-record';
import { deleteHoldMarker, releaseSlot, uncountHold } from '../lib/holds';
import { toBooking, type BookingItem } from '../lib/items';
import { bookingKey, parseSlotId, type SlotRef } from '../lib/keys';
import { isoOf, nowMs } from '../lib/time';
import { setAll, transactWrite, txUpdate } from '../lib/transact';
import { transitionFailure } from '../lib/transitions';

export function request(ctx: Context) {
  const booking = ctx.stash.booking as BookingItem;
  if (booking.status === 'CANCELLED') runtime.earlyReturn(toBooking(booking));
  if (booking.status === 'EXPIRED') fail('InvalidBookingState', `Booking ${booking.id} has expired; there is nothing to cancel`);
  const table = ctx.env.TABLE_NAME;
  const now = isoOf(nowMs());
  const wasPending = booking.status === 'PENDING';
  const cancelled: BookingItem = {
    ...booking,
    status: 'CANCELLED',
    cancelledAt: now,
    updatedAt: now,
    cancelReason: ctx.stash.reason as string | null,
  };
  ctx.stash.cancelled = cancelled;
  const ref = parseSlotId(booking.slotId) as SlotRef;
  const items: unknown[] = [
    releaseSlot(table, ref, booking.id, wasPending ? 'HELD' : 'BOOKED'),
    txUpdate(table, bookingKey(booking.id), setAll(bookingRecordFields(cancelled)), {
      expression: wasPending ? 'attribute_not_exists(#c_pk) OR #c_status = :c_from' : '#c_status = :c_from',
      names: wasPending ? { '#c_pk': 'PK', '#c_status': 'status' } : { '#c_status': 'status' },
      values: { ':c_from': booking.status },
    }),
  ];
  if (wasPending) {
    items.push(deleteHoldMarker(table, booking.id));
    items.push(uncountHold(table, booking.userId));
  }
  return transactWrite(items);
}

export function response(ctx: Context) {
  const id = ctx.args.id;
  const failed = transitionFailure(ctx);
  if (failed) {
    const record = failed.record;
    if (record && record.status === 'CANCELLED') return toBooking(record);
    if (record && record.status === 'CONFIRMED') fail('InvalidBookingState', `Booking ${id} was confirmed meanwhile; cancel again to cancel the confirmed booking`);
    fail('InvalidBookingState', `Booking ${id} changed state (its hold expired or was released) and was not cancelled`);
  }
  return toBooking(ctx.stash.cancelled as BookingItem);
}
