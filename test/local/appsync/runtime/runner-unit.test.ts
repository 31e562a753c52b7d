// Unit resolvers: the context AppSync builds, request -> data source -> response, util.error and
// util.appendError outcomes, and what the response handler hands to extensions.
import { beforeAll, describe, expect, it } from 'vitest';
import { createNoneDataSource } from '../../../../local/appsync/datasources/none.ts';
import type { DataSource } from '../../../../local/appsync/datasources/types.ts';
import { createResolverRunner } from '../../../../local/appsync/runtime/runner.ts';
import type { ResolverRunner } from '../../../../local/appsync/runtime/types.ts';
import { bundleFixtures, fixture, invocation, ROOT, unit } from './support.ts';

const EARLY = 'early-unit.js';
const EARLY_CODE = `import { runtime } from '@aws-appsync/utils';
export function request(ctx) {
  runtime.earlyReturn({ early: ctx.args.n });
  return { payload: 'request' };
}
export function response(ctx) {
  return { fromResponse: ctx.result };
}`;

describe('unit resolvers', () => {
  let runner: ResolverRunner;
  const dataSourceRequests: unknown[] = [];

  beforeAll(async () => {
    const none = createNoneDataSource();
    // The real NONE data source, with its requests recorded.
    const recordingNone: DataSource = {
      invoke: (request, inv) => {
        dataSourceRequests.push(request);
        return none.invoke(request, inv);
      },
    };
    runner = createResolverRunner({
      root: ROOT,
      specs: [
        unit('Query', 'echo', 'context-echo.ts'),
        unit('Query', 'errors', 'errors.ts'),
        unit('Subscription', 'onSlotChanged', 'extensions.ts'),
        unit('Mutation', 'publishSlot', 'extensions.ts'),
        unit('Query', 'early', EARLY),
      ],
      code: new Map([...(await bundleFixtures(['context-echo.ts', 'errors.ts', 'extensions.ts'])), [fixture(EARLY), EARLY_CODE]]),
      dataSources: { NONE: recordingNone },
      env: { TABLE_NAME: 'slotsync-local', HOLD_SECONDS: '300' },
    });
  });

  it('builds ctx as AppSync does', async () => {
    const identity = {
      sub: 'u-1',
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/local',
      username: 'ada',
      claims: { 'cognito:username': 'ada', 'cognito:groups': ['providers'] },
      sourceIp: ['127.0.0.1'],
      defaultAuthStrategy: 'ALLOW',
      groups: ['providers'],
    };
    const inv = invocation('Query', 'echo', {
      arguments: { id: 's-1', filter: { day: '2025-01-02', tags: ['a', 'b'] } },
      source: { id: 'p-1', name: 'Clinic' },
      identity,
      authType: 'User Pool Authorization',
      request: { headers: { authorization: 'token', host: 'localhost:4000' }, domainName: null },
      info: {
        fieldName: 'echo',
        parentTypeName: 'Query',
        variables: { id: 's-1' },
        selectionSetList: ['fromRequest', 'stash'],
        selectionSetGraphQL: '{\n  fromRequest\n  stash\n}',
      },
    });
    const outcome = await runner.run('Query', 'echo', inv);
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toEqual({
      fromRequest: {
        arguments: inv.arguments,
        argsIsArguments: true,
        identity,
        source: inv.source,
        info: inv.info,
        request: inv.request,
        env: { TABLE_NAME: 'slotsync-local', HOLD_SECONDS: '300' },
        envFrozen: true,
        hasPrev: false,
        hasResult: false,
      },
      error: null,
      stash: { seenBy: ['request', 'response'] },
    });
  });

  it('gives API-key callers a null identity', async () => {
    const outcome = await runner.run('Query', 'echo', invocation('Query', 'echo'));
    expect((outcome.data as { fromRequest: { identity: unknown } }).fromRequest.identity).toBeNull();
  });

  it('util.error in the request stops the resolver before the data source', async () => {
    dataSourceRequests.length = 0;
    const outcome = await runner.run('Query', 'errors', invocation('Query', 'errors', { arguments: { mode: 'requestError' } }));
    expect(outcome).toMatchObject({ data: null, errors: [{ message: 'rejected in request', errorType: 'Rejected', data: null, errorInfo: null }] });
    expect(dataSourceRequests).toEqual([]);
  });

  it('earlyReturn in the request skips the data source and the response handler', async () => {
    dataSourceRequests.length = 0;
    const outcome = await runner.run('Query', 'early', invocation('Query', 'early', { arguments: { n: 7 } }));
    expect(outcome).toMatchObject({ data: { early: 7 }, errors: [] });
    expect(dataSourceRequests).toEqual([]);
  });

  it('util.error after util.appendError reports both and nulls the field', async () => {
    const outcome = await runner.run('Query', 'errors', invocation('Query', 'errors', { arguments: { mode: 'appendThenError' } }));
    expect(outcome.data).toBeNull();
    expect(outcome.errors).toEqual([
      { message: 'first problem', errorType: 'First', data: null, errorInfo: null },
      { message: 'fatal problem', errorType: 'Fatal', data: { partial: true }, errorInfo: { hint: 'retry' } },
    ]);
  });

  it('util.appendError keeps the result and adds errors', async () => {
    dataSourceRequests.length = 0;
    const outcome = await runner.run('Query', 'errors', invocation('Query', 'errors', { arguments: { mode: 'append' } }));
    expect(outcome.data).toEqual({ mode: 'append', result: { mode: 'append' }, error: null });
    expect(outcome.errors).toEqual([
      { message: 'first problem', errorType: 'First', data: null, errorInfo: { n: 1 } },
      { message: 'second problem', errorType: null, data: null, errorInfo: null },
    ]);
    expect(dataSourceRequests).toEqual([{ payload: { mode: 'append' } }]);
  });

  it('util.unauthorized names the field', async () => {
    const outcome = await runner.run('Query', 'errors', invocation('Query', 'errors', { arguments: { mode: 'unauthorized' } }));
    expect(outcome.errors).toEqual([{ message: 'Not Authorized to access errors on type Query', errorType: 'Unauthorized', data: null, errorInfo: null }]);
  });

  it('a response handler returning undefined resolves the field to null without an error', async () => {
    const outcome = await runner.run('Query', 'errors', invocation('Query', 'errors', { arguments: { mode: 'undefinedResult' } }));
    expect(outcome).toMatchObject({ data: null, errors: [] });
  });

  it('collects the subscription filter a subscription response handler sets', async () => {
    const outcome = await runner.run('Subscription', 'onSlotChanged', invocation('Subscription', 'onSlotChanged', { arguments: { providerId: 'p-1' } }));
    expect(outcome.subscriptionFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'providerId', operator: 'eq', value: 'p-1' }] }] });
    expect(outcome.responseHeaders).toEqual({ 'x-slot-count': '3' });
    expect(outcome.invalidations).toEqual([]);
  });

  it('collects the invalidations a mutation response handler asks for', async () => {
    const outcome = await runner.run('Mutation', 'publishSlot', invocation('Mutation', 'publishSlot', { arguments: { providerId: 'p-2' } }));
    expect(outcome.invalidations).toEqual([{ subscriptionField: 'onSlotChanged', payload: { providerId: 'p-2' } }]);
    expect(outcome.subscriptionFilter).toBeUndefined();
    expect(outcome.data).toEqual({ providerId: 'p-2' });
  });

  it('knows which fields have resolvers', () => {
    expect(runner.has('Query', 'echo')).toBe(true);
    expect(runner.has('Query', 'unknown')).toBe(false);
  });

  it('refuses wiring it cannot run', () => {
    const base = { root: ROOT, dataSources: { NONE: createNoneDataSource() }, env: {} };
    expect(() => createResolverRunner({ ...base, specs: [unit('Query', 'echo', 'context-echo.ts', 'table')], code: new Map([[fixture('context-echo.ts'), 'export function request() { return {}; }']]) }))
      .toThrow('Query.echo: no data source "table" was given to the resolver runner');
    expect(() => createResolverRunner({ ...base, specs: [unit('Query', 'echo', 'context-echo.ts')], code: new Map() }))
      .toThrow(/context-echo\.ts: no bundled code/);
  });
});
