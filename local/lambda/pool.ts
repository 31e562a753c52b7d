// One function's sandboxes: a concurrency limit (reserved concurrency), a bounded wait queue for
// invocations over the limit, warm reuse, and the timeout that discards a sandbox.
import { randomBytes, randomUUID } from 'node:crypto';
import { LambdaFunctionError } from './types.ts';
import { LambdaStoppedError, TooManyRequestsError } from './errors.ts';
import { Sandbox } from './sandbox.ts';
import type { SandboxInit } from './protocol.ts';

/**
 * Lambda's limit on a synchronous invocation's response: 100 bytes over 6 MiB, as its error says
 * ("exceeded maximum allowed payload size (6291556 bytes)"; the request's limit is 6 MiB exactly).
 */
const MAX_RESPONSE_BYTES = 6_291_556;

export interface FunctionSpec {
  name: string;
  arn: string;
  bundlePath: string;
  timeoutSeconds: number;
  memoryMb: number;
  concurrency: number;
  /** Everything but the per-sandbox variables (log stream name). */
  env: Record<string, string>;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export class FunctionPool {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private readonly idle: Sandbox[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    private readonly spec: FunctionSpec,
    private readonly runtimePath: string,
    private readonly maxQueued: number,
  ) {}

  async invoke(eventJson: string): Promise<unknown> {
    if (this.stopping) throw new LambdaStoppedError(this.spec.name);
    await this.acquireSlot();
    const run = this.run(eventJson);
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
      this.releaseSlot();
    }
  }

  /** Rejects queued invocations, waits for running ones, then ends every sandbox. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new LambdaStoppedError(this.spec.name));
    // Bounded: nothing new is admitted, and each invocation ends by its timeout at the latest.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await Promise.all(this.idle.splice(0).map((sandbox) => sandbox.terminate()));
  }

  private acquireSlot(): Promise<void> {
    if (this.active < this.spec.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiters.length >= this.maxQueued) return Promise.reject(new TooManyRequestsError(this.spec.name));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private releaseSlot(): void {
    // The slot passes straight to the next waiter, so `active` never exceeds the limit.
    const next = this.waiters.shift();
    if (next) next.resolve();
    else this.active--;
  }

  private async run(eventJson: string): Promise<unknown> {
    const { name, timeoutSeconds } = this.spec;
    const requestId = randomUUID();
    const sandbox = this.takeSandbox();
    const timeoutMs = timeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([
      sandbox.invoke({ type: 'invoke', requestId, eventJson, deadlineMs: Date.now() + timeoutMs }),
      timedOut,
    ]);
    clearTimeout(timer);

    if (outcome === 'timeout') {
      // Lambda discards a sandbox whose invocation timed out; the next one starts cold.
      sandbox.discard();
      throw new LambdaFunctionError(
        name,
        'Sandbox.Timedout',
        `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
      );
    }
    if (sandbox.usable) this.idle.push(sandbox);
    else sandbox.discard();

    if (!outcome.ok) throw new LambdaFunctionError(name, outcome.errorType, outcome.errorMessage);
    const size = Buffer.byteLength(outcome.payloadJson);
    if (size > MAX_RESPONSE_BYTES) {
      throw new LambdaFunctionError(
        name,
        'Function.ResponseSizeTooLarge',
        `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
      );
    }
    return JSON.parse(outcome.payloadJson) as unknown;
  }

  /**
   * The idle sandbox that has run the most invocations takes the next one (the most recently
   * released among equals). Which warm environment Lambda picks is not documented; taking the
   * warmest keeps a function's traffic on the isolate V8 has optimized furthest, where the most
   * recently released one spread it over every sandbox a burst had started: with four calls in
   * flight that cost the createBooking benchmark ~0.5 ms of CPU a booking (docs/ARCHITECTURE.md).
   */
  private takeSandbox(): Sandbox {
    let best: Sandbox | undefined;
    // From the most recently released back, so the first of equals wins; sandboxes that died
    // while idle are dropped on the way.
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const sandbox = this.idle[i];
      if (!sandbox.usable) this.idle.splice(i, 1);
      else if (!best || sandbox.invocations > best.invocations) best = sandbox;
    }
    if (!best) return this.startSandbox();
    this.idle.splice(this.idle.indexOf(best), 1);
    return best;
  }

  private startSandbox(): Sandbox {
    const { name, arn, bundlePath, memoryMb, env } = this.spec;
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const init: SandboxInit = {
      bundlePath,
      handlerExport: 'handler',
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: arn,
      memoryLimitInMB: String(memoryMb),
      logGroupName: `/aws/lambda/${name}`,
      logStreamName,
    };
    return new Sandbox(this.runtimePath, init, { ...env, AWS_LAMBDA_LOG_STREAM_NAME: logStreamName }, memoryMb);
  }
}
