// What Query and Scan share: the continuation token in, and {items, nextToken, scannedCount} out.
import type { DataSourceOutcome } from '../types.ts';
import type { OperationContext } from './context.ts';
import { ExpressionAttributes } from './expressions.ts';
import { pageScope } from './pageTokens.ts';
import type { ReadRequest } from './validation/requests.ts';
import { toPlainItem, type WireItem } from './values.ts';

/**
 * The scope a token is bound to: operation, table, index, (Scan) the segment, and the resolver or
 * function that read the page, since AppSync's tokens "cannot be used across functions".
 */
export function scopeOf(operation: 'Query' | 'Scan', ctx: OperationContext, req: ReadRequest, segment?: string): string {
  return pageScope([operation, ctx.tableName, req.index, segment, ctx.caller]);
}

/** The parameters common to Query and Scan; `attributes` collects the expressions. */
export function readParams(ctx: OperationContext, req: ReadRequest, scope: string, attributes: ExpressionAttributes) {
  return {
    TableName: ctx.tableName,
    IndexName: req.index,
    Limit: req.limit,
    ConsistentRead: req.consistentRead,
    Select: req.select,
    FilterExpression: attributes.add(req.filter),
    ProjectionExpression: attributes.add(req.projection),
    ExclusiveStartKey: req.nextToken === undefined ? undefined : ctx.tokens.open(req.nextToken, scope),
  };
}

export function pageResult(
  ctx: OperationContext,
  scope: string,
  output: { Items?: WireItem[]; LastEvaluatedKey?: WireItem; ScannedCount?: number },
): DataSourceOutcome {
  return {
    result: {
      items: (output.Items ?? []).map(toPlainItem),
      nextToken: output.LastEvaluatedKey ? ctx.tokens.seal(output.LastEvaluatedKey, scope) : null,
      scannedCount: output.ScannedCount ?? 0,
    },
  };
}
