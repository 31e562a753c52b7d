import type { Context } from '@aws-appsync/utils';
import { readBookingRequest, readBookingResponse } from '../lib/bookings';

export function request(ctx: Context<{ id: string }>) {
  return readBookingRequest(ctx, ctx.args.id);
}

export function response(ctx: Context) {
  return readBookingResponse(ctx);
}
