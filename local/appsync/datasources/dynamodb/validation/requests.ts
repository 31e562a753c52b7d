// One parser per operation: the request object as AppSync's JS reference defines it
// (js-aws-appsync-resolver-reference-dynamodb-*), turned into SDK-typed values.
import { MappingTemplateError } from '../errors.ts';
import { toWireItem, type WireItem } from '../values.ts';
import {
  at,
  fieldsOf,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalString,
  requiredArray,
  requiredObject,
  requiredString,
  ROOT,
} from './fields.ts';
import {
  conditionAt,
  expressionAt,
  keyAt,
  optionalExpressionAt,
  projectionAt,
  rejectVersioning,
  transactConditionAt,
  VERSIONING_FIELDS,
  type Condition,
  type Expression,
  type TransactCondition,
} from './shapes.ts';

const COMMON = ['operation', 'version'];
const SELECT = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES'] as const;
export type Select = (typeof SELECT)[number];

export interface GetItemRequest {
  key: WireItem;
  consistentRead: boolean;
  projection?: Expression;
}

export function getItemRequest(request: unknown): GetItemRequest {
  const f = fieldsOf(request, ROOT, [...COMMON, 'key', 'consistentRead', 'projection']);
  return { key: keyAt(f, ROOT), consistentRead: optionalBoolean(f, 'consistentRead', ROOT) ?? false, projection: projectionAt(f, ROOT) };
}

export interface PutItemRequest {
  key: WireItem;
  /** attributeValues with the key attributes merged in: the item as written. */
  item: WireItem;
  condition?: Condition;
}

export function putItemRequest(request: unknown): PutItemRequest {
  const f = fieldsOf(request, ROOT, [...COMMON, 'key', 'attributeValues', 'condition', ...VERSIONING_FIELDS]);
  rejectVersioning(f, ROOT);
  const key = keyAt(f, ROOT);
  const attributes = toWireItem(requiredObject(f, 'attributeValues', ROOT), at(ROOT, 'attributeValues'));
  return { key, item: { ...attributes, ...key }, condition: conditionAt(f, ROOT) };
}

export interface UpdateItemRequest {
  key: WireItem;
  update: Expression;
  condition?: Condition;
}

export function updateItemRequest(request: unknown): UpdateItemRequest {
  const f = fieldsOf(request, ROOT, [...COMMON, 'key', 'update', 'condition', ...VERSIONING_FIELDS]);
  rejectVersioning(f, ROOT);
  return { key: keyAt(f, ROOT), update: expressionAt(f, 'update', ROOT), condition: conditionAt(f, ROOT) };
}

export interface DeleteItemRequest {
  key: WireItem;
  condition?: Condition;
}

export function deleteItemRequest(request: unknown): DeleteItemRequest {
  const f = fieldsOf(request, ROOT, [...COMMON, 'key', 'condition', ...VERSIONING_FIELDS]);
  rejectVersioning(f, ROOT);
  return { key: keyAt(f, ROOT), condition: conditionAt(f, ROOT) };
}

/** What Query and Scan share. */
export interface ReadRequest {
  index?: string;
  nextToken?: string;
  limit?: number;
  consistentRead: boolean;
  select?: Select;
  filter?: Expression;
  projection?: Expression;
}

export interface QueryRequest extends ReadRequest {
  query: Expression;
  scanIndexForward: boolean;
}

const READ_FIELDS = ['index', 'nextToken', 'limit', 'consistentRead', 'select', 'filter', 'projection'];

function readRequest(f: Record<string, unknown>): ReadRequest {
  return {
    index: optionalString(f, 'index', ROOT),
    nextToken: optionalString(f, 'nextToken', ROOT),
    limit: optionalInteger(f, 'limit', ROOT),
    consistentRead: optionalBoolean(f, 'consistentRead', ROOT) ?? false,
    select: optionalEnum(f, 'select', ROOT, SELECT),
    filter: optionalExpressionAt(f, 'filter', ROOT),
    projection: projectionAt(f, ROOT),
  };
}

export function queryRequest(request: unknown): QueryRequest {
  const f = fieldsOf(request, ROOT, [...COMMON, 'query', 'scanIndexForward', ...READ_FIELDS]);
  return {
    ...readRequest(f),
    query: expressionAt(f, 'query', ROOT),
    scanIndexForward: optionalBoolean(f, 'scanIndexForward', ROOT) ?? true,
  };
}

export interface ScanRequest extends ReadRequest {
  segment?: number;
  totalSegments?: number;
}

export function scanRequest(request: unknown): ScanRequest {
  const f = fieldsOf(request, ROOT, [...COMMON, 'segment', 'totalSegments', ...READ_FIELDS]);
  return { ...readRequest(f), segment: optionalInteger(f, 'segment', ROOT), totalSegments: optionalInteger(f, 'totalSegments', ROOT) };
}

/** tables: {T: …}, at least one table (DynamoDB enforces the per-call item limits itself). */
function tablesOf(request: unknown): [Record<string, unknown>, string] {
  const f = fieldsOf(request, ROOT, [...COMMON, 'tables']);
  const tables = requiredObject(f, 'tables', ROOT);
  if (Object.keys(tables).length === 0) throw new MappingTemplateError(`Value for field '${at(ROOT, 'tables')}' must name at least one table.`);
  return [tables, at(ROOT, 'tables')];
}

function listAt(tables: Record<string, unknown>, table: string, path: string): unknown[] {
  return requiredArray(tables, table, path);
}

export interface BatchGetTable {
  keys: WireItem[];
  consistentRead: boolean;
  projection?: Expression;
}

export function batchGetItemRequest(request: unknown): Record<string, BatchGetTable> {
  const [tables, path] = tablesOf(request);
  const out: Record<string, BatchGetTable> = {};
  for (const table of Object.keys(tables)) {
    const here = at(path, table);
    const t = fieldsOf(tables[table], here, ['keys', 'consistentRead', 'projection']);
    out[table] = {
      keys: requiredArray(t, 'keys', here).map((k, i) => toWireItem(k, at(at(here, 'keys'), i))),
      consistentRead: optionalBoolean(t, 'consistentRead', here) ?? false,
      projection: projectionAt(t, here),
    };
  }
  return out;
}

/** BatchPutItem: items per table; BatchDeleteItem: keys per table. */
export function batchWriteRequest(request: unknown): Record<string, WireItem[]> {
  const [tables, path] = tablesOf(request);
  const out: Record<string, WireItem[]> = {};
  for (const table of Object.keys(tables)) {
    out[table] = listAt(tables, table, path).map((item, i) => toWireItem(item, at(at(path, table), i)));
  }
  return out;
}

export interface TransactGet {
  table: string;
  key: WireItem;
  projection?: Expression;
}

function transactItems(request: unknown): [unknown[], string] {
  const f = fieldsOf(request, ROOT, [...COMMON, 'transactItems']);
  const items = requiredArray(f, 'transactItems', ROOT);
  if (items.length === 0) throw new MappingTemplateError(`Value for field '${at(ROOT, 'transactItems')}' must hold at least one item.`);
  return [items, at(ROOT, 'transactItems')];
}

export function transactGetItemsRequest(request: unknown): TransactGet[] {
  const [items, path] = transactItems(request);
  return items.map((raw, i) => {
    const here = at(path, i);
    const f = fieldsOf(raw, here, ['table', 'key', 'projection']);
    return { table: requiredString(f, 'table', here), key: keyAt(f, here), projection: projectionAt(f, here) };
  });
}

export type TransactWrite =
  | { operation: 'PutItem'; table: string; key: WireItem; item: WireItem; condition?: TransactCondition }
  | { operation: 'UpdateItem'; table: string; key: WireItem; update: Expression; condition?: TransactCondition }
  | { operation: 'DeleteItem'; table: string; key: WireItem; condition?: TransactCondition }
  | { operation: 'ConditionCheck'; table: string; key: WireItem; condition: TransactCondition };

const WRITE_OPERATIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheck'] as const;

export function transactWriteItemsRequest(request: unknown): TransactWrite[] {
  const [items, path] = transactItems(request);
  return items.map((raw, i): TransactWrite => {
    const here = at(path, i);
    const probe = fieldsOf(raw, here, ['table', 'operation', 'key', 'attributeValues', 'update', 'condition']);
    const operation = optionalEnum(probe, 'operation', here, WRITE_OPERATIONS);
    if (!operation) throw new MappingTemplateError(`Value for field '${at(here, 'operation')}' not found.`);
    const extra = { PutItem: ['attributeValues'], UpdateItem: ['update'], DeleteItem: [], ConditionCheck: [] }[operation];
    const f = fieldsOf(raw, here, ['table', 'operation', 'key', 'condition', ...extra]);
    const base = { table: requiredString(f, 'table', here), key: keyAt(f, here), condition: transactConditionAt(f, here) };
    switch (operation) {
      case 'PutItem': {
        const attributes = toWireItem(requiredObject(f, 'attributeValues', here), at(here, 'attributeValues'));
        return { operation, ...base, item: { ...attributes, ...base.key } };
      }
      case 'UpdateItem':
        return { operation, ...base, update: expressionAt(f, 'update', here) };
      case 'DeleteItem':
        return { operation, ...base };
      case 'ConditionCheck':
        if (!base.condition) throw new MappingTemplateError(`Value for field '${at(here, 'condition')}' not found.`);
        return { operation, ...base, condition: base.condition };
    }
  });
}
