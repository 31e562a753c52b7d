// What one GraphQL request shares across its fields and their pipelines, with the real APPSYNC_JS
// runtime behind the HTTP endpoint: AppSync's execution deadline (30 s, shortened here), the limit
// of 5 invalidateSubscriptions calls, and util.error data filtered by the selection set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalAuth } from '../../../../local/appsync/auth/local.ts';
import { createNoneDataSource } from '../../../../local/appsync/datasources/none.ts';
import type { DataSource } from '../../../../local/appsync/datasources/types.ts';
import { executeOperation, type Invalidation } from '../../../../local/appsync/http/execute.ts';
import { createAppSyncHttpServer, type AppSyncHttpServer } from '../../../../local/appsync/http/server.ts';
import { createResolverRunner } from '../../../../local/appsync/runtime/runner.ts';
import type { ResolverRunner } from '../../../../local/appsync/runtime/types.ts';
import { buildAppSyncSchemaFromSDL } from '../../../../local/appsync/schema/build.ts';
import { gql } from './support.ts';

const REQUEST_TIMEOUT_MS = 500;
const ROOT = new URL('../../../../', import.meta.url).pathname;

const SDL = /* GraphQL */ `
type Item { id: ID! name: String secret: String child: Item items: [Item] }
type Query {
  slow(ms: Int!): Item
  steps(ms: Int!): Item
  spin(ms: Int!): Item
  failing(append: Boolean): Item
}
type Mutation { touch(id: ID!, ms: Int, invalidate: [String!]): Item }
`;

// Already-bundled APPSYNC_JS, as infra/bundle.ts emits it. `delay` answers after request.delayMs.
const DELAYED = `export function request(ctx) {
  return { delayMs: ctx.args.ms ?? 0, payload: { id: ctx.args.id ?? 'slow', name: (ctx.prev?.result?.name ?? '') + '+' } };
}
export function response(ctx) {
  return ctx.result;
}`;
const LOOP = `export function request(ctx) {
  const list = [1];
  for (const x of list) list.push(x);
  return {};
}
export function response(ctx) {
  return ctx.prev.result;
}`;
const TOUCH = `import { extensions } from '@aws-appsync/utils';
export function request(ctx) {
  return { delayMs: ctx.args.ms ?? 0, payload: { id: ctx.args.id } };
}
export function response(ctx) {
  for (const key of ctx.args.invalidate ?? []) extensions.invalidateSubscriptions({ subscriptionField: 'onTouch', payload: { key } });
  return ctx.result;
}`;
const FAILING = `import { util } from '@aws-appsync/utils';
export function request(ctx) {
  return { payload: null };
}
export function response(ctx) {
  const item = { id: 'i1', name: 'one', secret: 's1', child: { id: 'c1', secret: 's2' }, items: [{ id: 'a', secret: 's3' }] };
  if (ctx.args.append) {
    util.appendError('partly', 'Partial', item, { secret: 'kept' });
    return { id: 'i1' };
  }
  util.error('gone', 'Gone', item, { secret: 'kept' });
}`;

const delay: DataSource = {
  invoke: (request) => {
    const { delayMs, payload } = request as { delayMs: number; payload: unknown };
    return new Promise((resolve) => setTimeout(() => resolve({ result: payload }), delayMs));
  },
};

const unit = (typeName: string, fieldName: string, entry: string, dataSource: string) =>
  ({ typeName, fieldName, kind: 'UNIT' as const, dataSource, entry, functions: [] });
const fn = (name: string, entry: string, dataSource: string) => ({ name, entry, dataSource });

let http: AppSyncHttpServer | undefined;
let runner: ResolverRunner;
let url: string;
let key: Record<string, string>;
let stateDir: string;
const invalidations: Invalidation[] = [];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'slotsync-request-scope-'));
  const { auth, apiKey } = await createLocalAuth(stateDir);
  runner = createResolverRunner({
    root: ROOT,
    specs: [
      unit('Query', 'slow', 'inline/delayed.js', 'delay'),
      { typeName: 'Query', fieldName: 'steps', kind: 'PIPELINE', functions: [fn('step1', 'inline/delayed.js', 'delay'), fn('step2', 'inline/delayed.js', 'delay')] },
      { typeName: 'Query', fieldName: 'spin', kind: 'PIPELINE', functions: [fn('wait', 'inline/delayed.js', 'delay'), fn('loop', 'inline/loop.js', 'NONE')] },
      unit('Query', 'failing', 'inline/failing.js', 'NONE'),
      unit('Mutation', 'touch', 'inline/touch.js', 'delay'),
    ],
    code: new Map([
      ['inline/delayed.js', DELAYED],
      ['inline/loop.js', LOOP],
      ['inline/touch.js', TOUCH],
      ['inline/failing.js', FAILING],
    ]),
    dataSources: { NONE: createNoneDataSource(), delay },
    env: {},
  });
  http = createAppSyncHttpServer({
    model: buildAppSyncSchemaFromSDL(SDL, 'API_KEY'),
    runner,
    auth,
    rateLimit: { limit: 10_000, windowSeconds: 300 },
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    onSubscriptionsInvalidated: (i) => invalidations.push(i),
  });
  url = (await http.listen(0, '127.0.0.1')).url;
  key = { 'x-api-key': apiKey.id };
});
afterAll(async () => {
  await http?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const timedOut = (path: Array<string | number>, line: number, column: number) => ({
  path,
  data: null,
  errorType: 'ExecutionTimeout',
  errorInfo: null,
  locations: [{ line, column, sourceName: null }],
  message: 'Execution timed out.',
});

describe('the request deadline', () => {
  it('a data source call still running at the deadline: the field is null with ExecutionTimeout', async () => {
    const r = await gql(url, key, 'query {\n  slow(ms: 1500) { id }\n}');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { slow: null }, errors: [timedOut(['slow'], 2, 3)] });
  });

  it('a call that ends within the deadline answers as usual', async () => {
    const r = await gql(url, key, 'query { slow(ms: 10) { id } }');
    expect(r.body).toEqual({ data: { slow: { id: 'slow' } } });
  });

  it('spans a pipeline: two steps each under the limit, together over it', async () => {
    expect((await gql(url, key, 'query { steps(ms: 10) { name } }')).body).toEqual({ data: { steps: { name: '++' } } });
    const r = await gql(url, key, 'query { steps(ms: 300) { name } }');
    expect(r.body).toEqual({ data: { steps: null }, errors: [timedOut(['steps'], 1, 9)] });
  });

  it('spans the fields of a request: the second of two serial mutations runs out of time', async () => {
    const r = await gql(url, key, 'mutation { a: touch(id: "1", ms: 300) { id } b: touch(id: "2", ms: 300) { id } }');
    expect(r.body).toEqual({ data: { a: { id: '1' }, b: null }, errors: [timedOut(['b'], 1, 46)] });
  });

  it('is 30 s when none is given', async () => {
    // The deadline's clock (performance.now) and the timer racing the data source are faked, so
    // the 30 s pass at once; the delay data source's answer, due at 60 s, never comes first.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const invoke = vi.spyOn(delay, 'invoke');
    try {
      let settled = false;
      const outcome = executeOperation(
        buildAppSyncSchemaFromSDL(SDL, 'API_KEY'),
        runner,
        { query: 'query { slow(ms: 60000) { id } }', variables: {}, operationName: null },
        { ok: true, mode: 'API_KEY', authType: 'API Key Authorization', identity: null, groups: [] },
        { headers: {}, domainName: null },
      ).finally(() => {
        settled = true;
      });
      // The deadline's timer is set by the time the data source is called.
      for (let turns = 0; invoke.mock.calls.length === 0; turns += 1) {
        if (turns > 1000) throw new Error('the data source was never called');
        await new Promise((resolve) => setImmediate(resolve));
      }
      await vi.advanceTimersByTimeAsync(29_999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toBe(true);
      expect((await outcome).body).toEqual({ data: { slow: null }, errors: [timedOut(['slow'], 1, 9)] });
    } finally {
      invoke.mockRestore();
      vi.useRealTimers();
    }
  });

  it('a handler that outlives the request stops as the request does, not as a runaway handler', async () => {
    // The loop would run into its 1 s handler budget (errorType Code); the request ends first.
    const r = await gql(url, key, 'query { spin(ms: 350) { id } }');
    expect(r.body).toEqual({ data: { spin: null }, errors: [timedOut(['spin'], 1, 9)] });
  });
});

describe('extensions.invalidateSubscriptions', () => {
  it('counts 5 distinct calls per request, across its fields', async () => {
    invalidations.length = 0;
    const r = await gql(
      url,
      key,
      'mutation { a: touch(id: "1", invalidate: ["k1", "k2", "k3"]) { id } b: touch(id: "2", invalidate: ["k3", "k4", "k5", "k6"]) { id } }',
    );
    expect(r.body.data).toEqual({ a: { id: '1' }, b: null });
    expect(r.body.errors).toEqual([
      expect.objectContaining({ path: ['b'], errorType: null, message: 'extensions.invalidateSubscriptions can be called at most 5 times per request' }),
    ]);
    // k3 repeated adds nothing; k6 is the sixth distinct call.
    expect(invalidations.map((i) => i.payload.key)).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
  });

  it('starts afresh with each request', async () => {
    const r = await gql(url, key, 'mutation { touch(id: "1", invalidate: ["k1", "k2", "k3", "k4", "k5"]) { id } }');
    expect(r.body).toEqual({ data: { touch: { id: '1' } } });
  });
});

describe('util.error data', () => {
  it('is filtered by the field\'s selection set, nested ones included; errorInfo is not', async () => {
    const r = await gql(url, key, 'query { failing { id child { id } list: items { id } } }');
    expect(r.body.errors).toEqual([
      expect.objectContaining({ data: { id: 'i1', child: { id: 'c1' }, list: [{ id: 'a' }] }, errorType: 'Gone', errorInfo: { secret: 'kept' } }),
    ]);
  });

  it('util.appendError data likewise', async () => {
    const r = await gql(url, key, 'query { failing(append: true) { name } }');
    expect(r.body.data).toEqual({ failing: { name: null } });
    expect(r.body.errors).toEqual([expect.objectContaining({ data: { name: 'one' }, errorType: 'Partial', errorInfo: { secret: 'kept' } })]);
  });
});
