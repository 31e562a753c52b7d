// BatchGetItem: {data: {T: [item|null, …]}, unprocessedKeys: {T: [key, …]}}, data in request order
// (js-aws-appsync-resolver-reference-dynamodb-batch-get-item). DynamoDB answers in any order, so
// items are matched to keys by their key attributes.
import type { KeysAndAttributes as SdkKeysAndAttributes } from '@aws-sdk/client-dynamodb';
import type { Wire } from '../../../dynamodb/wire.ts';
import type { DataSourceOutcome } from '../types.ts';
import type { OperationContext } from './context.ts';
import { toDataSourceError } from './errors.ts';
import { ExpressionAttributes } from './expressions.ts';
import { batchGetItemRequest, type BatchGetTable } from './validation/requests.ts';
import type { Expression } from './validation/shapes.ts';
import { identity, toPlainItem, type WireItem } from './values.ts';

type KeysAndAttributes = Wire<SdkKeysAndAttributes>;

export async function batchGetItem(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  const tables = batchGetItemRequest(request);
  const requestItems: Record<string, KeysAndAttributes> = {};
  const hidden: Record<string, string[]> = {};
  for (const [table, spec] of Object.entries(tables)) {
    const { params, added } = tableParams(spec);
    requestItems[table] = params;
    hidden[table] = added;
  }

  let output;
  try {
    output = await ctx.dynamodb.call('BatchGetItem', { RequestItems: requestItems });
  } catch (err) {
    // Nothing was read: every key is unprocessed. [UNCONFIRMED: AppSync only documents that data,
    // unprocessedKeys and every requested table are always present in the result.]
    return { result: shape(tables, () => undefined, () => true, hidden), error: toDataSourceError(err) };
  }

  const found = new Map<string, WireItem>();
  const unprocessed = new Set<string>();
  for (const [table, spec] of Object.entries(tables)) {
    const names = keyNames(spec);
    for (const item of output.Responses?.[table] ?? []) found.set(`${table}\n${identity(item, names)}`, item);
    for (const key of output.UnprocessedKeys?.[table]?.Keys ?? []) unprocessed.add(`${table}\n${identity(key, names)}`);
  }
  return {
    result: shape(
      tables,
      (table, id) => found.get(`${table}\n${id}`),
      (table, id) => unprocessed.has(`${table}\n${id}`),
      hidden,
    ),
  };
}

function keyNames(spec: BatchGetTable): string[] {
  return spec.keys.length ? Object.keys(spec.keys[0]) : [];
}

function shape(
  tables: Record<string, BatchGetTable>,
  itemOf: (table: string, id: string) => WireItem | undefined,
  isUnprocessed: (table: string, id: string) => boolean,
  hidden: Record<string, string[]>,
) {
  const data: Record<string, Array<Record<string, unknown> | null>> = {};
  const unprocessedKeys: Record<string, Array<Record<string, unknown>>> = {};
  for (const [table, spec] of Object.entries(tables)) {
    data[table] = [];
    unprocessedKeys[table] = [];
    for (const key of spec.keys) {
      const id = identity(key, Object.keys(key));
      if (isUnprocessed(table, id)) {
        data[table].push(null);
        unprocessedKeys[table].push(toPlainItem(key));
        continue;
      }
      const item = itemOf(table, id);
      data[table].push(item ? withoutAttributes(toPlainItem(item), hidden[table]) : null);
    }
  }
  return { data, unprocessedKeys };
}

/**
 * With a projection, the key attributes are needed to match items to keys: they are added to the
 * projection when it lacks them, and removed from the answer again.
 */
function tableParams(spec: BatchGetTable): { params: KeysAndAttributes; added: string[] } {
  const attributes = new ExpressionAttributes();
  let projection = attributes.add(spec.projection);
  const added: string[] = [];
  if (spec.projection && projection !== undefined) {
    const projected = topLevelNames(spec.projection);
    keyNames(spec)
      .filter((name) => !projected.has(name))
      .forEach((name, i) => {
        attributes.addName(`#slotsyncKey${i}`, name);
        projection = `${projection}, #slotsyncKey${i}`;
        added.push(name);
      });
  }
  return {
    params: { Keys: spec.keys, ConsistentRead: spec.consistentRead, ProjectionExpression: projection, ...attributes.params() },
    added,
  };
}

function topLevelNames(projection: Expression): Set<string> {
  return new Set(
    projection.expression.split(',').map((path) => {
      const head = path.trim().split(/[.[]/)[0].trim();
      return head.startsWith('#') ? (projection.names[head] ?? head) : head;
    }),
  );
}

function withoutAttributes(item: Record<string, unknown>, names: string[]): Record<string, unknown> {
  for (const name of names) delete item[name];
  return item;
}
