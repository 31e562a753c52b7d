// Only an (effectively) AVAILABLE slot can be deleted; the condition decides, not a prior read.
import type { Context } from '@aws-appsync/utils';
import { util } from '@aws-appsync/utils';
import { fail, failOnDataSourceError } from '../lib/errors';
import { effectiveStatus, toSlot, type SlotItem } from '../lib/items';
import { dbKey, slotKey, type SlotRef } from '../lib/keys';
import { isoOf, nowMs } from '../lib/time';

export function request(ctx: Context) {
  const ref = ctx.stash.slotRef as SlotRef;
  const now = nowMs();
  ctx.stash.now = now;
  return {
    operation: 'DeleteItem',
    key: dbKey(slotKey(ref.providerId, ref.startUtcIso)),
    condition: {
      expression: 'attribute_exists(#pk) AND (#status = :available OR (#status = :held AND #exp <= :now))',
      expressionNames: { '#pk': 'PK', '#status': 'status', '#exp': 'holdExpiresAt' },
      expressionValues: util.dynamodb.toMapValues({ ':available': 'AVAILABLE', ':held': 'HELD', ':now': isoOf(now) }),
    },
  };
}

export function response(ctx: Context) {
  const now = ctx.stash.now as number;
  const current = ctx.result as SlotItem | null;
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException' && current) {
    const status = effectiveStatus(current, now);
    if (status === 'BOOKED') fail('SlotTaken', `Slot ${ctx.args.id} is booked and cannot be deleted`);
    fail('SlotHeld', `Slot ${ctx.args.id} is held by a pending booking and cannot be deleted now`);
  }
  failOnDataSourceError(ctx.error);
  if (!current) fail('NotFound', `Slot ${ctx.args.id} does not exist`);
  return toSlot(current, now);
}
