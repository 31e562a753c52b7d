// Argument filtering (providerId, date) is AppSync's own: arguments match the published fields.
import type { Context } from '@aws-appsync/utils';
import { requireId } from './lib/validate';

export function request(ctx: Context<{ providerId: string }>) {
  requireId('providerId', ctx.args.providerId);
  return { payload: null };
}

export function response() {
  return null;
}
