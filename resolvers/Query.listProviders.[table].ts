import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { failOnDataSourceError } from './lib/errors';
import { toProvider } from './lib/items';
import { pageLimit } from './lib/validate';

type Args = { limit?: number | null; nextToken?: string | null };

/** Providers by name (GSI1). */
export function request(ctx: Context<Args>) {
  return ddb.query({
    index: 'GSI1',
    query: { GSI1PK: { eq: 'PROVIDERS' } },
    limit: pageLimit(ctx.args.limit),
    nextToken: ctx.args.nextToken || undefined,
  });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  return { items: ctx.result.items.map(toProvider), nextToken: ctx.result.nextToken || null };
}
