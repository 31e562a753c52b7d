// A cancelled transaction as AppSync reports it: ctx.error of type
// DynamoDB:TransactionCanceledException and, in request order, one {item?, type, message} per item.
// type is DynamoDB's CancellationReason code; an item that caused nothing reads
// {type: 'None', message: 'None'} as in the mapping-template reference's example [recalled from the
// AWS page, whose full text the search tool could not show].
import { isDynamoDbError } from '../../../dynamodb/wire.ts';
import { toPlainItem } from './values.ts';

export interface CancellationReason {
  item?: Record<string, unknown>;
  type: string;
  message: string;
}

export function cancellationReasons(err: unknown): CancellationReason[] | null {
  if (!isDynamoDbError(err, 'TransactionCanceledException')) return null;
  return (err.cancellationReasons ?? []).map((reason) => ({
    ...(reason.Item ? { item: toPlainItem(reason.Item) } : {}),
    type: reason.Code ?? 'None',
    message: reason.Message ?? 'None',
  }));
}
