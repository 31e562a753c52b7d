// Step 6: the enqueue-booking Lambda sends BookingRequested and the delayed HoldDeadline.
import type { Context } from '@aws-appsync/utils';
import { onlyIf } from '../lib/pipeline';

export function request(ctx: Context) {
  onlyIf(ctx, !!ctx.stash.holdPlaced);
  return { operation: 'Invoke', payload: { booking: ctx.stash.booking, holdSeconds: ctx.stash.holdSeconds } };
}

export function response(ctx: Context) {
  if (ctx.error) ctx.stash.enqueueError = ctx.error;
  return null;
}
