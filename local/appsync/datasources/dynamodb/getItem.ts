// GetItem: the item as plain JSON, or null.
import type { DataSourceOutcome } from '../types.ts';
import type { OperationContext } from './context.ts';
import { ExpressionAttributes } from './expressions.ts';
import { getItemRequest } from './validation/requests.ts';
import { toPlainOrNull } from './values.ts';

export async function getItem(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  const req = getItemRequest(request);
  const attributes = new ExpressionAttributes();
  const { Item } = await ctx.dynamodb.call('GetItem', {
    TableName: ctx.tableName,
    Key: req.key,
    ConsistentRead: req.consistentRead,
    ProjectionExpression: attributes.add(req.projection),
    ...attributes.params(),
  });
  return { result: toPlainOrNull(Item) };
}
