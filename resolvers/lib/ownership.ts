// "The provider's owner or admins": reads the provider and checks its ownerId.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { fail, failOnDataSourceError } from './errors';
import { callerId, isAdmin } from './identity';
import { providerKey } from './keys';
import { onlyIf } from './pipeline';

/** Request of a provider read; skips it when `allowed` already settles the question. */
export function providerReadRequest(ctx: Context, providerId: string, allowed: boolean) {
  onlyIf(ctx, !allowed);
  return ddb.get({ key: providerKey(providerId), projection: ['id', 'ownerId', 'timeZone', 'name'] });
}

/** NotFound hides items from callers who may not see them; Unauthorized when they may see but not act. */
export function requireOwner(
  ctx: Context,
  denial: 'NotFound' | 'Unauthorized',
  what: string,
  refusal = "Only the provider's owner or an admin may do this",
): Record<string, unknown> {
  failOnDataSourceError(ctx.error);
  const provider = ctx.result;
  if (!provider) return fail('NotFound', `${what} does not exist`);
  if (provider.ownerId !== callerId(ctx) && !isAdmin(ctx)) {
    return denial === 'NotFound' ? fail('NotFound', `${what} does not exist`) : fail('Unauthorized', refusal);
  }
  return provider;
}
