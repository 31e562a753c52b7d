// The parts AppSync's DynamoDB requests share: keys, expressions, projections, conditions.
import { MappingTemplateError } from '../errors.ts';
import { toWireItem, type WireItem } from '../values.ts';
import {
  at,
  fieldsOf,
  optionalBoolean,
  optionalEnum,
  optionalString,
  optionalStringArray,
  optionalStringMap,
  present,
  required,
  requiredString,
  type Fields,
} from './fields.ts';

/** {expression, expressionNames?, expressionValues?} with the values already SDK-typed. */
export interface Expression {
  expression: string;
  names: Record<string, string>;
  values: WireItem;
}

export interface Condition extends Expression {
  /** Top-level attributes left out when a failed PutItem compares the current item with its own. */
  equalsIgnore: string[];
  /** The re-read after a failed condition is strongly consistent unless this is false. */
  consistentRead: boolean;
}

export interface TransactCondition extends Expression {
  /** cancellationReasons carry the existing item unless returnValuesOnConditionCheckFailure is false. */
  returnExistingItem: boolean;
}

function readExpression(obj: Fields, path: string, withValues: boolean): Expression {
  return {
    expression: requiredString(obj, 'expression', path),
    names: optionalStringMap(obj, 'expressionNames', path) ?? {},
    values: withValues && present(obj, 'expressionValues') ? toWireItem(obj.expressionValues, at(path, 'expressionValues')) : {},
  };
}

/** A query, filter or update expression. */
export function expressionAt(obj: Fields, name: string, path: string): Expression {
  const here = at(path, name);
  return readExpression(fieldsOf(required(obj, name, path), here, ['expression', 'expressionNames', 'expressionValues']), here, true);
}

export function optionalExpressionAt(obj: Fields, name: string, path: string): Expression | undefined {
  return present(obj, name) ? expressionAt(obj, name, path) : undefined;
}

/** A projection: an expression with names only. */
export function projectionAt(obj: Fields, path: string): Expression | undefined {
  if (!present(obj, 'projection')) return undefined;
  const here = at(path, 'projection');
  return readExpression(fieldsOf(obj.projection, here, ['expression', 'expressionNames']), here, false);
}

export function keyAt(obj: Fields, path: string, name = 'key'): WireItem {
  const key = toWireItem(required(obj, name, path), at(path, name));
  if (Object.keys(key).length === 0) throw new MappingTemplateError(`Value for field '${at(path, name)}' must not be empty.`);
  return key;
}

export function conditionAt(obj: Fields, path: string): Condition | undefined {
  if (!present(obj, 'condition')) return undefined;
  const here = at(path, 'condition');
  const fields = fieldsOf(obj.condition, here, [
    'expression',
    'expressionNames',
    'expressionValues',
    'equalsIgnore',
    'consistentRead',
    'conditionalCheckFailedHandler',
  ]);
  if (present(fields, 'conditionalCheckFailedHandler')) {
    const handlerPath = at(here, 'conditionalCheckFailedHandler');
    const handler = fieldsOf(fields.conditionalCheckFailedHandler, handlerPath, ['strategy', 'lambdaArn']);
    const strategy = optionalEnum(handler, 'strategy', handlerPath, ['Reject', 'Custom'] as const);
    optionalString(handler, 'lambdaArn', handlerPath);
    if (strategy === 'Custom') {
      // Rejected before the write, so a resolver that relies on it fails loudly instead of half-working.
      throw new MappingTemplateError(
        "conditionalCheckFailedHandler strategy 'Custom' (a Lambda deciding the outcome) is not supported by the local AppSync runtime; use 'Reject'.",
      );
    }
  }
  return {
    ...readExpression(fields, here, true),
    equalsIgnore: optionalStringArray(fields, 'equalsIgnore', here) ?? [],
    consistentRead: optionalBoolean(fields, 'consistentRead', here) ?? true,
  };
}

export function transactConditionAt(obj: Fields, path: string): TransactCondition | undefined {
  if (!present(obj, 'condition')) return undefined;
  const here = at(path, 'condition');
  const fields = fieldsOf(obj.condition, here, ['expression', 'expressionNames', 'expressionValues', 'returnValuesOnConditionCheckFailure']);
  return {
    ...readExpression(fields, here, true),
    returnExistingItem: optionalBoolean(fields, 'returnValuesOnConditionCheckFailure', here) !== false,
  };
}

/**
 * Fields that only mean something on a versioned data source (conflict detection / Amplify
 * DataStore). slotsync's data source is not versioned, and the local runtime does not emulate one.
 */
export const VERSIONING_FIELDS = ['_version', 'customPartitionKey', 'populateIndexFields'] as const;

export function rejectVersioning(obj: Fields, path: string): void {
  for (const name of VERSIONING_FIELDS) {
    if (present(obj, name)) {
      throw new MappingTemplateError(
        `Field '${at(path, name)}' needs a versioned data source (conflict detection), which the local AppSync runtime does not emulate.`,
      );
    }
  }
}
