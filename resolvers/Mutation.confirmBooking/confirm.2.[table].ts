// PENDING (or not yet written) → CONFIRMED in one transaction: slot HELD by this booking with a
// live hold → BOOKED, booking upserted CONFIRMED, hold marker deleted, counter down by one.
import type { Context } from '@aws-appsync/utils';
import { runtime } from '@aws-appsync/utils';
import { fail } from '../lib/errors';
import { callerId } from '../lib/identity';
import { bookingRecordFields } from '../lib/booking-record';
import { bookSlot, deleteHoldMarker, uncountHold } from '../lib/holds';
import { toBooking, type BookingItem } from '../lib/items';
import { bookingKey, parseSlotId, type SlotRef } from '../lib/keys';
import { isoOf, msOf, nowMs } from '../lib/time';
import { setAll, transactWrite, txUpdate } from '../lib/transact';
import { transitionFailure } from '../lib/transitions';

export function request(ctx: Context) {
  const booking = ctx.stash.booking as BookingItem;
  if (booking.userId !== callerId(ctx)) fail('Unauthorized', 'Only the user who made a booking may confirm it');
  if (booking.status === 'CONFIRMED') runtime.earlyReturn(toBooking(booking));
  if (booking.status === 'EXPIRED') fail('HoldExpired', `The hold on booking ${booking.id} expired at ${booking.holdExpiresAt}`);
  if (booking.status === 'CANCELLED') fail('InvalidBookingState', `Booking ${booking.id} is cancelled and cannot be confirmed`);
  const now = nowMs();
  if (!booking.holdExpiresAt || msOf(booking.holdExpiresAt) <= now) {
    fail('HoldExpired', `The hold on booking ${booking.id} expired at ${booking.holdExpiresAt}`);
  }
  const table = ctx.env.TABLE_NAME;
  const confirmed: BookingItem = { ...booking, status: 'CONFIRMED', confirmedAt: isoOf(now), updatedAt: isoOf(now) };
  ctx.stash.confirmed = confirmed;
  return transactWrite([
    bookSlot(table, parseSlotId(booking.slotId) as SlotRef, booking.id, isoOf(now)),
    txUpdate(table, bookingKey(booking.id), setAll(bookingRecordFields(confirmed)), {
      expression: 'attribute_not_exists(#c_pk) OR #c_status = :c_pending',
      names: { '#c_pk': 'PK', '#c_status': 'status' },
      values: { ':c_pending': 'PENDING' },
    }),
    deleteHoldMarker(table, booking.id),
    uncountHold(table, booking.userId),
  ]);
}

export function response(ctx: Context) {
  const id = ctx.args.id;
  const failed = transitionFailure(ctx);
  if (failed) {
    const record = failed.record;
    if (record && record.status === 'CONFIRMED') return toBooking(record);
    if (record && record.status === 'CANCELLED') fail('InvalidBookingState', `Booking ${id} is cancelled and cannot be confirmed`);
    fail('HoldExpired', `The hold on booking ${id} expired before it could be confirmed`);
  }
  return toBooking(ctx.stash.confirmed as BookingItem);
}
