// PutItem: the written item as plain JSON (AppSync returns what it wrote, not ReturnValues).
import type { DataSourceOutcome } from '../types.ts';
import { withConditionHandling } from './conditionFailure.ts';
import type { OperationContext } from './context.ts';
import { ExpressionAttributes } from './expressions.ts';
import { putItemRequest } from './validation/requests.ts';
import { toPlainItem } from './values.ts';

export async function putItem(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  const { key, item, condition } = putItemRequest(request);
  const attributes = new ExpressionAttributes();
  const input = {
    TableName: ctx.tableName,
    Item: item,
    ConditionExpression: attributes.add(condition),
    ...attributes.params(),
  };
  const write = condition && { operation: 'PutItem' as const, key, item, condition };
  return withConditionHandling(ctx, write, async () => {
    await ctx.dynamodb.call('PutItem', input);
    return { result: toPlainItem(item) };
  });
}
