import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { failOnDataSourceError, invalid } from './lib/errors';
import { toSlot } from './lib/items';
import { parseSlotId, slotKey } from './lib/keys';
import { nowMs } from './lib/time';

export function request(ctx: Context<{ id: string }>) {
  const ref = parseSlotId(ctx.args.id);
  if (!ref) return invalid('id', 'is not a valid slot id');
  return ddb.get({ key: slotKey(ref.providerId, ref.startUtcIso) });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  return ctx.result ? toSlot(ctx.result, nowMs()) : null;
}
