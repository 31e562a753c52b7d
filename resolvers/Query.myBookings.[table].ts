// The caller's bookings by start time (GSI1: USER#<sub>).
import type { Context } from '@aws-appsync/utils';
import { util } from '@aws-appsync/utils';
import { failOnDataSourceError, fail } from './lib/errors';
import { callerId } from './lib/identity';
import { toBooking, type BookingItem } from './lib/items';
import { pageLimit } from './lib/validate';

type Args = { status?: string | null; limit?: number | null; nextToken?: string | null };

export function request(ctx: Context<Args>) {
  const userId = callerId(ctx);
  if (!userId) fail('Unauthorized', 'Sign in to list your bookings');
  const query = {
    operation: 'Query',
    index: 'GSI1',
    query: {
      expression: '#pk = :pk',
      expressionNames: { '#pk': 'GSI1PK' },
      expressionValues: util.dynamodb.toMapValues({ ':pk': `USER#${userId}` }),
    },
    limit: pageLimit(ctx.args.limit),
    nextToken: ctx.args.nextToken || undefined,
  };
  if (!ctx.args.status) return query;
  return {
    ...query,
    filter: {
      expression: '#status = :status',
      expressionNames: { '#status': 'status' },
      expressionValues: util.dynamodb.toMapValues({ ':status': ctx.args.status }),
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
