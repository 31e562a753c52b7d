// TransactWriteItems: {keys: [key…], cancellationReasons}; both fields are always present
// (mapping-template reference). On a cancelled transaction, keys is null and the reasons come in
// request order, each with the existing item when its condition failed, unless the request set
// returnValuesOnConditionCheckFailure to false.
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Wire } from '../../../dynamodb/wire.ts';
import type { DataSourceOutcome } from '../types.ts';
import { cancellationReasons } from './cancellationReasons.ts';
import type { OperationContext } from './context.ts';
import { toDataSourceError } from './errors.ts';
import { ExpressionAttributes } from './expressions.ts';
import { transactWriteItemsRequest, type TransactWrite } from './validation/requests.ts';
import { toPlainItem } from './values.ts';

export async function transactWriteItems(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  const writes = transactWriteItemsRequest(request);
  try {
    await ctx.dynamodb.call('TransactWriteItems', { TransactItems: writes.map(toWire) });
    return { result: { keys: writes.map((w) => toPlainItem(w.key)), cancellationReasons: null } };
  } catch (err) {
    return { result: { keys: null, cancellationReasons: cancellationReasons(err) }, error: toDataSourceError(err) };
  }
}

function toWire(write: TransactWrite): Wire<TransactWriteItem> {
  const attributes = new ExpressionAttributes();
  const update = write.operation === 'UpdateItem' ? attributes.add(write.update) : undefined;
  const condition = {
    ConditionExpression: attributes.add(write.condition),
    ...(write.condition?.returnExistingItem ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
  };
  const common = { TableName: write.table, ...condition, ...attributes.params() };
  switch (write.operation) {
    case 'PutItem':
      return { Put: { ...common, Item: write.item } };
    case 'UpdateItem':
      return { Update: { ...common, Key: write.key, UpdateExpression: update } };
    case 'DeleteItem':
      return { Delete: { ...common, Key: write.key } };
    case 'ConditionCheck':
      return { ConditionCheck: { ...common, Key: write.key, ConditionExpression: write.condition.expression } };
  }
}
