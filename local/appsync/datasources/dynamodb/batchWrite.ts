// BatchPutItem and BatchDeleteItem are both one BatchWriteItem call: per table, the request's
// entries in order, null for those DynamoDB left unprocessed, and the unprocessed ones listed.
import type { WriteRequest as SdkWriteRequest } from '@aws-sdk/client-dynamodb';
import type { Wire } from '../../../dynamodb/wire.ts';
import type { DataSourceOutcome } from '../types.ts';
import type { OperationContext } from './context.ts';
import { toDataSourceError } from './errors.ts';
import { identity, toPlainItem, type WireItem } from './values.ts';

type WriteRequest = Wire<SdkWriteRequest>;

export interface BatchWriteKind {
  /** The result field listing what was not processed: unprocessedItems or unprocessedKeys. */
  unprocessedField: 'unprocessedItems' | 'unprocessedKeys';
  toRequest(entry: WireItem): WriteRequest;
  fromRequest(request: WriteRequest): WireItem | undefined;
}

export async function batchWrite(tables: Record<string, WireItem[]>, ctx: OperationContext, kind: BatchWriteKind): Promise<DataSourceOutcome> {
  const requestItems: Record<string, WriteRequest[]> = {};
  for (const [table, entries] of Object.entries(tables)) requestItems[table] = entries.map(kind.toRequest);

  let unprocessed: (table: string, entry: WireItem) => boolean;
  let error;
  try {
    const output = await ctx.dynamodb.call('BatchWriteItem', { RequestItems: requestItems });
    const left = new Set<string>();
    for (const [table, requests] of Object.entries(output.UnprocessedItems ?? {})) {
      for (const request of requests) {
        const entry = kind.fromRequest(request);
        if (entry) left.add(`${table}\n${identity(entry)}`);
      }
    }
    unprocessed = (table, entry) => left.has(`${table}\n${identity(entry)}`);
  } catch (err) {
    // Nothing was written. [UNCONFIRMED: AppSync documents only that every table is present.]
    error = toDataSourceError(err);
    unprocessed = () => true;
  }

  const data: Record<string, Array<Record<string, unknown> | null>> = {};
  const notProcessed: Record<string, Array<Record<string, unknown>>> = {};
  for (const [table, entries] of Object.entries(tables)) {
    data[table] = entries.map((entry) => (unprocessed(table, entry) ? null : toPlainItem(entry)));
    notProcessed[table] = entries.filter((entry) => unprocessed(table, entry)).map(toPlainItem);
  }
  const result = { data, [kind.unprocessedField]: notProcessed };
  return error ? { result, error } : { result };
}
