// The AWS_LAMBDA data source against a real handler module, through a small in-process invoker
// (the local Lambda runtime is another module's; this one only calls the handler as Lambda would).
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { FunctionName } from '../../../../infra/wiring.ts';
import { createLambdaDataSource } from '../../../../local/appsync/datasources/lambda.ts';
import { createResolverRunner } from '../../../../local/appsync/runtime/runner.ts';
import type { ResolverRunner } from '../../../../local/appsync/runtime/types.ts';
import { LambdaFunctionError, type LambdaInvoker } from '../../../../local/lambda/types.ts';
import { handler, received } from '../../../fixtures/resolvers/lambda-handler/greeter.ts';
import { bundleFixtures, invocation, ROOT, unit } from './support.ts';

const FUNCTION: FunctionName = 'generate-slots';

function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'test-request',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const invoker: LambdaInvoker = {
  async invoke(functionName, event) {
    if (functionName !== FUNCTION) throw new Error(`no function ${functionName} in this test`);
    try {
      return await handler(event as never, lambdaContext(functionName));
    } catch (err) {
      const e = err as Error;
      throw new LambdaFunctionError(functionName, e.name, e.message);
    }
  },
};

describe('Lambda data source', () => {
  let runner: ResolverRunner;

  beforeAll(async () => {
    runner = createResolverRunner({
      root: ROOT,
      specs: [unit('Query', 'greet', 'lambda-invoke.ts', 'greeter'), unit('Query', 'missing', 'lambda-invoke.ts', 'missing')],
      code: await bundleFixtures(['lambda-invoke.ts']),
      dataSources: {
        greeter: createLambdaDataSource(invoker, FUNCTION),
        missing: createLambdaDataSource(invoker, 'enqueue-booking'),
      },
      env: {},
    });
  });

  const greet = (args: Record<string, unknown>) => runner.run('Query', 'greet', invocation('Query', 'greet', { arguments: args }));

  it('invokes the function with the payload as its event and returns its result', async () => {
    received.length = 0;
    expect(await greet({ name: 'Ada' })).toMatchObject({ data: { result: { greeting: 'hello Ada' }, error: null }, errors: [] });
    expect(received).toEqual([{ name: 'Ada' }]);
  });

  it('turns a function error into ctx.error of type Lambda:Unhandled', async () => {
    expect(await greet({ name: 'fail', rethrow: true })).toMatchObject({
      data: null,
      errors: [{ message: 'cannot greet fail', errorType: 'Lambda:Unhandled', data: null, errorInfo: null }],
    });
  });

  it('reports nothing when the response handler ignores ctx.error, as AppSync does', async () => {
    expect(await greet({ name: 'fail' })).toEqual({
      data: { result: null, error: { message: 'cannot greet fail', type: 'Lambda:Unhandled' } },
      errors: [],
      invalidations: [],
      responseHeaders: {},
    });
  });

  it('fires and forgets an Event invocation', async () => {
    received.length = 0;
    expect(await greet({ name: 'Grace', invocationType: 'Event' })).toMatchObject({ data: { result: null, error: null } });
    await vi.waitFor(() => expect(received).toEqual([{ name: 'Grace' }]));
  });

  it('sends BatchInvoke payloads as a list and reads back this resolution’s item', async () => {
    received.length = 0;
    expect(await greet({ name: 'Lin', operation: 'BatchInvoke' })).toMatchObject({ data: { result: { greeting: 'hello Lin' } } });
    expect(received).toEqual([[{ name: 'Lin' }]]);
  });

  it('rejects an unknown operation as a mapping template error', async () => {
    expect(await greet({ name: 'x', operation: 'Query' })).toMatchObject({
      data: { result: null, error: { type: 'MappingTemplate', message: "Unsupported operation 'Query'. Lambda data sources support Invoke and BatchInvoke." } },
    });
  });

  it('rejects an invocationType other than RequestResponse and Event without invoking', async () => {
    received.length = 0;
    expect(await greet({ name: 'x', invocationType: 'DryRun' })).toMatchObject({
      data: { result: null, error: { type: 'MappingTemplate', message: "Unsupported invocationType 'DryRun'; use RequestResponse or Event." } },
    });
    expect(received).toEqual([]);
  });

  it('reports an invoker failure as an internal failure', async () => {
    expect(await runner.run('Query', 'missing', invocation('Query', 'missing', { arguments: { name: 'x' } }))).toMatchObject({
      data: null,
      errors: [{ errorType: 'InternalFailure', message: 'no function enqueue-booking in this test' }],
    });
  });
});
