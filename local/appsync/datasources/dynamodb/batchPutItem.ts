// BatchPutItem: {data: {T: [item|null]}, unprocessedItems: {T: [item]}}; at most 25 items, a limit
// DynamoDB itself enforces ("Too many items requested for the BatchWriteItem call").
import type { DataSourceOutcome } from '../types.ts';
import { batchWrite } from './batchWrite.ts';
import type { OperationContext } from './context.ts';
import { batchWriteRequest } from './validation/requests.ts';

export async function batchPutItem(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  return batchWrite(batchWriteRequest(request), ctx, {
    unprocessedField: 'unprocessedItems',
    toRequest: (Item) => ({ PutRequest: { Item } }),
    fromRequest: (request) => request.PutRequest?.Item,
  });
}
