// A provider's bookings by start time (GSI2: PROVIDER#<id>, `<startUtcIso>#<bookingId>`).
import type { Context } from '@aws-appsync/utils';
import { util } from '@aws-appsync/utils';
import { failOnDataSourceError } from '../lib/errors';
import { toBooking, type BookingItem } from '../lib/items';
import { isoOf, msOf } from '../lib/time';
import { pageLimit } from '../lib/validate';

type Args = { providerId: string; from?: string | null; to?: string | null; status?: string | null; limit?: number | null; nextToken?: string | null };

/** Sort keys start with a second-precision UTC start; bounds are cut to the same format. */
function bound(value: string): string {
  return `${isoOf(msOf(value)).slice(0, 19)}Z`;
}

export function request(ctx: Context<Args>) {
  const { args } = ctx;
  const lo = args.from ? bound(args.from) : '0';
  const hi = args.to ? `${bound(args.to)}#~` : '~';
  const request = {
    operation: 'Query',
    index: 'GSI2',
    query: {
      expression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
      expressionNames: { '#pk': 'GSI2PK', '#sk': 'GSI2SK' },
      expressionValues: util.dynamodb.toMapValues({ ':pk': `PROVIDER#${args.providerId}`, ':lo': lo, ':hi': hi }),
    },
    limit: pageLimit(args.limit),
    nextToken: args.nextToken || undefined,
  };
  if (!args.status) return request;
  return {
    ...request,
    filter: {
      expression: '#status = :status',
      expressionNames: { '#status': 'status' },
      expressionValues: util.dynamodb.toMapValues({ ':status': args.status }),
    },
  };
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  return {
    items: ctx.result.items.map((item: BookingItem) => toBooking(item)),
    nextToken: ctx.result.nextToken || null,
  };
}
