// The local Lambda runtime against real worker threads and real DynamoDB Local: isolation,
// context, errors, timeouts, concurrency and draining, as Lambda behaves.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { FunctionWiring } from '../../../infra/wiring.ts';
import { createLocalLambda, type LocalLambda } from '../../../local/lambda/index.ts';
import { LambdaFunctionError } from '../../../local/lambda/types.ts';
import { localDynamoDb, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/dynamodb/client.ts';
import { dynamodbEndpoint, freshTable } from '../../support/dynamodb.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const buildRoot = join(root, '.slotsync', 'build', `test-lambda-${randomUUID().slice(0, 8)}`);
const gates = mkdtempSync(join(tmpdir(), 'slotsync-gates-'));
/** Lambda's limit on a synchronous invocation's request, in bytes. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** And on its response: 100 bytes more, as Lambda's Function.ResponseSizeTooLarge message states. */
const MAX_RESPONSE_BYTES = 6_291_556;

function fixture(file: string, overrides: Partial<FunctionWiring> = {}): FunctionWiring {
  return { entry: `test/fixtures/functions/${file}`, timeoutSeconds: 10, memoryMb: 256, concurrency: 5, environment: {}, grants: [], ...overrides };
}

function sharedEnvironment(): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint(),
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

let lambda: LocalLambda;
let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable('lambda');
  process.env.SLOTSYNC_HOST_ONLY = 'must not leak into a sandbox';
  lambda = await createLocalLambda({
    root,
    buildDir: join(buildRoot, 'main'),
    sharedEnvironment: sharedEnvironment(),
    functions: {
      'inspect-a': fixture('inspect.ts', { environment: { ONLY_A: 'x', SAME_KEY: 'x' }, memoryMb: 512 }),
      'inspect-b': fixture('inspect.ts', { environment: { SAME_KEY: 'x' } }),
      'inspect-pick': fixture('inspect.ts', { concurrency: 3 }),
      stall: fixture('stall.ts', { timeoutSeconds: 1 }),
      throws: fixture('throws.ts'),
      callback: fixture('callback.ts'),
      gate: fixture('gate.ts', { concurrency: 2, timeoutSeconds: 20 }),
      'no-handler': fixture('no-handler.ts'),
      crash: fixture('crash.ts'),
      edges: fixture('edges.ts', { entry: 'test/local/lambda/fixtures/edges.ts' }),
      memory: fixture('memory.ts', { entry: 'test/local/lambda/fixtures/memory.ts', memoryMb: 256 }),
      'memory-small': fixture('memory.ts', { entry: 'test/local/lambda/fixtures/memory.ts', memoryMb: 128 }),
      ...Object.fromEntries(
        ['async', 'promise', 'callback'].map((style) => [
          `unsettled-${style}`,
          fixture('unsettled.ts', { entry: 'test/local/lambda/fixtures/unsettled.ts', timeoutSeconds: 20, environment: { HANDLER_STYLE: 'x' } }),
        ]),
      ),
    },
    environment: {
      'inspect-a': { ONLY_A: 'a-only', SAME_KEY: 'from-a' },
      'inspect-b': { SAME_KEY: 'from-b' },
      'unsettled-async': { HANDLER_STYLE: 'async' },
      'unsettled-promise': { HANDLER_STYLE: 'promise' },
      'unsettled-callback': { HANDLER_STYLE: 'callback' },
    },
  });
});

afterAll(async () => {
  await lambda?.stop();
  await table?.drop();
  delete process.env.SLOTSYNC_HOST_ONLY;
  rmSync(buildRoot, { recursive: true, force: true });
  rmSync(gates, { recursive: true, force: true });
});

interface Inspection {
  sandboxId: string;
  invocations: number;
  env: Record<string, string | undefined>;
  event: unknown;
  heap: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number };
  context: Record<string, unknown>;
}

describe('local Lambda runtime', () => {
  it('gives each function its own environment and nothing of the host process', async () => {
    const keys = ['ONLY_A', 'SAME_KEY', 'SLOTSYNC_HOST_ONLY', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_REGION', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_LAMBDA_LOG_GROUP_NAME', 'TZ'];
    const [a, b] = (await Promise.all([lambda.invoke('inspect-a', { keys }), lambda.invoke('inspect-b', { keys })])) as Inspection[];
    expect(a.env).toEqual({
      ONLY_A: 'a-only',
      SAME_KEY: 'from-a',
      AWS_LAMBDA_FUNCTION_NAME: 'inspect-a',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint(),
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/inspect-a',
      TZ: ':UTC',
    });
    expect(b.env).toEqual({
      SAME_KEY: 'from-b',
      AWS_LAMBDA_FUNCTION_NAME: 'inspect-b',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint(),
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/inspect-b',
      TZ: ':UTC',
    });
    expect(a.sandboxId).not.toBe(b.sandboxId);
    // The heap Lambda's runtime sets for the function's memory (old space less a tenth, semi-space a twentieth).
    expect(a.heap).toEqual({ maxOldGenerationSizeMb: 461, maxYoungGenerationSizeMb: 75 });
    expect(b.heap).toEqual({ maxOldGenerationSizeMb: 231, maxYoungGenerationSizeMb: 36 });
  });

  it('passes a Lambda-shaped context and a JSON round-tripped event, and reuses a warm sandbox', async () => {
    const first = (await lambda.invoke('inspect-a', { at: new Date('2030-01-01T00:00:00Z'), skip: undefined })) as Inspection;
    const second = (await lambda.invoke('inspect-a', {})) as Inspection;
    expect(first.event).toEqual({ at: '2030-01-01T00:00:00.000Z' });
    expect(first.context).toMatchObject({
      functionName: 'inspect-a',
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:inspect-a`,
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/inspect-a',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(first.context.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(first.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(first.context.remainingTimeInMillis).toBeGreaterThan(0);
    expect(first.context.remainingTimeInMillis).toBeLessThanOrEqual(10_000);
    expect(second.context.awsRequestId).not.toBe(first.context.awsRequestId);
    // Sequential invocations land in the same warm sandbox, module state intact.
    expect(second.sandboxId).toBe(first.sandboxId);
    expect(second.invocations).toBe(first.invocations + 1);
  });

  it('gives each invocation to the warmest idle sandbox, not the one released last', async () => {
    type Seen = { sandboxId: string; invocations: number };
    const invoke = (event: { delayMs?: number } = {}) => lambda.invoke('inspect-pick', event) as Promise<Seen>;
    // Two at once: two sandboxes with one invocation each.
    const [x, y] = await Promise.all([invoke(), invoke()]);
    expect(x.sandboxId).not.toBe(y.sandboxId);
    // One at a time: they all go to one of them, which is then the warmest.
    const runs = [await invoke(), await invoke(), await invoke()];
    const warm = runs[0].sandboxId;
    expect(runs.map((r) => r.sandboxId)).toEqual([warm, warm, warm]);
    // Two at once again: the warm one answers at once, the other is released after it...
    const [fast, slow] = await Promise.all([invoke(), invoke({ delayMs: 200 })]);
    expect(fast.sandboxId).toBe(warm);
    expect(slow.sandboxId).not.toBe(warm);
    // ...and the next invocation still goes to the warm one.
    const next = await invoke();
    expect(next).toEqual(expect.objectContaining({ sandboxId: warm, invocations: 6 }));
  });

  it('reports a thrown error as a function error named after the error', async () => {
    const err = await rejection(lambda.invoke('throws', { kind: 'error' }));
    expect(err).toBeInstanceOf(LambdaFunctionError);
    expect(err).toMatchObject({
      functionName: 'throws',
      errorType: 'SlotTakenError',
      errorMessage: 'slot SLOT#2030-01-01T09:00:00Z is taken',
      functionError: 'Unhandled',
    });
    const thrownString = await rejection(lambda.invoke('throws', { kind: 'string' }));
    expect(thrownString).toMatchObject({ errorType: 'string', errorMessage: 'plain string failure' });
  });

  it('runs callback-style handlers', async () => {
    await expect(lambda.invoke('callback', { n: 1 })).resolves.toEqual({ via: 'callback', event: { n: 1 } });
    const err = await rejection(lambda.invoke('callback', { fail: true }));
    expect(err).toMatchObject({ errorType: 'Error', errorMessage: 'callback failure' });
  });

  it('reports a module without the handler export as Runtime.HandlerNotFound', async () => {
    const err = await rejection(lambda.invoke('no-handler', {}));
    expect(err).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'no-handler.handler is undefined or not exported' });
  });

  it('times out a spinning or hanging handler and replaces its sandbox', async () => {
    const before = (await lambda.invoke('stall', { mode: 'answer' })) as { sandboxId: string };
    for (const mode of ['spin', 'hang']) {
      const err = await rejection(lambda.invoke('stall', { mode }));
      expect(err).toBeInstanceOf(LambdaFunctionError);
      expect(err).toMatchObject({ errorType: 'Sandbox.Timedout', functionError: 'Unhandled' });
      expect((err as LambdaFunctionError).errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
    }
    const after = (await lambda.invoke('stall', { mode: 'answer' })) as { sandboxId: string; invocations: number };
    expect(after.sandboxId).not.toBe(before.sandboxId);
    expect(after.invocations).toBe(1);
  });

  it('terminates a timed-out sandbox, so its handler never runs on past the timeout', async () => {
    // The handler writes a file 1.5 s after it starts, half a second past its 1 s timeout: a
    // timed-out sandbox that was merely set aside (its worker left running) would still write it.
    const lateFile = join(gates, `late-${randomUUID()}`);
    const started = Date.now();
    const err = await rejection(lambda.invoke('stall', { mode: 'late', lateFile, lateMs: 1_500 }));
    expect(err).toMatchObject({ errorType: 'Sandbox.Timedout' });
    // Well past the write (and past a slow worker's start-up), it has not happened.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 3_000 - Date.now())));
    expect(existsSync(lateFile)).toBe(false);
  });

  it('times out a handler blocked in a synchronous call at its timeout, frees its slot and does not hold up a stop', async () => {
    // A worker blocked in a read of a pipe ends only when the read returns: the caller, the slot
    // and the stop must not wait for that (they did: the timeout came when the read returned).
    const blocking = await createLocalLambda({
      root,
      buildDir: join(buildRoot, 'blocking'),
      sharedEnvironment: sharedEnvironment(),
      functions: { stall: fixture('stall.ts', { timeoutSeconds: 1, concurrency: 1 }) },
      environment: {},
      maxQueuedPerFunction: 0,
    });
    const pipe = join(gates, `pipe-${randomUUID()}`);
    execFileSync('mkfifo', [pipe]);
    try {
      const err = await rejection(blocking.invoke('stall', { mode: 'block', pipe }));
      expect(err).toMatchObject({ errorType: 'Sandbox.Timedout' });
      // The slot is free (concurrency 1, nothing may queue): a fresh sandbox answers.
      await expect(blocking.invoke('stall', { mode: 'answer' })).resolves.toMatchObject({ invocations: 1 });
      await blocking.stop();
    } finally {
      // Lets the blocked worker's read return, so its thread ends (ENXIO: no reader was left).
      try {
        closeSync(openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
      }
      rmSync(pipe, { force: true });
    }
  });

  it('reports a sandbox that exits or leaves a rejection unhandled, and starts a fresh one', async () => {
    const before = (await lambda.invoke('crash', { mode: 'answer' })) as { sandboxId: string };
    const exited = await rejection(lambda.invoke('crash', { mode: 'exit' }));
    expect(exited).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect((exited as LambdaFunctionError).errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/);
    const between = (await lambda.invoke('crash', { mode: 'answer' })) as { sandboxId: string };
    expect(between.sandboxId).not.toBe(before.sandboxId);
    // The worker is still running after an unhandled rejection: only the fatal report discards it.
    const rejected = await rejection(lambda.invoke('crash', { mode: 'reject' }));
    expect(rejected).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'TypeError: nobody awaited this' });
    const after = (await lambda.invoke('crash', { mode: 'answer' })) as { sandboxId: string };
    expect(after.sandboxId).not.toBe(between.sandboxId);
  });

  it('never runs more copies of a function than its concurrency; the rest wait their turn', async () => {
    const gateFile = join(gates, `open-${randomUUID()}`);
    const runs = Array.from({ length: 5 }, () => lambda.invoke('gate', { table: table.tableName, gateFile }));
    const client = localDynamoDb(dynamodbEndpoint());
    await vi.waitFor(
      async () => {
        const { Item } = await client.send(new GetItemCommand({ TableName: table.tableName, Key: { PK: { S: 'GATE' }, SK: { S: 'RUNNING' } }, ConsistentRead: true }));
        expect(Item?.running?.N).toBe('2');
      },
      { timeout: 15_000, interval: 50 },
    );
    writeFileSync(gateFile, '');
    const results = (await Promise.all(runs)) as Array<{ observed: number }>;
    expect(Math.max(...results.map((r) => r.observed))).toBe(2);
  });

  it('throttles invocations beyond the limit and a full wait queue', async () => {
    const throttled = await createLocalLambda({
      root,
      buildDir: join(buildRoot, 'throttled'),
      sharedEnvironment: sharedEnvironment(),
      functions: { gate: fixture('gate.ts', { concurrency: 1, timeoutSeconds: 20 }) },
      environment: {},
      maxQueuedPerFunction: 1,
    });
    try {
      const firstGate = join(gates, `open-${randomUUID()}`);
      const gateFile = join(gates, `open-${randomUUID()}`);
      const running = throttled.invoke('gate', { table: table.tableName, gateFile: firstGate });
      const queued = throttled.invoke('gate', { table: table.tableName, gateFile });
      const err = await rejection(throttled.invoke('gate', { table: table.tableName, gateFile }));
      expect(err).toMatchObject({ name: 'TooManyRequestsException', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
      // The first one's slot passes to the queued one, which now runs: one more may wait, the next is throttled.
      writeFileSync(firstGate, '');
      await expect(running).resolves.toEqual({ observed: 1 });
      const waiting = throttled.invoke('gate', { table: table.tableName, gateFile });
      const over = rejection(throttled.invoke('gate', { table: table.tableName, gateFile }));
      writeFileSync(gateFile, '');
      await expect(over).resolves.toMatchObject({ name: 'TooManyRequestsException' });
      await expect(Promise.all([queued, waiting])).resolves.toEqual([{ observed: 1 }, { observed: 1 }]);
    } finally {
      await throttled.stop();
    }
  });

  it('stop() lets a running invocation finish, then refuses new ones', async () => {
    const draining = await createLocalLambda({
      root,
      buildDir: join(buildRoot, 'draining'),
      sharedEnvironment: sharedEnvironment(),
      functions: { gate: fixture('gate.ts', { concurrency: 1, timeoutSeconds: 20 }) },
      environment: {},
    });
    const gateFile = join(gates, `open-${randomUUID()}`);
    const running = draining.invoke('gate', { table: table.tableName, gateFile });
    const client = localDynamoDb(dynamodbEndpoint());
    await vi.waitFor(
      async () => {
        const { Item } = await client.send(new GetItemCommand({ TableName: table.tableName, Key: { PK: { S: 'GATE' }, SK: { S: 'RUNNING' } }, ConsistentRead: true }));
        expect(Item?.running?.N).toBe('1');
      },
      { timeout: 15_000, interval: 50 },
    );
    const stopped = draining.stop();
    await expect(draining.invoke('gate', { table: table.tableName, gateFile })).rejects.toMatchObject({ name: 'ServiceException' });
    writeFileSync(gateFile, '');
    await expect(running).resolves.toEqual({ observed: 1 });
    await stopped;
  });

  it('fails an invocation whose sandbox passes the function\'s memory, Buffers included, as Runtime.OutOfMemory and replaces the sandbox', async () => {
    // 64 MB of a 256 MB function's: fine, and the sandbox stays warm.
    const fits = (await lambda.invoke('memory', { mode: 'buffers', mb: 64, yield: true })) as { sandboxId: string };
    await expect(lambda.invoke('memory', { mode: 'buffers', mb: 64 })).resolves.toEqual({ sandboxId: fits.sandboxId, held: 64 });
    // A gigabyte of Buffers a megabyte at a time (caught while it grows), then half a gigabyte
    // without yielding (caught when the handler returns); before, both succeeded.
    for (const event of [{ mode: 'buffers', mb: 1024, yield: true }, { mode: 'buffers', mb: 512 }]) {
      const err = await rejection(lambda.invoke('memory', event));
      expect(err).toBeInstanceOf(LambdaFunctionError);
      expect(err).toMatchObject({ errorType: 'Runtime.OutOfMemory', functionError: 'Unhandled' });
      expect((err as LambdaFunctionError).errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/);
    }
    const after = (await lambda.invoke('memory', { mode: 'buffers', mb: 1 })) as { sandboxId: string };
    expect(after.sandboxId).not.toBe(fits.sandboxId);
    // A V8 heap that outgrows the memory ends the same way.
    const heap = await rejection(lambda.invoke('memory-small', { mode: 'objects', mb: 1024 }));
    expect(heap).toMatchObject({ errorType: 'Runtime.OutOfMemory' });
    expect((heap as LambdaFunctionError).errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/);
  });

  it('ends an invocation whose result never settles once nothing is left to run, as the Node.js runtime does, and keeps the sandbox', async () => {
    const started = Date.now();
    const before = (await lambda.invoke('unsettled-async', { mode: 'answer' })) as { sandboxId: string };
    // An async handler fails with Runtime.NodeJsExit; before, it waited for its 20 s timeout.
    const err = await rejection(lambda.invoke('unsettled-async', { mode: 'never' }));
    expect(err).toBeInstanceOf(LambdaFunctionError);
    expect(err).toMatchObject({ errorType: 'Runtime.NodeJsExit', functionError: 'Unhandled' });
    expect((err as LambdaFunctionError).errorMessage).toContain('caused by a Promise that was never settled');
    await expect(lambda.invoke('unsettled-async', { mode: 'answer' })).resolves.toEqual(before);
    // Any other handler (a plain promise, a callback never called) answers null.
    await expect(lambda.invoke('unsettled-promise', { mode: 'never' })).resolves.toBeNull();
    await expect(lambda.invoke('unsettled-callback', { mode: 'never' })).resolves.toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('writes what a handler logs as it logs it, so a reader that falls behind holds the handler up instead of memory filling', async () => {
    const lines = 20_000;
    const pad = 500;
    const driver = 'test/local/lambda/fixtures/log-driver.ts';
    const child = spawn(process.execPath, ['bin/run-ts.js', driver, root, join(buildRoot, 'loud'), String(lines), String(pad)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    try {
      await vi.waitFor(() => expect(err).toContain('invoking'), { timeout: 30_000, interval: 20 });
      // Nothing reads the pipe yet: ~10 MB of output cannot all be written, so the handler waits
      // (it used to finish at once, its output queued in the worker and the main thread).
      await sleep(1_000);
      expect(err).not.toContain('answered');
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      expect(await exited).toBe(0);
      expect(err).toContain(`answered {"logged":${lines}}`);
      const written = out.split('\n');
      expect(written.pop()).toBe('');
      expect(written.shift()).toBe('driver: ready');
      expect(written).toHaveLength(lines);
      // Every line whole, in order, console lines in Lambda's format.
      const x = 'x'.repeat(pad);
      const malformed = written.filter((line, i) =>
        i % 2 === 0
          ? !new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\\t[0-9a-f-]{36}\\tINFO\\tconsole ${i} ${x}$`).test(line)
          : line !== JSON.stringify({ level: 'INFO', line: i, pad: x }),
      );
      expect(malformed.slice(0, 2)).toEqual([]);
    } finally {
      child.kill();
    }
  }, 60_000);

  it('reports a rejection with no reason as an Error, and a result JSON cannot hold as Runtime.MarshalError', async () => {
    for (const event of [{ mode: 'reject' }, { mode: 'reject', reason: null }]) {
      const err = await rejection(lambda.invoke('edges', event));
      expect(err).toBeInstanceOf(LambdaFunctionError);
      expect(err).toMatchObject({ errorType: 'Error', errorMessage: `handler rejected with ${String(event.reason)}` });
    }
    const marshal = await rejection(lambda.invoke('edges', { mode: 'bigint' }));
    expect(marshal).toMatchObject({ errorType: 'Runtime.MarshalError' });
    expect((marshal as LambdaFunctionError).errorMessage).toMatch(/^Unable to marshal response: .*BigInt/);
  });

  it('counts getRemainingTimeInMillis() down during the invocation', async () => {
    const { first, second } = (await lambda.invoke('edges', { mode: 'remaining', waitMs: 300 })) as { first: number; second: number };
    // Both values are the handler's own readings, 300 ms of its sleep apart.
    expect(first - second).toBeGreaterThanOrEqual(250);
  });

  it('refuses an event or a response over 6 MB, and takes one of exactly 6 MB', async () => {
    const padFor = (bytes: number) => 'x'.repeat(bytes - JSON.stringify({ mode: 'received', pad: '' }).length);
    await expect(lambda.invoke('edges', { mode: 'received', pad: padFor(MAX_PAYLOAD_BYTES) })).resolves.toEqual({
      padLength: padFor(MAX_PAYLOAD_BYTES).length,
    });
    const tooLarge = await rejection(lambda.invoke('edges', { mode: 'received', pad: padFor(MAX_PAYLOAD_BYTES + 1) }));
    expect(tooLarge).toMatchObject({ name: 'RequestTooLargeException' });
    // A string result is its JSON: two quotes more than its characters.
    const atLimit = await lambda.invoke('edges', { mode: 'respond', chars: MAX_RESPONSE_BYTES - 2 });
    expect((atLimit as string).length).toBe(MAX_RESPONSE_BYTES - 2);
    const overLimit = await rejection(lambda.invoke('edges', { mode: 'respond', chars: MAX_RESPONSE_BYTES - 1 }));
    expect(overLimit).toBeInstanceOf(LambdaFunctionError);
    expect(overLimit).toMatchObject({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it('refuses a function environment with a reserved key or an unresolved variable', async () => {
    const create = (dir: string, wiring: FunctionWiring, own: Record<string, string>) =>
      createLocalLambda({ root, buildDir: join(buildRoot, dir), sharedEnvironment: sharedEnvironment(), functions: { fn: wiring }, environment: { fn: own } });
    await expect(create('reserved', fixture('inspect.ts'), { AWS_REGION: 'eu-west-1', OTHER: 'x' })).rejects.toThrow(
      /^fn: Lambda was unable to configure your environment variables .* reserved keys .*: AWS_REGION$/,
    );
    await expect(create('unresolved', fixture('inspect.ts', { environment: { TABLE_NAME: 'table' } }), {})).rejects.toThrow(
      'fn: no resolved value for environment variable(s) TABLE_NAME',
    );
  });

  it('rejects an unknown function as ResourceNotFoundException', async () => {
    await expect(lambda.invoke('nope', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
