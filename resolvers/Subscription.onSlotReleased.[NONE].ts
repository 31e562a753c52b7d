// Only changes that make a slot AVAILABLE again, for this provider (and date, when given). A
// deleted AVAILABLE slot is published with its last status, AVAILABLE: it is gone, not released.
import type { Context } from '@aws-appsync/utils';
import { extensions, util } from '@aws-appsync/utils';
import { requireId } from './lib/validate';

type Args = { providerId: string; date?: string | null };

export function request(ctx: Context<Args>) {
  requireId('providerId', ctx.args.providerId);
  return { payload: null };
}

export function response(ctx: Context<Args>) {
  const filter: Record<string, unknown> = {
    providerId: { eq: ctx.args.providerId },
    status: { eq: 'AVAILABLE' },
    reason: { ne: 'DELETED' },
  };
  if (ctx.args.date) filter.date = { eq: ctx.args.date };
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
  return null;
}
