// listSlots of a provider that does not exist is NotFound, not an empty page.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { fail, failOnDataSourceError, invalid } from '../lib/errors';
import { providerKey } from '../lib/keys';
import { dateToEpochMs, pageLimit, requireDate, requireId } from '../lib/validate';

type Args = { providerId: string; from: string; to: string; limit?: number | null };

/** At most this many days per listing. */
const MAX_RANGE_DAYS = 92;

export function request(ctx: Context<Args>) {
  const { args } = ctx;
  requireId('providerId', args.providerId);
  const from = dateToEpochMs(requireDate('from', args.from));
  const to = dateToEpochMs(requireDate('to', args.to));
  if (to < from) invalid('to', 'must not be before from');
  if (to - from > MAX_RANGE_DAYS * 86400000) invalid('to', `must be at most ${MAX_RANGE_DAYS} days after from`);
  pageLimit(args.limit);
  return ddb.get({ key: providerKey(args.providerId), projection: ['id', 'timeZone'] });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  if (!ctx.result) fail('NotFound', `Provider ${ctx.args.providerId} does not exist`);
  return ctx.result;
}
