// Pipeline resolvers: before -> functions -> after, ctx.prev.result chaining, one stash per run,
// runtime.earlyReturn with and without skipTo (APPSYNC-NOTES §2, runtime-utils-js), util.error.
import { beforeAll, describe, expect, it } from 'vitest';
import { createNoneDataSource } from '../../../../local/appsync/datasources/none.ts';
import { createResolverRunner } from '../../../../local/appsync/runtime/runner.ts';
import type { ResolverRunner } from '../../../../local/appsync/runtime/types.ts';
import { bundleFixtures, fixture, invocation, pipeline, ROOT } from './support.ts';

const STEPS = ['pipeline/step.ts', 'pipeline/step.ts', 'pipeline/step.ts'];

// pipeline/step.ts with the cases that fixture does not have: earlyReturn of nothing, earlyReturn
// in the response without skipTo, a handler that replaces ctx.stash or makes it serialize as a non-object.
const VARIANT = 'pipeline/variant.js';
const VARIANT_CODE = `import { runtime } from '@aws-appsync/utils';
export function request(ctx) {
  const step = (ctx.stash.step ?? 0) + 1;
  ctx.stash.step = step;
  ctx.stash.trail.push('request' + step);
  const a = ctx.args;
  if (a.nothingAt === step && a.withNull) runtime.earlyReturn(null);
  if (a.nothingAt === step) runtime.earlyReturn();
  if (a.replaceStashAt === step) ctx.stash = a.replacement;
  return { payload: ((ctx.prev.result ?? {}).count ?? 0) + 1 };
}
export function response(ctx) {
  const step = ctx.stash.step;
  ctx.stash.trail.push('response' + step);
  if (ctx.args.toJSONAt === step) ctx.stash.toJSON = () => ctx.args.replacement;
  if (ctx.args.responseEarly === step) runtime.earlyReturn({ count: 100 }, ctx.args.skipTo ? { skipTo: ctx.args.skipTo } : undefined);
  return { count: ctx.result };
}`;

describe('pipeline resolvers', () => {
  let runner: ResolverRunner;
  let code: Map<string, string>;

  beforeAll(async () => {
    code = await bundleFixtures(['pipeline/resolver.ts', 'pipeline/step.ts']);
    code.set(fixture(VARIANT), VARIANT_CODE);
    runner = createResolverRunner({
      root: ROOT,
      specs: [
        pipeline('Query', 'count', 'pipeline/resolver.ts', STEPS),
        pipeline('Query', 'passThrough', undefined, STEPS),
        pipeline('Query', 'variant', 'pipeline/resolver.ts', [VARIANT, VARIANT, VARIANT]),
      ],
      code,
      dataSources: { NONE: createNoneDataSource() },
      env: {},
    });
  });

  const count = (args: Record<string, unknown> = {}) => runner.run('Query', 'count', invocation('Query', 'count', { arguments: args }));
  const variant = (args: Record<string, unknown>) => runner.run('Query', 'variant', invocation('Query', 'variant', { arguments: args }));
  const FULL_TRAIL = ['before', 'request1', 'response1', 'request2', 'response2', 'request3', 'response3', 'after'];

  it('runs before, each function in order and after, chaining ctx.prev.result and sharing the stash', async () => {
    expect(await count()).toMatchObject({
      data: {
        count: 3,
        trail: ['before', 'request1', 'response1', 'request2', 'response2', 'request3', 'response3', 'after'],
      },
      errors: [],
    });
  });

  it('passes through when the pipeline has no resolver code', async () => {
    const outcome = await runner.run('Query', 'passThrough', invocation('Query', 'passThrough'));
    expect(outcome).toMatchObject({ data: { count: 3 }, errors: [] });
  });

  it("earlyReturn in a function's request skips its data source and response, then continues", async () => {
    expect((await count({ early: 2 })).data).toEqual({
      count: 12,
      trail: ['before', 'request1', 'response1', 'request2', 'request3', 'response3', 'after'],
    });
    expect((await count({ early: 2, skipTo: 'NEXT' })).data).toMatchObject({ count: 12 });
  });

  it("earlyReturn with skipTo END in a function's request goes straight to the resolver's response", async () => {
    expect((await count({ early: 2, skipTo: 'END' })).data).toEqual({
      count: 11,
      trail: ['before', 'request1', 'response1', 'request2', 'after'],
    });
  });

  it("earlyReturn with skipTo END in a function's response skips the remaining functions", async () => {
    expect((await count({ responseEarly: 1 })).data).toEqual({ count: 100, trail: ['before', 'request1', 'response1', 'after'] });
  });

  it("earlyReturn without skipTo in a function's response goes on with the next function", async () => {
    expect((await variant({ responseEarly: 1 })).data).toEqual({ count: 102, trail: FULL_TRAIL });
    expect((await variant({ responseEarly: 1, skipTo: 'NEXT' })).data).toEqual({ count: 102, trail: FULL_TRAIL });
  });

  it('earlyReturn() and earlyReturn(null) fail the field with AppSync\'s bare "Runtime Error" (aws-appsync-community#280)', async () => {
    const runtimeError = { data: null, errors: [{ message: 'Runtime Error', errorType: 'Code', data: null, errorInfo: null }] };
    expect(await variant({ nothingAt: 2 })).toMatchObject(runtimeError);
    expect(await variant({ nothingAt: 2, withNull: true })).toMatchObject(runtimeError);
  });

  // What AppSync does with a stash replaced outright is unrecorded (its eslint plugin forbids
  // reassigning ctx properties). Locally a handler's stash is the object it was given, and a stash
  // that serializes as something other than an object or array leaves the stash as it was.
  it.each([null, 'x'])('ignores ctx.stash = %j: later steps see the stash as it is', async (replacement) => {
    expect(await variant({ replaceStashAt: 2, replacement })).toMatchObject({ data: { count: 3, trail: FULL_TRAIL }, errors: [] });
  });

  it.each([null, 'x'])('keeps the earlier stash when a handler leaves one that serializes as %j', async (replacement) => {
    expect(await variant({ toJSONAt: 3, replacement })).toMatchObject({
      data: { count: 3, trail: ['before', 'request1', 'response1', 'request2', 'response2', 'request3', 'after'] },
      errors: [],
    });
  });

  it("earlyReturn in the resolver's request skips every function", async () => {
    expect((await count({ beforeEarly: true })).data).toEqual({ count: -1, trail: ['before', 'after'] });
    expect((await count({ beforeEarly: true, beforeSkipTo: 'END' })).data).toEqual({ count: -1, trail: ['before', 'after'] });
  });

  it("earlyReturn with skipTo NEXT in the resolver's request runs the functions on its value", async () => {
    expect((await count({ beforeEarly: true, beforeSkipTo: 'NEXT' })).data).toMatchObject({ count: 2 });
  });

  it('util.error in a function stops the pipeline: no later function, no after handler', async () => {
    expect(await count({ failAt: 2 })).toMatchObject({
      data: null,
      errors: [{ message: 'failed at 2', errorType: 'StepFailed', data: null, errorInfo: null }],
    });
  });

  it('allows at most 10 functions', () => {
    const spec = pipeline('Query', 'long', 'pipeline/resolver.ts', Array(11).fill('pipeline/step.ts'));
    expect(() => createResolverRunner({ root: ROOT, specs: [spec], code, dataSources: { NONE: createNoneDataSource() }, env: {} }))
      .toThrow('Query.long: a pipeline has 1 to 10 functions, not 11');
    const ten = pipeline('Query', 'ten', 'pipeline/resolver.ts', Array(10).fill('pipeline/step.ts'));
    const tenRunner = createResolverRunner({ root: ROOT, specs: [ten], code, dataSources: { NONE: createNoneDataSource() }, env: {} });
    return expect(tenRunner.run('Query', 'ten', invocation('Query', 'ten'))).resolves.toMatchObject({ data: { count: 10 } });
  });
});
