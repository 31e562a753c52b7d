// AppSync's 'Reject' handling of a failed condition on PutItem/UpdateItem/DeleteItem (JS resolver
// reference, "Condition expressions"): re-read the item, then
//   PutItem: the current item equals the one written (ignoring equalsIgnore) → success, current item;
//   DeleteItem: no current item → success;
//   otherwise (and always for UpdateItem) → DynamoDB:ConditionalCheckFailedException, with the
//   current item in ctx.result.
import { isDynamoDbError, type DynamoDbError } from '../../../dynamodb/wire.ts';
import type { DataSourceOutcome } from '../types.ts';
import type { OperationContext } from './context.ts';
import { fromDynamoDbError } from './errors.ts';
import { sameItem, toPlainOrNull, type WireItem } from './values.ts';
import type { Condition } from './validation/shapes.ts';

export type ConditionalWrite =
  | { operation: 'PutItem'; key: WireItem; item: WireItem; condition: Condition }
  | { operation: 'UpdateItem' | 'DeleteItem'; key: WireItem; condition: Condition };

/** Runs `write`; a failed condition is settled as AppSync settles it. */
export async function withConditionHandling(
  ctx: OperationContext,
  write: ConditionalWrite | undefined,
  run: () => Promise<DataSourceOutcome>,
): Promise<DataSourceOutcome> {
  try {
    return await run();
  } catch (err) {
    if (!write || !isDynamoDbError(err, 'ConditionalCheckFailedException')) throw err;
    return settle(ctx, write, err);
  }
}

async function settle(
  ctx: OperationContext,
  write: ConditionalWrite,
  failure: DynamoDbError,
): Promise<DataSourceOutcome> {
  const { Item: current } = await ctx.dynamodb.call('GetItem', {
    TableName: ctx.tableName,
    Key: write.key,
    ConsistentRead: write.condition.consistentRead,
  });
  if (write.operation === 'PutItem' && current && sameItem(current, write.item, write.condition.equalsIgnore)) {
    return { result: toPlainOrNull(current) };
  }
  if (write.operation === 'DeleteItem' && !current) return { result: null };
  return { result: toPlainOrNull(current), error: fromDynamoDbError(failure) };
}
