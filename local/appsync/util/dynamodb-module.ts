// @aws-appsync/utils/dynamodb: builders returning the raw DynamoDB data-source requests.
// Recorded from AWS: put({key:{id:'abc'}, item:{value:10}}) gives {operation:'PutItem',
// key:{id:{S:'abc'}}, attributeValues:{value:{N:10}}}; get and scan pass their options through.
// Conditions, filters and key conditions are filter objects rendered like
// util.transform.toDynamoDBConditionExpression (an empty one is omitted, an unrenderable one fails).
// Not confirmed against AWS, chosen here: projections name attributes #projection_N (dotted paths
// one placeholder per segment); key conditions keep the transform's parenthesised form, which
// DynamoDB accepts (checked against DynamoDB Local).
import { isPlainObject, setOwn, utilFailure } from './errors.ts';
import { toBinarySet, toMapValues, toNumberSet, toStringSet, type AttributeValue } from './dynamodb-values.ts';
import { renderFilterExpression, type DynamoDBExpression } from './filter-expression.ts';
import { buildUpdateExpression, createOperations } from './update-expression.ts';

type Request = Record<string, unknown>;
const KEY_OPERATORS = new Set(['eq', 'le', 'lt', 'ge', 'gt', 'between', 'beginsWith']);

function input(name: string, payload: unknown): Record<string, unknown> {
  if (!isPlainObject(payload)) utilFailure(`${name}() expects an input object`);
  return payload as Record<string, unknown>;
}

function key(name: string, value: unknown): Record<string, AttributeValue> {
  if (!isPlainObject(value)) utilFailure(`${name}(): key must be an object`);
  return toMapValues(value as Record<string, unknown>);
}

function item(name: string, value: unknown): Record<string, AttributeValue> {
  if (!isPlainObject(value)) utilFailure(`${name}(): item must be an object`);
  return toMapValues(value as Record<string, unknown>);
}

function expression(name: string, what: string, filter: unknown): DynamoDBExpression | undefined {
  if (filter === undefined || filter === null) return undefined;
  const rendered = renderFilterExpression(filter);
  if (rendered === null) utilFailure(`${name}(): the ${what} cannot be rendered as a DynamoDB expression`);
  return rendered.expression === '' ? undefined : rendered;
}

function projection(name: string, fields: unknown): Request | undefined {
  if (fields === undefined || fields === null) return undefined;
  if (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string' || f === '')) {
    utilFailure(`${name}(): projection must be a list of attribute names`);
  }
  if (fields.length === 0) return undefined;
  const expressionNames: Record<string, string> = {};
  let n = 0;
  const paths = (fields as string[]).map((field) => field.split('.').map((segment) => {
    const placeholder = `#projection_${n}`;
    n += 1;
    expressionNames[placeholder] = segment;
    return placeholder;
  }).join('.'));
  return { expression: paths.join(', '), expressionNames };
}

/** Copies the listed options that are present, leaving absent ones out of the request. */
function passThrough(target: Request, source: Record<string, unknown>, names: string[]): Request {
  for (const n of names) if (source[n] !== undefined) target[n] = source[n];
  return target;
}

function withDefined(target: Request, extra: Record<string, unknown>): Request {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) target[k] = v;
  return target;
}

const WRITE_OPTIONS = ['customPartitionKey', 'populateIndexFields', '_version'];
const READ_OPTIONS = ['index', 'limit', 'nextToken', 'scanIndexForward', 'consistentRead', 'select'];

function keyCondition(query: unknown): DynamoDBExpression {
  if (!isPlainObject(query)) return utilFailure('query(): query must be an object of key conditions');
  for (const [field, ops] of Object.entries(query)) {
    if (!isPlainObject(ops)) utilFailure(`query(): the key condition on '${field}' must be an object`);
    for (const op of Object.keys(ops)) {
      if (!KEY_OPERATORS.has(op)) utilFailure(`query(): '${op}' is not a key condition operator`);
    }
  }
  const rendered = expression('query', 'key condition', query);
  if (!rendered) return utilFailure('query(): the key condition is empty');
  return rendered;
}

function tableMap<T>(name: string, tables: unknown, each: (table: string, value: unknown) => T): Record<string, T> {
  if (!isPlainObject(tables)) utilFailure(`${name}(): tables must be an object`);
  const out: Record<string, T> = {};
  for (const [table, value] of Object.entries(tables as Record<string, unknown>)) setOwn(out, table, each(table, value));
  return out;
}

function list(name: string, what: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) utilFailure(`${name}(): ${what} must be a list`);
  return value as unknown[];
}

function transactWriteItem(entry: unknown): Request {
  if (!isPlainObject(entry)) return utilFailure('transactWrite(): each item must be an object');
  const kinds = ['putItem', 'updateItem', 'deleteItem', 'conditionCheck'].filter((k) => entry[k] !== undefined);
  if (kinds.length !== 1) utilFailure('transactWrite(): each item needs exactly one of putItem, updateItem, deleteItem, conditionCheck');
  const kind = kinds[0];
  const spec = input(`transactWrite ${kind}`, entry[kind]);
  if (typeof spec.table !== 'string' || spec.table === '') utilFailure(`transactWrite(): ${kind}.table must be a table name`);
  const base: Request = { table: spec.table };
  switch (kind) {
    case 'putItem':
      return withDefined({ ...base, operation: 'PutItem', key: key('transactWrite', spec.key), attributeValues: item('transactWrite', spec.item) },
        { condition: expression('transactWrite', 'condition', spec.condition) });
    case 'updateItem':
      return withDefined({ ...base, operation: 'UpdateItem', key: key('transactWrite', spec.key), update: buildUpdateExpression(spec.update) },
        { condition: expression('transactWrite', 'condition', spec.condition) });
    case 'deleteItem':
      return withDefined({ ...base, operation: 'DeleteItem', key: key('transactWrite', spec.key) },
        { condition: expression('transactWrite', 'condition', spec.condition) });
    default: {
      const condition = expression('transactWrite', 'condition', spec.condition);
      if (!condition) utilFailure('transactWrite(): conditionCheck needs a condition');
      return { ...base, operation: 'ConditionCheck', key: key('transactWrite', spec.key), condition };
    }
  }
}

export function createDynamoDbModule(): Record<string, unknown> {
  return {
    get: (payload: unknown): Request => {
      const p = input('get', payload);
      return withDefined({ operation: 'GetItem', key: key('get', p.key) },
        { consistentRead: p.consistentRead, projection: projection('get', p.projection) });
    },
    put: (payload: unknown): Request => {
      const p = input('put', payload);
      const req = { operation: 'PutItem', key: key('put', p.key), attributeValues: item('put', p.item ?? {}) };
      return passThrough(withDefined(req, { condition: expression('put', 'condition', p.condition) }), p, WRITE_OPTIONS);
    },
    remove: (payload: unknown): Request => {
      const p = input('remove', payload);
      const req = withDefined({ operation: 'DeleteItem', key: key('remove', p.key) }, { condition: expression('remove', 'condition', p.condition) });
      return passThrough(req, p, WRITE_OPTIONS);
    },
    update: (payload: unknown): Request => {
      const p = input('update', payload);
      const req = { operation: 'UpdateItem', key: key('update', p.key), update: buildUpdateExpression(p.update) };
      return passThrough(withDefined(req, { condition: expression('update', 'condition', p.condition) }), p, WRITE_OPTIONS);
    },
    query: (payload: unknown): Request => {
      const p = input('query', payload);
      const req = passThrough({ operation: 'Query', query: keyCondition(p.query) }, p, READ_OPTIONS);
      return withDefined(req, { filter: expression('query', 'filter', p.filter), projection: projection('query', p.projection) });
    },
    scan: (payload: unknown): Request => {
      const p = input('scan', payload ?? {});
      const req = passThrough({ operation: 'Scan' }, p, [...READ_OPTIONS, 'totalSegments', 'segment']);
      return withDefined(req, { filter: expression('scan', 'filter', p.filter), projection: projection('scan', p.projection) });
    },
    sync: (payload: unknown): Request => {
      const p = input('sync', payload ?? {});
      const req = passThrough({ operation: 'Sync' }, p, ['basePartitionKey', 'deltaIndexName', 'limit', 'nextToken', 'lastSync']);
      return withDefined(req, { filter: expression('sync', 'filter', p.filter) });
    },
    batchGet: (payload: unknown): Request => {
      const p = input('batchGet', payload);
      const tables = tableMap('batchGet', p.tables, (table, spec) => {
        const s = input(`batchGet ${table}`, spec);
        return withDefined({ keys: list('batchGet', 'keys', s.keys).map((k) => key('batchGet', k)) },
          { consistentRead: s.consistentRead, projection: projection('batchGet', s.projection) });
      });
      return { operation: 'BatchGetItem', tables };
    },
    batchPut: (payload: unknown): Request => {
      const p = input('batchPut', payload);
      return { operation: 'BatchPutItem', tables: tableMap('batchPut', p.tables, (_t, items) => list('batchPut', 'items', items).map((i) => item('batchPut', i))) };
    },
    batchDelete: (payload: unknown): Request => {
      const p = input('batchDelete', payload);
      return { operation: 'BatchDeleteItem', tables: tableMap('batchDelete', p.tables, (_t, keys) => list('batchDelete', 'keys', keys).map((k) => key('batchDelete', k))) };
    },
    transactGet: (payload: unknown): Request => {
      const p = input('transactGet', payload);
      const transactItems = list('transactGet', 'items', p.items).map((entry) => {
        const e = input('transactGet item', entry);
        if (typeof e.table !== 'string' || e.table === '') utilFailure('transactGet(): each item needs a table');
        return withDefined({ table: e.table, key: key('transactGet', e.key) }, { projection: projection('transactGet', e.projection) });
      });
      return { operation: 'TransactGetItems', transactItems };
    },
    transactWrite: (payload: unknown): Request => {
      const p = input('transactWrite', payload);
      return { operation: 'TransactWriteItems', transactItems: list('transactWrite', 'items', p.items).map(transactWriteItem) };
    },
    toStringSet: (values: unknown) => toStringSet(values),
    toNumberSet: (values: unknown) => toNumberSet(values),
    toBinarySet: (values: unknown) => toBinarySet(values),
    operations: createOperations(),
  };
}
