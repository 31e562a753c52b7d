// Scan: {items, nextToken, scannedCount}, optionally one segment of a parallel scan.
import type { DataSourceOutcome } from '../types.ts';
import type { OperationContext } from './context.ts';
import { ExpressionAttributes } from './expressions.ts';
import { pageResult, readParams, scopeOf } from './pages.ts';
import { scanRequest } from './validation/requests.ts';

export async function scan(request: unknown, ctx: OperationContext): Promise<DataSourceOutcome> {
  const req = scanRequest(request);
  const segment = req.totalSegments === undefined ? undefined : `${req.segment}/${req.totalSegments}`;
  const scope = scopeOf('Scan', ctx, req, segment);
  const attributes = new ExpressionAttributes();
  const params = readParams(ctx, req, scope, attributes);
  const output = await ctx.dynamodb.call('Scan', { ...params, Segment: req.segment, TotalSegments: req.totalSegments, ...attributes.params() });
  return pageResult(ctx, scope, output);
}
