// Reading a booking: the record (written by booking-processor) or, until then, the hold marker's
// snapshot, so a caller always reads the booking createBooking answered.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { fail, failOnDataSourceError, invalid } from './errors';
import { currentBooking, type BookingItem } from './items';
import { bookingKey, holdKey } from './keys';
import { msOf, nowMs } from './time';
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

/** AppSync's limit on a whole request: an unqueued record older than this belongs to a request that has ended. */
const PLACING_MS = 30 * 1000;

/**
 * A retry that finds its key's record while the request that wrote it has not queued the booking
 * yet (`enqueued` false from the hold until the settle step marks it) must not answer that
 * booking: the enqueue may still fail and give it back. It is told to retry, as a lost race is.
 * Records without the flag, and records older than any request runs, answer their booking.
 */
export function requirePlaced(record: { enqueued?: boolean; booking?: { createdAt?: string } | null }): void {
  if (record.enqueued !== false) return;
  const createdAt = record.booking && record.booking.createdAt ? msOf(record.booking.createdAt) : 0;
  if (nowMs() - createdAt < PLACING_MS) fail('SlotUnavailable', 'A request with this idempotencyKey is still placing its hold; retry in a moment');
}
