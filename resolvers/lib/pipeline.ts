// Pipeline plumbing: steps that do not apply to this request skip their data source.
import type { Context } from '@aws-appsync/utils';
import { runtime } from '@aws-appsync/utils';

/**
 * Skip this function (its data source and response) unless `applies`. AppSync fails an
 * earlyReturn of null (aws-appsync-community#280), so an empty result passes on as {}.
 */
export function onlyIf(ctx: Context, applies: boolean): void {
  if (!applies) runtime.earlyReturn(ctx.prev.result || {});
}

/** A positive whole number from the API environment, within [min, max]. */
export function envNumber(ctx: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(n)));
}
