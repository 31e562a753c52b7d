// The booking's user, the provider's owner and admins may read a booking; anyone else gets NotFound.
import type { Context } from '@aws-appsync/utils';
import { callerId, isAdmin } from '../lib/identity';
import type { BookingItem } from '../lib/items';
import { providerReadRequest, requireOwner } from '../lib/ownership';

export function request(ctx: Context) {
  const booking = ctx.stash.booking as BookingItem;
  const allowed = booking.userId === callerId(ctx) || isAdmin(ctx);
  return providerReadRequest(ctx, booking.providerId, allowed);
}

export function response(ctx: Context) {
  requireOwner(ctx, 'NotFound', `Booking ${ctx.args.id}`);
  return ctx.prev.result;
}
