// UpdateItem: the item after the update (ReturnValues ALL_NEW) as plain JSON.
import type { DataSourceOutcome } from '../types.ts';
import { withConditionHandling } from './conditionFailure.ts';
import type { OperationContext } from './context.ts';
import { ExpressionAttributes } from './expressions.ts';
import { updateItemRequest } from './validation/requests.ts';
import { toPlainOrNull } from './values.ts';

export async function updateItem(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  const { key, update, condition } = updateItemRequest(request);
  const attributes = new ExpressionAttributes();
  const input = {
    TableName: ctx.tableName,
    Key: key,
    UpdateExpression: attributes.add(update),
    ConditionExpression: attributes.add(condition),
    ReturnValues: 'ALL_NEW' as const,
    ...attributes.params(),
  };
  const write = condition && { operation: 'UpdateItem' as const, key, condition };
  return withConditionHandling(ctx, write, async () => {
    const { Attributes } = await ctx.dynamodb.call('UpdateItem', input);
    return { result: toPlainOrNull(Attributes) };
  });
}
