// The update object of @aws-appsync/utils/dynamodb update() to an UpdateItem expression, with
// AppSync's placeholder naming (#expName_N / :expValue_N, counted separately, recorded from AWS
// EvaluateCode). Several SET actions are joined with ", " (recorded: "SET #expName_1 = :expValue_1,
// #expName_2 = :expValue_2, ..."); REMOVE actions follow in one REMOVE clause. A plain nested object
// updates the keys it names (nested paths); operations.replace/add set the whole value.
import { isPlainObject, setOwn, utilFailure } from './errors.ts';
import { toDynamoDB, type AttributeValue } from './dynamodb-values.ts';

export const OPERATION_TYPES = [
  'OPERATION_ADD', 'OPERATION_REMOVE', 'OPERATION_REPLACE', 'OPERATION_INCREMENT', 'OPERATION_DECREMENT',
  'OPERATION_APPEND', 'OPERATION_PREPEND', 'OPERATION_UPDATE_LIST_ITEM',
] as const;
const KNOWN = new Set<string>(OPERATION_TYPES);
const MAX_DEPTH = 32;

export function isOperation(value: unknown): value is Record<string, unknown> & { type: string } {
  return isPlainObject(value) && typeof value.type === 'string' && KNOWN.has(value.type);
}

export interface UpdateExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

export function buildUpdateExpression(update: unknown): UpdateExpression {
  if (!isPlainObject(update)) return utilFailure('update() expects an update object');
  const sets: string[] = [];
  const removes: string[] = [];
  const expressionNames: Record<string, string> = {};
  const expressionValues: Record<string, AttributeValue> = {};
  let names = 0;
  let values = 0;
  const name = (attr: string) => {
    names += 1;
    const placeholder = `#expName_${names}`;
    setOwn(expressionNames, placeholder, attr);
    return placeholder;
  };
  const value = (v: unknown) => {
    values += 1;
    const placeholder = `:expValue_${values}`;
    setOwn(expressionValues, placeholder, toDynamoDB(v));
    return placeholder;
  };
  const listIndex = (op: Record<string, unknown>): number => {
    if (typeof op.index !== 'number' || !Number.isInteger(op.index) || op.index < 0) {
      utilFailure('operations.updateListItem needs a non-negative integer index');
    }
    return op.index as number;
  };

  const walk = (obj: Record<string, unknown>, prefix: string, depth: number): void => {
    if (depth > MAX_DEPTH) utilFailure('update(): the update object is nested too deeply');
    for (const [attr, v] of Object.entries(obj)) {
      if (v === undefined) continue;
      const path = prefix === '' ? name(attr) : `${prefix}.${name(attr)}`;
      if (isOperation(v)) {
        switch (v.type) {
          case 'OPERATION_ADD':
          case 'OPERATION_REPLACE': sets.push(`${path} = ${value(v.value)}`); break;
          case 'OPERATION_REMOVE': removes.push(path); break;
          case 'OPERATION_INCREMENT': sets.push(`${path} = ${path} + ${value(v.by)}`); break;
          case 'OPERATION_DECREMENT': sets.push(`${path} = ${path} - ${value(v.by)}`); break;
          case 'OPERATION_APPEND': sets.push(`${path} = list_append(${path}, ${value(v.items)})`); break;
          case 'OPERATION_PREPEND': sets.push(`${path} = list_append(${value(v.items)}, ${path})`); break;
          case 'OPERATION_UPDATE_LIST_ITEM': sets.push(`${path}[${listIndex(v)}] = ${value(v.value)}`); break;
        }
      } else if (Array.isArray(v) && v.length > 0 && v.every((item) => isOperation(item) && item.type === 'OPERATION_UPDATE_LIST_ITEM')) {
        for (const item of v as Array<Record<string, unknown>>) sets.push(`${path}[${listIndex(item)}] = ${value(item.value)}`);
      } else if (isPlainObject(v)) {
        walk(v, path, depth + 1);
      } else {
        sets.push(`${path} = ${value(v)}`);
      }
    }
  };
  walk(update, '', 0);
  const clauses: string[] = [];
  if (sets.length > 0) clauses.push(`SET ${sets.join(', ')}`);
  if (removes.length > 0) clauses.push(`REMOVE ${removes.join(', ')}`);
  if (clauses.length === 0) utilFailure('update(): the update object names no attribute to change');
  return { expression: clauses.join(' '), expressionNames, expressionValues };
}

export function createOperations(): Record<string, unknown> {
  const list = (name: string, items: unknown) => {
    if (!Array.isArray(items)) utilFailure(`operations.${name} expects a list`);
    return items;
  };
  const amount = (name: string, by: unknown) => {
    if (by === undefined) return 1;
    if (typeof by !== 'number' || !Number.isFinite(by)) utilFailure(`operations.${name} expects a number`);
    return by;
  };
  return {
    add: (value: unknown) => ({ type: 'OPERATION_ADD', value }),
    remove: () => ({ type: 'OPERATION_REMOVE' }),
    replace: (value: unknown) => ({ type: 'OPERATION_REPLACE', value }),
    increment: (by?: unknown) => ({ type: 'OPERATION_INCREMENT', by: amount('increment', by) }),
    decrement: (by?: unknown) => ({ type: 'OPERATION_DECREMENT', by: amount('decrement', by) }),
    append: (items: unknown) => ({ type: 'OPERATION_APPEND', items: list('append', items) }),
    prepend: (items: unknown) => ({ type: 'OPERATION_PREPEND', items: list('prepend', items) }),
    updateListItem: (value: unknown, index: unknown) => ({ type: 'OPERATION_UPDATE_LIST_ITEM', value, index }),
  };
}
