// Enhanced filters set by a real APPSYNC_JS subscription resolver (extensions.setSubscriptionFilter),
// every operator on the wire, AppSync's filter limits, and invalidation
// (setSubscriptionInvalidationFilter + invalidateSubscriptions). The test resolver takes its filter
// from a request header of the start message, so each case can set its own.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionFilter } from '../../../../local/appsync/runtime/state.ts';
import { ackedClient, apiKeyHeaders, iamHeaders, inlineRunner, start, startHarness, startMessage, subscribe, type Harness } from './harness.ts';
import type { RawClient } from './ws-client.ts';

const SDL = `${readFileSync(new URL('../../../../schema/appsync.graphql', import.meta.url), 'utf8')}
type Owner @aws_api_key @aws_iam { name: String country: String }
type Item @aws_api_key @aws_iam {
  id: ID!
  groupId: ID
  name: String
  severity: Int
  tags: [String]
  owner: Owner
}
type Query { item(id: ID!): Item }
type Mutation { putItem(id: ID!): Item @aws_iam }
type Subscription {
  onItem: Item @aws_subscribe(mutations: ["putItem"]) @aws_api_key @aws_iam
}
`;

// Already-bundled APPSYNC_JS, as infra/bundle.ts emits it.
const ON_ITEM = `import { extensions } from '@aws-appsync/utils';
export function request(ctx) {
  return { payload: null };
}
export function response(ctx) {
  const filter = ctx.request.headers['x-test-filter'];
  if (filter) extensions.setSubscriptionFilter(JSON.parse(filter));
  const invalidation = ctx.request.headers['x-test-invalidation'];
  if (invalidation) extensions.setSubscriptionInvalidationFilter(JSON.parse(invalidation));
  return null;
}
`;

const QUERY = 'subscription { onItem { id } }';
const ITEMS = [
  { id: 'i1', groupId: 'g1', name: 'alpha', severity: 1, tags: ['a', 'b'], owner: { name: 'ann', country: 'FR' } },
  { id: 'i2', groupId: 'g2', name: 'beta', severity: 5, tags: ['c'], owner: { name: 'bob', country: 'US' } },
  { id: 'i3', groupId: 'g1', name: 'alphabet', severity: 9, tags: [], owner: { name: 'cy', country: 'DE' } },
];

type Condition = [fieldName: string, operator: string, value: unknown];
const filterOf = (...groups: Condition[][]): SubscriptionFilter =>
  ({ filterGroup: groups.map((g) => ({ filters: g.map(([fieldName, operator, value]) => ({ fieldName, operator, value })) })) }) as SubscriptionFilter;

let h: Harness;
let client: RawClient;
beforeAll(async () => {
  h = await startHarness({ sdl: SDL, runner: inlineRunner({ onItem: ON_ITEM }) });
  client = await ackedClient(h);
});
afterAll(async () => {
  client.close();
  await h.close();
});

const withFilter = (filter: unknown, invalidation?: unknown) => ({
  authorization: {
    ...apiKeyHeaders(h),
    'x-test-filter': JSON.stringify(filter),
    ...(invalidation ? { 'x-test-invalidation': JSON.stringify(invalidation) } : {}),
  },
});

/** Ids of the items delivered to `id` until its stop is answered (complete comes after every data frame). */
async function deliveredUntilStop(id: string): Promise<string[]> {
  client.send({ type: 'stop', id });
  const ids: string[] = [];
  for (;;) {
    const frame = await client.next((f) => f.id === id && (f.type === 'data' || f.type === 'complete'), `data or complete for ${id}`);
    if (frame.type === 'complete') return ids;
    ids.push((frame.payload!.data as { onItem: { id: string } }).onItem.id);
  }
}

describe('every operator', () => {
  it.each<[string, SubscriptionFilter, string[]]>([
    ['eq', filterOf([['severity', 'eq', 5]]), ['i2']],
    ['eq on a string', filterOf([['name', 'eq', 'alpha']]), ['i1']],
    ['ne', filterOf([['severity', 'ne', 5]]), ['i1', 'i3']],
    ['lt', filterOf([['severity', 'lt', 5]]), ['i1']],
    ['le', filterOf([['severity', 'le', 5]]), ['i1', 'i2']],
    ['gt', filterOf([['severity', 'gt', 5]]), ['i3']],
    ['ge', filterOf([['severity', 'ge', 5]]), ['i2', 'i3']],
    ['between (inclusive)', filterOf([['severity', 'between', [5, 9]]]), ['i2', 'i3']],
    ['in', filterOf([['severity', 'in', [1, 9]]]), ['i1', 'i3']],
    ['notIn', filterOf([['severity', 'notIn', [1, 9]]]), ['i2']],
    ['beginsWith', filterOf([['name', 'beginsWith', 'alpha']]), ['i1', 'i3']],
    ['contains, on a string', filterOf([['name', 'contains', 'ph']]), ['i1', 'i3']],
    ['notContains, on a string', filterOf([['name', 'notContains', 'ph']]), ['i2']],
    ['contains, on a list', filterOf([['tags', 'contains', 'a']]), ['i1']],
    ['notContains, on a list', filterOf([['tags', 'notContains', 'a']]), ['i2', 'i3']],
    ['containsAny', filterOf([['tags', 'containsAny', ['c', 'b', 'z']]]), ['i1', 'i2']],
    ['a nested field path', filterOf([['owner.country', 'eq', 'US']]), ['i2']],
    ['conditions in a group are ANDed', filterOf([['name', 'beginsWith', 'alpha'], ['severity', 'gt', 5]]), ['i3']],
    ['groups are ORed', filterOf([['severity', 'eq', 1]], [['name', 'eq', 'beta']]), ['i1', 'i2']],
    ['an unknown operator is accepted and never matches', filterOf([['severity', 'bogus', 5]]), []],
  ])('%s', async (_name, filter, expected) => {
    const id = await subscribe(h, client, QUERY, withFilter(filter));
    for (const item of ITEMS) h.realtime.publish('putItem', item);
    expect(await deliveredUntilStop(id)).toEqual(expected);
  });

  it('no filter: everything', async () => {
    const id = await subscribe(h, client, QUERY);
    for (const item of ITEMS) h.realtime.publish('putItem', item);
    expect(await deliveredUntilStop(id)).toEqual(['i1', 'i2', 'i3']);
  });

  // AWS documents notContains only as the absence of a substring or of a list member; what a
  // missing or null field does is not documented. The code's reading: with nothing to look
  // in, notContains does not match (unlike ne and notIn, which do match a missing field).
  it('notContains does not match a missing or null field', async () => {
    const id = await subscribe(h, client, QUERY, withFilter(filterOf([['tags', 'notContains', 'a']])));
    for (const item of [{ id: 'missing' }, { id: 'null', tags: null }, ...ITEMS]) h.realtime.publish('putItem', item);
    expect(await deliveredUntilStop(id)).toEqual(['i2', 'i3']);
  });

  it('the filter sees the published result, fields the subscriber did not select included', async () => {
    const id = await subscribe(h, client, 'subscription { onItem { name } }', withFilter(filterOf([['owner.name', 'eq', 'bob']])));
    for (const item of ITEMS) h.realtime.publish('putItem', item);
    client.send({ type: 'stop', id });
    expect((await client.nextOfType('data', id)).payload).toEqual({ data: { onItem: { name: 'beta' } } });
    await client.nextOfType('complete', id);
  });
});

describe('filter limits', () => {
  const conditions = (n: number): Condition[] => Array.from({ length: n }, (_, i) => [`f${i}`, 'ne', i] as Condition);
  const groups = (n: number): Condition[][] => Array.from({ length: n }, (_, i) => [[`f${i}`, 'ne', i]] as Condition[]);
  const values = (n: number) => Array.from({ length: n }, (_, i) => i);
  const path = (depth: number) => Array.from({ length: depth }, (_, i) => `p${i}`).join('.');

  it.each<[string, SubscriptionFilter]>([
    ['10 filter groups', filterOf(...groups(10))],
    ['5 conditions in a group', filterOf(conditions(5))],
    ['in with 5 values', filterOf([['severity', 'in', values(5)]])],
    ['notIn with 5 values', filterOf([['severity', 'notIn', values(5)]])],
    ['containsAny with 20 values', filterOf([['tags', 'containsAny', values(20)]])],
    ['a field path 5 levels deep', filterOf([[path(5), 'eq', 1]])],
    ['a field name of 256 characters', filterOf([['n'.repeat(256), 'eq', 1]])],
  ])('accepts %s', async (_name, filter) => {
    const id = await subscribe(h, client, QUERY, withFilter(filter));
    client.send({ type: 'stop', id });
    await client.nextOfType('complete', id);
  });

  it.each<[string, SubscriptionFilter, RegExp]>([
    ['11 filter groups', filterOf(...groups(11)), /at most 10 filter groups/],
    ['6 conditions in a group', filterOf(conditions(6)), /at most 5 filters/],
    ['in with 6 values', filterOf([['severity', 'in', values(6)]]), /'in' takes at most 5 values/],
    ['notIn with 6 values', filterOf([['severity', 'notIn', values(6)]]), /'notIn' takes at most 5 values/],
    ['containsAny with 21 values', filterOf([['tags', 'containsAny', values(21)]]), /'containsAny' takes at most 20 values/],
    ['a field path 6 levels deep', filterOf([[path(6), 'eq', 1]]), /too deeply nested/],
    ['a field name of 257 characters', filterOf([['n'.repeat(257), 'eq', 1]]), /too long/],
    ['between with one value', filterOf([['severity', 'between', [1]]]), /'between' needs exactly two values/],
    ['an empty filterGroup', { filterGroup: [] }, /non-empty filterGroup/],
  ])('refuses %s with an error on start, and no subscription', async (_name, filter, message) => {
    const before = h.realtime.subscriptionCount;
    const { id, reply } = await start(h, client, QUERY, withFilter(filter));
    expect(reply).toMatchObject({ type: 'error', id });
    expect(reply.payload!.errors![0].message).toMatch(message);
    expect(h.realtime.subscriptionCount).toBe(before);
  });
});

describe('invalidation', () => {
  it('closes the subscriptions whose invalidation filter matches the payload, with complete; the others stay live', async () => {
    const g1 = await subscribe(h, client, QUERY, withFilter(filterOf([['severity', 'ge', 0]]), filterOf([['groupId', 'eq', 'g1']])));
    const g2 = await subscribe(h, client, QUERY, withFilter(filterOf([['severity', 'ge', 0]]), filterOf([['groupId', 'eq', 'g2']])));
    const plain = await subscribe(h, client, QUERY);
    expect(h.realtime.invalidate('onItem', { groupId: 'g3' })).toBe(0);
    expect(h.realtime.invalidate('onItem', { groupId: 'g1' })).toBe(1);
    expect(await client.nextOfType('complete', g1)).toEqual({ type: 'complete', id: g1 });
    h.realtime.publish('putItem', ITEMS[1]);
    expect(await deliveredUntilStop(g2)).toEqual(['i2']);
    expect(await deliveredUntilStop(plain)).toEqual(['i2']);
    // The invalidated one received nothing after its complete.
    expect(client.frames.filter((f) => f.id === g1).map((f) => f.type)).toEqual(['start_ack', 'complete']);
  });

  it('invalidating another subscription field touches nothing', async () => {
    const id = await subscribe(h, client, QUERY, withFilter(filterOf([['severity', 'ge', 0]]), filterOf([['groupId', 'eq', 'g1']])));
    expect(h.realtime.invalidate('onSomethingElse', { groupId: 'g1' })).toBe(0);
    h.realtime.publish('putItem', ITEMS[0]);
    expect(await deliveredUntilStop(id)).toEqual(['i1']);
  });
});

describe('IAM on a field that allows it', () => {
  it('a start signed with SigV4 over /graphql with the data string as body is live', async () => {
    const { id, data } = startMessage(h, QUERY);
    client.send({ id, type: 'start', payload: { data, extensions: { authorization: await iamHeaders(h, '/graphql', data) } } });
    await client.nextOfType('start_ack', id);
    expect(h.runner.calls.at(-1)!.invocation).toMatchObject({
      authType: 'IAM Authorization',
      identity: { accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:user/slotsync-local', sourceIp: ['127.0.0.1'] },
    });
    h.realtime.publish('putItem', ITEMS[2]);
    expect(await deliveredUntilStop(id)).toEqual(['i3']);
  });
});
