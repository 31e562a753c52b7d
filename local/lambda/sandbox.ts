// One execution environment of a function: a worker thread with its own environment variables,
// module state and heap limit. It runs one invocation at a time and is reused while warm; a
// sandbox that timed out, crashed or failed to init is thrown away, as Lambda does.
import { Worker } from 'node:worker_threads';
import type { InvokeMessage, SandboxInit, SandboxMessage } from './protocol.ts';

export type InvocationOutcome =
  | { ok: true; payloadJson: string }
  | { ok: false; errorType: string; errorMessage: string };

/**
 * The heap Lambda's Node.js runtime gives a function of `memoryMb`: its bootstrap passes
 * --max-semi-space-size (a tenth of the memory, halved) and --max-old-space-size (the memory less
 * that tenth). V8's young generation is three semi-spaces.
 */
export function lambdaHeapLimits(memoryMb: number): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  const newSpace = Math.floor(memoryMb / 10);
  return { maxOldGenerationSizeMb: memoryMb - newSpace, maxYoungGenerationSizeMb: 3 * Math.floor(newSpace / 2) };
}

interface Pending {
  requestId: string;
  resolve(outcome: InvocationOutcome): void;
}

export class Sandbox {
  private readonly worker: Worker;
  private pending: Pending | undefined;
  private alive = true;
  private invocationCount = 0;

  constructor(runtimePath: string, init: SandboxInit, env: Record<string, string>, memoryMb: number) {
    this.worker = new Worker(runtimePath, {
      workerData: init,
      env,
      // Loader flags of the host process (tsx, vitest) have no business in a Lambda sandbox.
      execArgv: [],
      resourceLimits: lambdaHeapLimits(memoryMb),
    });
    this.worker.on('message', (message: SandboxMessage) => this.onMessage(message));
    this.worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') this.failOutOfMemory();
      else this.fail('Runtime.ExitError', `Error: Runtime exited with error: ${err.message}`);
    });
    this.worker.on('exit', (code) => this.fail('Runtime.ExitError', `Error: Runtime exited with error: exit status ${code}`));
  }

  /** Idle and able to take an invocation. */
  get usable(): boolean {
    return this.alive && !this.pending;
  }

  /** Invocations this sandbox has taken: the more, the warmer its JIT-compiled code. */
  get invocations(): number {
    return this.invocationCount;
  }

  invoke(message: InvokeMessage): Promise<InvocationOutcome> {
    if (!this.usable) throw new Error('sandbox is busy or gone');
    this.invocationCount += 1;
    return new Promise((resolve) => {
      this.pending = { requestId: message.requestId, resolve };
      this.worker.ref();
      this.worker.postMessage(message);
    });
  }

  async terminate(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }

  /**
   * Ends the sandbox without waiting for it: a worker blocked in a synchronous call (execSync, a
   * read of a pipe) ends only when that call returns, and neither the caller, nor the concurrency
   * slot, nor a stop may wait on that, as none waits on Lambda discarding an environment.
   * Unreferenced, so it cannot hold the process open either.
   */
  discard(): void {
    this.alive = false;
    this.worker.unref();
    this.worker.terminate().catch(() => undefined);
  }

  private onMessage(message: SandboxMessage): void {
    if (message.type === 'out-of-memory') {
      this.failOutOfMemory();
      return;
    }
    if (message.type === 'error' && message.fatal) {
      this.alive = false;
      void this.worker.terminate();
    }
    const pending = this.pending;
    if (!pending || (message.requestId !== pending.requestId && message.requestId !== '')) return;
    if (message.type === 'result') {
      this.settle({ ok: true, payloadJson: message.payloadJson });
      return;
    }
    this.settle({ ok: false, errorType: message.errorType, errorMessage: message.errorMessage });
  }

  /**
   * Lambda kills an environment whose memory passes the function's (SIGKILL) and answers
   * Runtime.OutOfMemory with the runtime's exit. The V8 heap limit is answered the same: old space
   * is nine tenths of the memory, so the last tenth holds the young generation, code and the
   * runtime itself, and the environment usually passes its memory before V8 gives up.
   */
  private failOutOfMemory(): void {
    this.fail('Runtime.OutOfMemory', 'Error: Runtime exited with error: signal: killed');
  }

  private fail(errorType: string, detail: string): void {
    this.alive = false;
    const pending = this.pending;
    if (pending) this.settle({ ok: false, errorType, errorMessage: `RequestId: ${pending.requestId} ${detail}` });
  }

  private settle(outcome: InvocationOutcome): void {
    const pending = this.pending;
    this.pending = undefined;
    // An idle sandbox must not keep the host process alive.
    this.worker.unref();
    pending?.resolve(outcome);
  }
}
