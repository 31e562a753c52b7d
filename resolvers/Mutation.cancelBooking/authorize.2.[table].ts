// The booking's user, the provider's owner, or admins may cancel.
import type { Context } from '@aws-appsync/utils';
import { callerId, isAdmin } from '../lib/identity';
import type { BookingItem } from '../lib/items';
import { providerReadRequest, requireOwner } from '../lib/ownership';
import { optionalText } from '../lib/validate';

export function request(ctx: Context<{ id: string; reason?: string | null }>) {
  ctx.stash.reason = optionalText('reason', ctx.args.reason, 500);
  const booking = ctx.stash.booking as BookingItem;
  return providerReadRequest(ctx, booking.providerId, booking.userId === callerId(ctx) || isAdmin(ctx));
}

export function response(ctx: Context) {
  // Callers already allowed (the booking's user, admins) skipped this step in request().
  return requireOwner(ctx, 'Unauthorized', `Booking ${ctx.args.id}`, "Only the user who made a booking, the provider's owner or an admin may cancel it");
}
