// Pipeline plumbing: steps that do not apply to this request skip their data source.
import type { Context } from '@aws-appsync/utils';
import { runtime } from '@aws-appsync/utils';
import { API_SETTINGS, type ApiSettingName } from '../../functions/shared/model.ts';

/**
 * Skip this function (its data source and response) unless `applies`. AppSync fails an
 * earlyReturn of null (aws-appsync-community#280), so an empty result passes on as {}.
 */
export function onlyIf(ctx: Context, applies: boolean): void {
  if (!applies) runtime.earlyReturn(ctx.prev.result || {});
}

/**
 * An API setting from the environment, within its range. The local server refuses values outside
 * it at start; here a bad deployed value falls back or is clamped rather than failing every call.
 */
export function envNumber(ctx: Context, name: ApiSettingName): number {
  const { fallback, min, max } = API_SETTINGS[name];
  const raw = ctx.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(n)));
}
