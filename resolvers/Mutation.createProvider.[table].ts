// Providers group members create providers they own.
import type { Context } from '@aws-appsync/utils';
import { util } from '@aws-appsync/utils';
import { fail, failOnDataSourceError, invalid } from './lib/errors';
import { callerId } from './lib/identity';
import { toProvider } from './lib/items';
import { dbKey, providerKey } from './lib/keys';
import { isoOf, nowMs } from './lib/time';
import { TIME_ZONES } from './lib/time-zones';
import { optionalText, requireText } from './lib/validate';

type Args = { input: { name: string; description?: string | null; timeZone: string } };

export function request(ctx: Context<Args>) {
  const { input } = ctx.args;
  const ownerId = callerId(ctx);
  if (!ownerId) fail('Unauthorized', 'Sign in to create a provider');
  const name = requireText('input.name', input.name, 120);
  const description = optionalText('input.description', input.description, 1000);
  const timeZone = requireTimeZone(input.timeZone);
  const id = util.autoUlid();
  const now = isoOf(nowMs());
  const item = {
    entity: 'PROVIDER',
    id,
    name,
    description,
    timeZone,
    ownerId,
    createdAt: now,
    updatedAt: now,
    GSI1PK: 'PROVIDERS',
    GSI1SK: `${name.toLowerCase()}#${id}`,
  };
  return {
    operation: 'PutItem',
    key: dbKey(providerKey(id)),
    attributeValues: util.dynamodb.toMapValues(item),
    condition: { expression: 'attribute_not_exists(#pk)', expressionNames: { '#pk': 'PK' } },
  };
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  return toProvider(ctx.result);
}

/** A canonical IANA zone name, e.g. Europe/London. */
function requireTimeZone(value: string): string {
  const zone = (value || '').trim();
  if (TIME_ZONES.indexOf(zone) < 0) invalid('input.timeZone', `"${zone}" is not an IANA time zone such as Europe/London`);
  return zone;
}
