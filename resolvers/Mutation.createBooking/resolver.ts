// createBooking (DESIGN §5): validate → replay → read slot → hold → [raced] → enqueue → settle.
// Answers at once with the PENDING booking: the hold.
import type { Context } from '@aws-appsync/utils';
import { toBooking, type BookingItem } from '../lib/items';

export function request() {
  return {};
}

export function response(ctx: Context) {
  return toBooking(ctx.stash.booking as BookingItem);
}
