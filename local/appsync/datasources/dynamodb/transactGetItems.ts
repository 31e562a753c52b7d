// TransactGetItems: {items: [item|null], cancellationReasons}, items in request order.
import type { TransactGetItem } from '@aws-sdk/client-dynamodb';
import type { Wire } from '../../../dynamodb/wire.ts';
import type { DataSourceOutcome } from '../types.ts';
import { cancellationReasons } from './cancellationReasons.ts';
import type { OperationContext } from './context.ts';
import { toDataSourceError } from './errors.ts';
import { ExpressionAttributes } from './expressions.ts';
import { transactGetItemsRequest } from './validation/requests.ts';
import { toPlainOrNull } from './values.ts';

export async function transactGetItems(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  const items: Array<Wire<TransactGetItem>> = transactGetItemsRequest(request).map((get) => {
    const attributes = new ExpressionAttributes();
    return {
      Get: { TableName: get.table, Key: get.key, ProjectionExpression: attributes.add(get.projection), ...attributes.params() },
    };
  });
  try {
    const { Responses } = await ctx.dynamodb.call('TransactGetItems', { TransactItems: items });
    return { result: { items: items.map((_, i) => toPlainOrNull(Responses?.[i]?.Item)), cancellationReasons: null } };
  } catch (err) {
    return { result: { items: null, cancellationReasons: cancellationReasons(err) }, error: toDataSourceError(err) };
  }
}
