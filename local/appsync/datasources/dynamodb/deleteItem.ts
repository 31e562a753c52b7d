// DeleteItem: the deleted item (ReturnValues ALL_OLD) as plain JSON, null when there was none.
import type { DataSourceOutcome } from '../types.ts';
import { withConditionHandling } from './conditionFailure.ts';
import type { OperationContext } from './context.ts';
import { ExpressionAttributes } from './expressions.ts';
import { deleteItemRequest } from './validation/requests.ts';
import { toPlainOrNull } from './values.ts';

export async function deleteItem(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  const { key, condition } = deleteItemRequest(request);
  const attributes = new ExpressionAttributes();
  const input = {
    TableName: ctx.tableName,
    Key: key,
    ConditionExpression: attributes.add(condition),
    ReturnValues: 'ALL_OLD' as const,
    ...attributes.params(),
  };
  const write = condition && { operation: 'DeleteItem' as const, key, condition };
  return withConditionHandling(ctx, write, async () => {
    const { Attributes } = await ctx.dynamodb.call('DeleteItem', input);
    return { result: toPlainOrNull(Attributes) };
  });
}
