import type { Context } from '@aws-appsync/utils';
import { invalid } from '../lib/errors';
import { providerReadRequest, requireOwner } from '../lib/ownership';
import { msOf } from '../lib/time';
import { pageLimit, requireId } from '../lib/validate';

type Args = { providerId: string; from?: string | null; to?: string | null; limit?: number | null };

export function request(ctx: Context<Args>) {
  const { args } = ctx;
  requireId('providerId', args.providerId);
  if (args.from && args.to && msOf(args.to) < msOf(args.from)) invalid('to', 'must not be before from');
  pageLimit(args.limit);
  return providerReadRequest(ctx, args.providerId, false);
}

export function response(ctx: Context) {
  return requireOwner(ctx, 'Unauthorized', `Provider ${ctx.args.providerId}`);
}
