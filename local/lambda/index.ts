// The local Lambda service: bundles each handler like the CDK does, then invokes it in its own
// worker-thread sandboxes with its own environment, context, concurrency limit and timeout.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { FunctionWiring } from '../../infra/wiring.ts';
import { bundleFunction, bundleSandboxRuntime } from './bundle.ts';
import { functionEnvironment } from './environment.ts';
import { FunctionNotFoundError, InvalidPayloadError } from './errors.ts';
import { FunctionPool } from './pool.ts';
import type { LambdaInvoker } from './types.ts';

/** Lambda's limit on a synchronous invocation's request payload. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface LocalLambdaOptions {
  /** Repository root: handler entries are relative to it. */
  root: string;
  functions: Record<string, FunctionWiring>;
  /** Each function's environment with every ref already resolved. */
  environment: Record<string, Record<string, string>>;
  /** What every function gets: AWS_REGION, AWS_ENDPOINT_URL_*, local credentials. */
  sharedEnvironment: Record<string, string>;
  /** Where bundles go; must be inside `root` so `@aws-sdk/*` resolves from its node_modules. */
  buildDir: string;
  /** Invocations that may wait for a free concurrency slot, per function; more are throttled. */
  maxQueuedPerFunction?: number;
  accountId?: string;
}

export interface LocalLambda extends LambdaInvoker {
  invoke(functionName: string, event: unknown): Promise<unknown>;
  functionArn(functionName: string): string;
  /** Stops admitting invocations, drains the running ones, then ends every sandbox. */
  stop(): Promise<void>;
}

export async function createLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  const root = resolve(options.root);
  const buildDir = resolve(root, options.buildDir);
  const fromRoot = relative(root, buildDir);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    throw new Error(`buildDir ${buildDir} must be inside ${root}, where @aws-sdk/* resolves`);
  }
  const region = options.sharedEnvironment.AWS_REGION;
  if (!region) throw new Error('sharedEnvironment.AWS_REGION is required');
  const accountId = options.accountId ?? '000000000000';
  const maxQueued = options.maxQueuedPerFunction ?? 100;
  if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new Error('maxQueuedPerFunction must be a non-negative integer');
  const arnOf = (name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`;

  for (const [name, wiring] of Object.entries(options.functions)) validateFunction(root, name, wiring);
  mkdirSync(buildDir, { recursive: true });
  const runtimePath = join(buildDir, '.runtime', 'worker.mjs');
  const entries = Object.entries(options.functions);
  await Promise.all([
    bundleSandboxRuntime(runtimePath),
    ...entries.map(([name, wiring]) => bundleFunction(root, wiring.entry, join(buildDir, `${name}.mjs`))),
  ]);

  const pools = new Map<string, FunctionPool>();
  for (const [name, wiring] of entries) {
    const bundlePath = join(buildDir, `${name}.mjs`);
    const env = functionEnvironment({
      name,
      wiring,
      region,
      taskRoot: dirname(bundlePath),
      shared: options.sharedEnvironment,
      own: options.environment[name] ?? {},
    });
    const { timeoutSeconds, memoryMb, concurrency } = wiring;
    const spec = { name, arn: arnOf(name), bundlePath, env, timeoutSeconds, memoryMb, concurrency };
    pools.set(name, new FunctionPool(spec, runtimePath, maxQueued));
  }

  return {
    functionArn: arnOf,
    async invoke(functionName: string, event: unknown): Promise<unknown> {
      const pool = pools.get(functionName);
      if (!pool) throw new FunctionNotFoundError(arnOf(functionName));
      return pool.invoke(serializeEvent(event));
    },
    async stop(): Promise<void> {
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
    },
  };
}

function validateFunction(root: string, name: string, wiring: FunctionWiring): void {
  if (!FUNCTION_NAME.test(name)) throw new Error(`invalid function name "${name}"`);
  if (!existsSync(join(root, wiring.entry))) throw new Error(`${name}: handler entry ${wiring.entry} does not exist`);
  const checks: Array<[string, number, number, number]> = [
    ['timeoutSeconds', wiring.timeoutSeconds, 1, 900],
    ['memoryMb', wiring.memoryMb, 128, 10_240],
    ['concurrency', wiring.concurrency, 1, 1000],
  ];
  for (const [field, value, min, max] of checks) {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name}: ${field} must be an integer from ${min} to ${max}, got ${value}`);
    }
  }
}

function serializeEvent(event: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(event);
  } catch (err) {
    throw new InvalidPayloadError('InvalidRequestContentException', `Could not parse request body into json: ${(err as Error).message}`);
  }
  json ??= 'null';
  const size = Buffer.byteLength(json);
  if (size > MAX_REQUEST_BYTES) {
    throw new InvalidPayloadError('RequestTooLargeException', `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`);
  }
  return json;
}
