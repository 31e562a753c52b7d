// The API's execution limits on the HTTP endpoint, with the real APPSYNC_JS runtime on a NONE data
// source: a field past queryDepthLimit and a resolver past resolverCountLimit answer null with
// their errorType while the rest of the query answers; introspection DISABLED fails validation of
// __schema and __type selections and leaves __typename alone. A server on AppSync's defaults
// answers the same queries in full.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiLimits } from '../../../../infra/api-limits.ts';
import { createLocalAuth } from '../../../../local/appsync/auth/local.ts';
import { createNoneDataSource } from '../../../../local/appsync/datasources/none.ts';
import type { DataSource } from '../../../../local/appsync/datasources/types.ts';
import { createAppSyncHttpServer, type AppSyncHttpServer } from '../../../../local/appsync/http/server.ts';
import { createResolverRunner } from '../../../../local/appsync/runtime/runner.ts';
import { buildAppSyncSchemaFromSDL } from '../../../../local/appsync/schema/build.ts';
import { gql } from './support.ts';

const ROOT = new URL('../../../../', import.meta.url).pathname;

const SDL = /* GraphQL */ `
type Item { id: ID! name: String tag: String child: Item }
type Query { item(id: ID): Item items: [Item] }
`;

// Already-bundled APPSYNC_JS: three levels of items, and a nested resolver on Item.tag.
const ITEM = `export function request(ctx) {
  const id = ctx.args.id ?? 'i1';
  return { payload: { id, name: 'one', child: { id: id + '.c', name: 'two', child: { id: id + '.c.c', name: 'three' } } } };
}
export function response(ctx) {
  return ctx.result;
}`;
const ITEMS = `export function request(ctx) {
  return { payload: ['a', 'b', 'c'].map((id) => ({ id, child: { id: id + '.c', name: id + '.c' } })) };
}
export function response(ctx) {
  return ctx.result;
}`;
const TAG = `export function request(ctx) {
  return { payload: 'tag-' + ctx.source.id };
}
export function response(ctx) {
  return ctx.result;
}`;

const LIMITS: ApiLimits = { queryDepthLimit: 3, resolverCountLimit: 3, introspection: 'DISABLED' };

const unit = (typeName: string, fieldName: string, entry: string) => ({ typeName, fieldName, kind: 'UNIT' as const, dataSource: 'NONE', entry, functions: [] });

let stateDir: string;
let key: Record<string, string>;
const servers: AppSyncHttpServer[] = [];
let limited: string;
let unlimited: string;
/** Data source calls: a resolver refused at the limit never reaches its data source. */
let calls = 0;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'slotsync-api-limits-'));
  const { auth, apiKey } = await createLocalAuth(stateDir);
  key = { 'x-api-key': apiKey.id };
  const none = createNoneDataSource();
  const counted: DataSource = { invoke: (request, caller) => ((calls += 1), none.invoke(request, caller)) };
  const runner = createResolverRunner({
    root: ROOT,
    specs: [unit('Query', 'item', 'inline/item.js'), unit('Query', 'items', 'inline/items.js'), unit('Item', 'tag', 'inline/tag.js')],
    code: new Map([
      ['inline/item.js', ITEM],
      ['inline/items.js', ITEMS],
      ['inline/tag.js', TAG],
    ]),
    dataSources: { NONE: counted },
    env: {},
  });
  const start = async (limits?: ApiLimits) => {
    const http = createAppSyncHttpServer({ model: buildAppSyncSchemaFromSDL(SDL, 'API_KEY', limits), runner, auth, rateLimit: { limit: 10_000, windowSeconds: 300 } });
    servers.push(http);
    return (await http.listen(0, '127.0.0.1')).url;
  };
  [limited, unlimited] = await Promise.all([start(LIMITS), start()]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(stateDir, { recursive: true, force: true });
});
beforeEach(() => {
  calls = 0;
});

const limitError = (errorType: string, message: string, path: Array<string | number>, line: number, column: number) => ({
  path,
  data: null,
  errorType,
  errorInfo: null,
  locations: [{ line, column, sourceName: null }],
  message,
});
const tooDeep = (path: Array<string | number>, line: number, column: number) => limitError('QueryDepthLimitReached', 'Query depth limit reached', path, line, column);
const tooMany = (path: Array<string | number>, line: number, column: number) =>
  limitError('ResolverExecutionLimitReached', 'Resolver invocation limit reached', path, line, column);

describe('queryDepthLimit', () => {
  it('a query as deep as the limit answers in full', async () => {
    const r = await gql(limited, key, 'query { item { child { name } } }');
    expect(r.body).toEqual({ data: { item: { child: { name: 'two' } } } });
  });

  it('one level deeper: the field past the limit is null with QueryDepthLimitReached, the rest answers', async () => {
    const r = await gql(limited, key, 'query {\n  item {\n    name\n    child { child { name } }\n  }\n}');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { item: { name: 'one', child: { child: { name: null } } } }, errors: [tooDeep(['item', 'child', 'child', 'name'], 4, 21)] });
    expect((await gql(unlimited, key, 'query { item { child { child { name } } } }')).body).toEqual({ data: { item: { child: { child: { name: 'three' } } } } });
  });

  it('a non-null field past the limit passes its null to the nearest nullable parent', async () => {
    const r = await gql(limited, key, 'query { item { child { child { id } } } }');
    expect(r.body).toEqual({ data: { item: { child: { child: null } } }, errors: [tooDeep(['item', 'child', 'child', 'id'], 1, 32)] });
  });

  it('fragments, inline fragments and list indexes add no depth', async () => {
    const r = await gql(limited, key, 'query { items { id child { name } } item { ...F } } fragment F on Item { child { ... on Item { name } } }');
    expect(r.body).toEqual({
      data: { items: [{ id: 'a', child: { name: 'a.c' } }, { id: 'b', child: { name: 'b.c' } }, { id: 'c', child: { name: 'c.c' } }], item: { child: { name: 'two' } } },
    });
  });
});

describe('resolverCountLimit', () => {
  it('resolvers past the limit answer null with ResolverExecutionLimitReached and never run', async () => {
    const r = await gql(limited, key, 'query {\n  a: item(id: "a") { id }\n  b: item(id: "b") { id }\n  c: item(id: "c") { id }\n  d: item(id: "d") { id }\n}');
    expect(r.body).toEqual({ data: { a: { id: 'a' }, b: { id: 'b' }, c: { id: 'c' }, d: null }, errors: [tooMany(['d'], 5, 3)] });
    expect(calls).toBe(3);
  });

  it('nested resolvers count too, per invocation: one per list item', async () => {
    const r = await gql(limited, key, 'query { items { id tag } }');
    expect(r.body).toEqual({
      data: { items: [{ id: 'a', tag: 'tag-a' }, { id: 'b', tag: 'tag-b' }, { id: 'c', tag: null }] },
      errors: [tooMany(['items', 2, 'tag'], 1, 20)],
    });
    expect(calls).toBe(3);
  });

  it('each request has its own count; fields without a resolver count nothing', async () => {
    for (let i = 0; i < 2; i += 1) {
      const r = await gql(limited, key, 'query { a: item { name child { name } } b: item { id } c: item { id } }');
      expect(r.body).toEqual({ data: { a: { name: 'one', child: { name: 'two' } }, b: { id: 'i1' }, c: { id: 'i1' } } });
    }
  });

  it('on the default limit of 10,000 the same request runs every resolver', async () => {
    const r = await gql(unlimited, key, 'query { items { id tag } }');
    expect(r.body).toEqual({ data: { items: [{ id: 'a', tag: 'tag-a' }, { id: 'b', tag: 'tag-b' }, { id: 'c', tag: 'tag-c' }] } });
    expect(calls).toBe(4);
  });
});

describe('introspection DISABLED', () => {
  const undefinedField = (field: string, type: string, path: string, line: number, column: number) => ({
    path: null,
    locations: [{ line, column, sourceName: null }],
    message: `Validation error of type FieldUndefined: Field '${field}' in type '${type}' is undefined @ '${path}'`,
  });

  it('__schema validates, each field selected in it is undefined, and nothing runs', async () => {
    const r = await gql(limited, key, 'query { __schema { types { name } queryType { name } } item { id } }');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      data: null,
      errors: [undefinedField('types', '__Schema', '__schema/types', 1, 20), undefinedField('queryType', '__Schema', '__schema/queryType', 1, 35)],
    });
    expect(calls).toBe(0);
  });

  it('__type and fragments on introspection types fail the same way', async () => {
    const r = await gql(limited, key, 'query { __type(name: "Item") { ...T } } fragment T on __Type { name fields { name } }');
    expect(r.body).toEqual({ data: null, errors: [undefinedField('name', '__Type', 'name', 1, 64), undefinedField('fields', '__Type', 'fields', 1, 69)] });
  });

  it('__typename is no introspection of the schema: it answers everywhere', async () => {
    const r = await gql(limited, key, 'query { __typename item { __typename id } }');
    expect(r.body).toEqual({ data: { __typename: 'Query', item: { __typename: 'Item', id: 'i1' } } });
    // Inside __schema too: a meta-field, not a field of __Schema.
    expect((await gql(limited, key, 'query { __schema { __typename } }')).body).toEqual({ data: { __schema: { __typename: '__Schema' } } });
  });

  it('a field no introspection type has is undefined once, as with introspection enabled', async () => {
    const bogus = { data: null, errors: [undefinedField('bogus', '__Schema', '__schema/bogus', 1, 20)] };
    expect((await gql(limited, key, 'query { __schema { bogus } }')).body).toEqual(bogus);
    expect((await gql(unlimited, key, 'query { __schema { bogus } }')).body).toEqual(bogus);
  });

  it('ENABLED (the default): the same introspection answers', async () => {
    const r = await gql(unlimited, key, 'query { __type(name: "Item") { name fields { name } } }');
    expect(r.body).toEqual({ data: { __type: { name: 'Item', fields: [{ name: 'id' }, { name: 'name' }, { name: 'tag' }, { name: 'child' }] } } });
  });
});

describe('the limits themselves', () => {
  it('out of AppSync ranges, the server refuses to build the model', () => {
    expect(() => buildAppSyncSchemaFromSDL(SDL, 'API_KEY', { ...LIMITS, queryDepthLimit: 76 })).toThrow(/queryDepthLimit must be a whole number from 1 to 75/);
    expect(() => buildAppSyncSchemaFromSDL(SDL, 'API_KEY', { ...LIMITS, resolverCountLimit: 10_001 })).toThrow(/resolverCountLimit/);
  });
});
