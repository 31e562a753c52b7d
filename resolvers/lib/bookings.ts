// Reading a booking: the record (written by booking-processor) or, until then, the hold marker's
// snapshot, so a caller always reads the booking createBooking answered.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { fail, failOnDataSourceError, invalid } from './errors';
import { currentBooking, type BookingItem } from './items';
import { bookingKey, holdKey } from './keys';
import { requireId } from './validate';

export function readBookingRequest(ctx: Context, bookingId: string) {
  requireId('id', bookingId);
  const table = ctx.env.TABLE_NAME;
  return ddb.transactGet({
    items: [
      { table, key: bookingKey(bookingId) },
      { table, key: holdKey(bookingId) },
    ],
  });
}

/** The booking, or NotFound. Stashes the record and marker for the steps that follow. */
export function readBookingResponse(ctx: Context): BookingItem {
  failOnDataSourceError(ctx.error);
  const record = ctx.result.items[0];
  const marker = ctx.result.items[1];
  const booking = currentBooking(record, marker);
  if (!booking) return fail('NotFound', `Booking ${ctx.args.id} does not exist`);
  ctx.stash.bookingRecord = record;
  ctx.stash.holdMarker = marker;
  ctx.stash.booking = booking;
  return booking;
}

/**
 * A retry must be the same request: a key already used for another slot is refused rather than
 * answered with a booking of a slot the caller did not ask for.
 */
export function requireSameSlot(booking: BookingItem, slotId: string): BookingItem {
  if (booking.slotId !== slotId) invalid('input.idempotencyKey', `was already used for slot ${booking.slotId}; use a new key for another slot`);
  return booking;
}
