// The filter comes from the caller's identity, never from arguments: nobody can listen to
// someone else's bookings.
import type { Context } from '@aws-appsync/utils';
import { extensions, util } from '@aws-appsync/utils';
import { fail } from './lib/errors';
import { callerId } from './lib/identity';

export function request(ctx: Context) {
  if (!callerId(ctx)) fail('Unauthorized', 'Sign in to watch your bookings');
  return { payload: null };
}

export function response(ctx: Context) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ userId: { eq: callerId(ctx) } }));
  return null;
}
