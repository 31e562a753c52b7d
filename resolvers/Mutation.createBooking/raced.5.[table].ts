// Step 5: only after losing an idempotency race: read the winner's record.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { failOnDataSourceError, fail } from '../lib/errors';
import { idempotencyKeyOf } from '../lib/keys';
import { onlyIf } from '../lib/pipeline';

export function request(ctx: Context) {
  onlyIf(ctx, !!ctx.stash.lostIdempotencyRace);
  return ddb.get({ key: idempotencyKeyOf(ctx.stash.userId as string, ctx.stash.idempotencyKey as string), consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  if (!ctx.result) fail('SlotUnavailable', 'A concurrent request with the same idempotency key failed; retry');
  ctx.stash.booking = ctx.result.booking;
  return null;
}
