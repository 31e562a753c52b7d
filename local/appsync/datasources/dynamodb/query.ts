// Query: {items, nextToken, scannedCount}; nextToken is sealed (see pageTokens.ts).
import type { DataSourceOutcome } from '../types.ts';
import type { OperationContext } from './context.ts';
import { ExpressionAttributes } from './expressions.ts';
import { pageResult, readParams, scopeOf } from './pages.ts';
import { queryRequest } from './validation/requests.ts';

export async function query(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  const req = queryRequest(request);
  const scope = scopeOf('Query', ctx, req);
  const attributes = new ExpressionAttributes();
  const keyCondition = attributes.add(req.query);
  const params = readParams(ctx, req, scope, attributes);
  const output = await ctx.dynamodb.call('Query', {
    ...params,
    KeyConditionExpression: keyCondition,
    ScanIndexForward: req.scanIndexForward,
    ...attributes.params(),
  });
  return pageResult(ctx, scope, output);
}
