import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { failOnDataSourceError } from './lib/errors';
import { toProvider } from './lib/items';
import { providerKey } from './lib/keys';
import { requireId } from './lib/validate';

export function request(ctx: Context<{ id: string }>) {
  return ddb.get({ key: providerKey(requireId('id', ctx.args.id)) });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  return ctx.result ? toProvider(ctx.result) : null;
}
