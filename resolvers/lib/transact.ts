// Raw TransactWriteItems entries (AppSync request shape). Expressions are written out because the
// holds need if_not_exists and arithmetic that the filter-object builders cannot express.
import { util } from '@aws-appsync/utils';
import { dbKey, type TableKey } from './keys';

export interface Expression {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

function expressionOf(e: Expression) {
  return {
    expression: e.expression,
    expressionNames: e.names,
    expressionValues: e.values ? util.dynamodb.toMapValues(e.values) : undefined,
  };
}

function conditionOf(e: Expression | undefined) {
  if (!e) return undefined;
  return { ...expressionOf(e), returnValuesOnConditionCheckFailure: true };
}

export function txUpdate(table: string, key: TableKey, update: Expression, condition?: Expression) {
  return { table, operation: 'UpdateItem', key: dbKey(key), update: expressionOf(update), condition: conditionOf(condition) };
}

export function txPut(table: string, key: TableKey, item: Record<string, unknown>, condition?: Expression) {
  return { table, operation: 'PutItem', key: dbKey(key), attributeValues: util.dynamodb.toMapValues(item), condition: conditionOf(condition) };
}

export function txDelete(table: string, key: TableKey, condition?: Expression) {
  return { table, operation: 'DeleteItem', key: dbKey(key), condition: conditionOf(condition) };
}

export function transactWrite(items: unknown[]) {
  return { operation: 'TransactWriteItems', transactItems: items };
}

export interface CancellationReason {
  type: string;
  message?: string;
  item?: Record<string, unknown> | null;
}

/** The reasons of a cancelled transaction, in request order; empty when it did not fail that way. */
export function cancellationReasons(result: unknown): CancellationReason[] {
  const r = result as { cancellationReasons?: CancellationReason[] | null } | null;
  return r && r.cancellationReasons ? r.cancellationReasons : [];
}

export function failedCondition(reason: CancellationReason | undefined): boolean {
  return !!reason && reason.type === 'ConditionalCheckFailed';
}

/** True when a condition decided the outcome (a domain answer), not a conflict or a bad request. */
export function cancelledByCondition(result: unknown): boolean {
  return cancellationReasons(result).some((r) => failedCondition(r));
}

/** Another transaction touched the same items at the same moment: the caller may retry. */
export function cancelledByConflict(result: unknown): boolean {
  return cancellationReasons(result).some((r) => r.type === 'TransactionConflict');
}

/** `SET` of every non-null field (names #f_<k>, values :f_<k>): upserts a whole record in one UpdateItem. */
export function setAll(fields: Record<string, unknown>): Expression {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses: string[] = [];
  for (const k of Object.keys(fields)) {
    if (fields[k] !== null && fields[k] !== undefined) {
      names[`#f_${k}`] = k;
      values[`:f_${k}`] = fields[k];
      clauses.push(`#f_${k} = :f_${k}`);
    }
  }
  return { expression: `SET ${clauses.join(', ')}`, names, values };
}
