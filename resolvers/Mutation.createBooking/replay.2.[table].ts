// Step 2: a retry with a known idempotency key answers with that booking as it is now.
import type { Context } from '@aws-appsync/utils';
import { onlyIf } from '../lib/pipeline';
import { readBookingRequest, requireSameSlot } from '../lib/bookings';
import { failOnDataSourceError } from '../lib/errors';
import { currentBooking } from '../lib/items';

export function request(ctx: Context) {
  onlyIf(ctx, !!ctx.stash.replayOf);
  return readBookingRequest(ctx, ctx.stash.replayOf as string);
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  const booking = currentBooking(ctx.result.items[0], ctx.result.items[1]);
  ctx.stash.booking = booking ? requireSameSlot(booking, ctx.args.input.slotId) : null;
  return null;
}
