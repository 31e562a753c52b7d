// Lambda BatchInvoke as AppSync batches it: whole GraphQL requests (graphql-js execution as the HTTP
// endpoint runs it) over the APPSYNC_JS runtime, where each post of a list resolves its author
// through a Lambda data source, against a real handler module called in process as Lambda would.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FunctionName } from '../../../../infra/wiring.ts';
import type { ResolverSpec } from '../../../../infra/resolvers.ts';
import type { AuthSuccess } from '../../../../local/appsync/auth/create-auth.ts';
import { createLambdaDataSource } from '../../../../local/appsync/datasources/lambda.ts';
import { createNoneDataSource } from '../../../../local/appsync/datasources/none.ts';
import { executeOperation } from '../../../../local/appsync/http/execute.ts';
import { createResolverRunner } from '../../../../local/appsync/runtime/runner.ts';
import type { ResolverRunner } from '../../../../local/appsync/runtime/types.ts';
import { buildAppSyncSchemaFromSDL, type AppSyncSchema } from '../../../../local/appsync/schema/build.ts';
import { LambdaFunctionError, type LambdaInvoker } from '../../../../local/lambda/types.ts';
import { batches, handler, singles, type AuthorPayload } from '../../../fixtures/resolvers/lambda-handler/authors.ts';
import { bundleFixtures, fixture, ROOT, unit } from './support.ts';

const FUNCTION: FunctionName = 'generate-slots';
const NOT_A_LIST = 'BatchInvoke: the function must return a list with one result per payload.';

const SDL = /* GraphQL */ `
type Author { id: ID! name: String batchSize: Int step: Int }
type Post {
  id: ID!
  author: Author
  authorByDefault: Author
  authorUnbatched: Author
  authorPiped: Author
  authorUnreachable: Author
  notify(invocationType: String): Author
}
type Query { posts(ids: [ID!]!): [Post] }
`;

const AUTHOR = 'batch/author.ts';
const lambda = (fieldName: string, maxBatchSize?: number): ResolverSpec => ({ ...unit('Post', fieldName, AUTHOR, 'authors'), maxBatchSize });
const PIPED: ResolverSpec = {
  typeName: 'Post',
  fieldName: 'authorPiped',
  kind: 'PIPELINE',
  functions: [
    { name: 'first', dataSource: 'authors', entry: fixture(AUTHOR), maxBatchSize: 4 },
    { name: 'second', dataSource: 'authors', entry: fixture(AUTHOR), maxBatchSize: 6 },
  ],
};
const SPECS: ResolverSpec[] = [
  unit('Query', 'posts', 'batch/posts.ts'),
  lambda('author', 5),
  lambda('authorByDefault'),
  lambda('authorUnbatched', 0),
  lambda('notify', 5),
  { ...lambda('authorUnreachable', 5), dataSource: 'unreachable' },
  PIPED,
];

// Events and answers cross as JSON, as through Lambda's Invoke API.
const invoker: LambdaInvoker = {
  async invoke(functionName, event) {
    try {
      return JSON.parse(JSON.stringify(await handler(JSON.parse(JSON.stringify(event)))) ?? 'null');
    } catch (err) {
      const e = err as Error;
      throw new LambdaFunctionError(functionName, e.name, e.message);
    }
  },
};

/** An invoker that cannot reach the function (not a function error), and the events it was given. */
const unreachableEvents: unknown[] = [];
const unreachable: LambdaInvoker = {
  async invoke(functionName, event) {
    unreachableEvents.push(event);
    throw new Error(`cannot reach ${functionName}`);
  },
};

const caller = (sub: string): AuthSuccess => ({
  ok: true,
  mode: 'AMAZON_COGNITO_USER_POOLS',
  authType: 'User Pool Authorization',
  identity: { sub, username: sub },
  groups: [],
});

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const TWELVE = ids('p', 12);

/** The ids of each batch the function received for one field (and pipeline step). */
const batchIds = (field: string, step = 1) =>
  batches.filter((b) => b[0].field === field && b[0].step === step).map((b) => b.map((p) => p.id));

describe('Lambda BatchInvoke batching', () => {
  let model: AppSyncSchema;
  let runner: ResolverRunner;

  beforeAll(async () => {
    model = buildAppSyncSchemaFromSDL(SDL, 'AMAZON_COGNITO_USER_POOLS');
    runner = createResolverRunner({
      root: ROOT,
      specs: SPECS,
      code: await bundleFixtures(['batch/posts.ts', AUTHOR]),
      dataSources: {
        NONE: createNoneDataSource(),
        authors: createLambdaDataSource(invoker, FUNCTION),
        unreachable: createLambdaDataSource(unreachable, FUNCTION),
      },
      env: {},
    });
  });
  beforeEach(() => {
    batches.length = 0;
    singles.length = 0;
  });

  const query = async (postIds: string[], selection: string, sub = 'alice') => {
    const outcome = await executeOperation(
      model,
      runner,
      { query: `query ($ids: [ID!]!) { posts(ids: $ids) { id ${selection} } }`, variables: { ids: postIds }, operationName: null },
      caller(sub),
      { headers: {}, domainName: null },
    );
    return outcome.body as { data: { posts: Array<Record<string, unknown>> }; errors?: Array<Record<string, unknown>> };
  };

  it('sends 12 sibling resolutions with maxBatchSize 5 as invocations of 5, 5 and 2 payloads, each item to its own resolution', async () => {
    const body = await query(TWELVE, 'author { id name batchSize }');
    expect(batchIds('author')).toEqual([TWELVE.slice(0, 5), TWELVE.slice(5, 10), TWELVE.slice(10)]);
    expect(body.errors).toBeUndefined();
    expect(body.data.posts).toEqual(
      TWELVE.map((id, i) => ({ id, author: { id, name: `author of ${id}`, batchSize: i < 10 ? 5 : 2 } })),
    );
  });

  it('hands each resolution its item as it is: per-item errors are the function’s convention, read by the response handler', async () => {
    const body = await query(['p1', 'bad', 'p3'], 'author { id }');
    expect(batchIds('author')).toEqual([['p1', 'bad', 'p3']]);
    expect(body.data.posts).toEqual([
      { id: 'p1', author: { id: 'p1' } },
      { id: 'bad', author: null },
      { id: 'p3', author: { id: 'p3' } },
    ]);
    expect(body.errors).toMatchObject([{ path: ['posts', 1, 'author'], errorType: 'NotFound', message: 'no author for bad' }]);
  });

  it('sends up to 5 payloads an invocation when the resolver sets no maxBatchSize', async () => {
    await query(TWELVE, 'authorByDefault { id }');
    expect(batchIds('authorByDefault').map((b) => b.length)).toEqual([5, 5, 2]);
  });

  it('sends batches of one (still a list) with maxBatchSize 0, and never mixes fields', async () => {
    const body = await query(TWELVE, 'author { id } authorByDefault { id } authorUnbatched { id batchSize }');
    expect(batchIds('authorUnbatched')).toEqual(TWELVE.map((id) => [id]));
    expect(batchIds('author')).toEqual([TWELVE.slice(0, 5), TWELVE.slice(5, 10), TWELVE.slice(10)]);
    expect(batchIds('authorByDefault')).toEqual([TWELVE.slice(0, 5), TWELVE.slice(5, 10), TWELVE.slice(10)]);
    for (const batch of batches) expect(new Set(batch.map((p: AuthorPayload) => p.field)).size).toBe(1);
    expect(body.data.posts.map((p) => p.authorUnbatched)).toEqual(TWELVE.map((id) => ({ id, batchSize: 1 })));
  });

  it('fails every resolution of a batch whose invocation fails, and only those', async () => {
    const postIds = TWELVE.map((id) => (id === 'p7' ? 'fail' : id));
    const body = await query(postIds, 'author { id }');
    expect(batchIds('author').map((b) => b.length)).toEqual([5, 5, 2]);
    const failed = [5, 6, 7, 8, 9];
    expect(body.data.posts.map((p, i) => (failed.includes(i) ? p.author === null : p.author !== null))).toEqual(postIds.map(() => true));
    expect(body.errors).toEqual(
      failed.map((i) => expect.objectContaining({
        path: ['posts', i, 'author'],
        errorType: 'Lambda:Unhandled',
        message: 'cannot look up p6,fail,p8,p9,p10',
      })),
    );
  });

  it('fails the whole batch when the function answers a list of the wrong length or no list', async () => {
    const postIds = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'short', 'p8', 'p9', 'p10', 'scalar', 'p12'];
    const body = await query(postIds, 'author { id }');
    expect(batchIds('author').map((b) => b.length)).toEqual([5, 5, 2]);
    expect(body.data.posts.map((p) => p.author)).toEqual(postIds.map((id, i) => (i < 5 ? { id } : null)));
    expect(body.errors).toEqual(
      postIds.slice(5).map((_, i) => expect.objectContaining({ path: ['posts', i + 5, 'author'], errorType: 'Lambda:Unhandled', message: NOT_A_LIST })),
    );
  });

  it('reports an invoker failure to every resolution of the batch as an internal failure', async () => {
    unreachableEvents.length = 0;
    const body = await query(ids('p', 3), 'authorUnreachable { id }');
    expect(unreachableEvents).toHaveLength(1);
    expect(body.data.posts.map((p) => p.authorUnreachable)).toEqual([null, null, null]);
    expect(body.errors).toEqual(
      [0, 1, 2].map((i) => expect.objectContaining({ path: ['posts', i, 'authorUnreachable'], errorType: 'InternalFailure', message: 'cannot reach generate-slots' })),
    );
  });

  it('never puts resolutions of two concurrent GraphQL requests in one batch', async () => {
    const [a, b] = await Promise.all([query(ids('a', 3), 'author { id }', 'alice'), query(ids('b', 3), 'author { id }', 'bob')]);
    const seen = batchIds('author');
    expect(seen).toHaveLength(2);
    expect(seen).toEqual(expect.arrayContaining([ids('a', 3), ids('b', 3)]));
    for (const batch of batches) expect(new Set(batch.map((p: AuthorPayload) => p.caller)).size).toBe(1);
    expect(a.data.posts.map((p) => p.author)).toEqual(ids('a', 3).map((id) => ({ id })));
    expect(b.data.posts.map((p) => p.author)).toEqual(ids('b', 3).map((id) => ({ id })));
  });

  it('batches each BatchInvoke function of a pipeline on its own, up to the function’s maxBatchSize', async () => {
    const body = await query(TWELVE, 'authorPiped { id step batchSize }');
    expect(batchIds('authorPiped', 1)).toEqual([TWELVE.slice(0, 4), TWELVE.slice(4, 8), TWELVE.slice(8)]);
    expect(batchIds('authorPiped', 2)).toEqual([TWELVE.slice(0, 6), TWELVE.slice(6)]);
    expect(body.data.posts.map((p) => p.authorPiped)).toEqual(TWELVE.map((id) => ({ id, step: 2, batchSize: 6 })));
  });

  it('fires and forgets an Event BatchInvoke on its own, while RequestResponse siblings batch', async () => {
    const body = await query(TWELVE, 'author { id } notify(invocationType: "Event") { id }');
    expect(body.data.posts.map((p) => p.notify)).toEqual(TWELVE.map(() => null));
    expect(batchIds('author').map((b) => b.length)).toEqual([5, 5, 2]);
    expect(batchIds('notify')).toEqual([]);
    await vi.waitFor(() => expect(singles.map((p) => p.id)).toEqual(TWELVE));
  });

  it('refuses a maxBatchSize outside 0–2000, or on a pipeline resolver rather than its functions', () => {
    const build = (spec: ResolverSpec) => () =>
      createResolverRunner({ root: ROOT, specs: [spec], code: new Map([[fixture(AUTHOR), 'export function request() {}']]), dataSources: { authors: createNoneDataSource() }, env: {} });
    expect(build(lambda('author', 2001))).toThrow('Post.author: maxBatchSize is an integer from 0 to 2000, not 2001');
    expect(build(lambda('author', 1.5))).toThrow('not 1.5');
    expect(build(lambda('author', -1))).toThrow('not -1');
    expect(build({ ...PIPED, maxBatchSize: 5 })).toThrow('Post.authorPiped: a pipeline sets maxBatchSize on its functions');
    expect(build({ ...PIPED, functions: [{ ...PIPED.functions[0], maxBatchSize: 2001 }] })).toThrow('Post.authorPiped (first): maxBatchSize');
    expect(build(lambda('author', 2000))).not.toThrow();
  });
});
