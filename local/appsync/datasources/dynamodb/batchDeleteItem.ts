// BatchDeleteItem: {data: {T: [key|null]}, unprocessedKeys: {T: [key]}}. Unlike DeleteItem, only the
// keys come back, not the deleted items (mapping-template reference, BatchDeleteItem).
import type { DataSourceOutcome } from '../types.ts';
import { batchWrite } from './batchWrite.ts';
import type { OperationContext } from './context.ts';
import { batchWriteRequest } from './validation/requests.ts';

export async function batchDeleteItem(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  return batchWrite(batchWriteRequest(request), ctx, {
    unprocessedField: 'unprocessedKeys',
    toRequest: (Key) => ({ DeleteRequest: { Key } }),
    fromRequest: (request) => request.DeleteRequest?.Key,
  });
}
