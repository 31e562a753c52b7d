// The inside of one local Lambda sandbox (a worker thread): loads the bundled handler once, then
// runs one invocation at a time with a Lambda-shaped context, like the Node.js runtime does.
// This file is bundled on its own (see bundle.ts) and never imported by the main thread.
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { format, types } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import type { Callback, Context } from 'aws-lambda';
import type { ErrorMessage, InvokeMessage, SandboxInit, SandboxMessage } from './protocol.ts';

type Handler = (event: unknown, context: Context, callback: Callback) => unknown;

class RuntimeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * How often a running invocation's memory is read (~0.4 µs a reading). A handler that allocates
 * between turns of the event loop can pass the limit by what it allocates in that time.
 */
const MEMORY_SAMPLE_MS = 5;
/** The Node.js runtime's Runtime.NodeJsExit message (an async handler's promise never settled). */
const NODEJS_EXIT_MESSAGE =
  'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes';

if (!parentPort) throw new Error('worker.ts runs only inside a worker thread');
const port = parentPort;
const init = workerData as SandboxInit;
const memoryLimitBytes = Number(init.memoryLimitInMB) * 1024 * 1024;
let currentRequestId: string | undefined;
let handlerLoad: Promise<Handler> | undefined;
/** Ends the running invocation from outside the handler; undefined between invocations. */
let settleRunning: (() => void) | undefined;

installStdio();
installLambdaConsole();
process.on('unhandledRejection', (reason) => {
  reportFatal(new RuntimeError('Runtime.UnhandledPromiseRejection', String(reason)));
});
process.on('uncaughtException', (err) => reportFatal(err));
// The port is unreferenced while a handler runs, so the event loop empties when nothing but the
// handler's own promise is left: the Node.js runtime's beforeExit listener then ends the invocation.
process.on('beforeExit', () => {
  port.ref();
  settleRunning?.();
});

port.on('message', (message: InvokeMessage) => {
  void handleInvoke(message);
});

async function handleInvoke(message: InvokeMessage): Promise<void> {
  const { requestId } = message;
  currentRequestId = requestId;
  // Unreferenced, so it never keeps the event loop alive on its own.
  const sampler = setInterval(() => checkMemory(requestId), MEMORY_SAMPLE_MS).unref();
  try {
    let handler: Handler;
    try {
      handler = await loadHandler();
    } catch (err) {
      // Lambda discards a sandbox whose init failed and starts a fresh one for the next invocation.
      checkMemory(requestId);
      post({ type: 'error', requestId, ...errorPayload(err), fatal: true });
      return;
    }
    try {
      const event: unknown = JSON.parse(message.eventJson);
      const result = await runHandler(handler, event, message);
      let payloadJson: string;
      try {
        payloadJson = JSON.stringify(result) ?? 'null';
      } catch (err) {
        throw new RuntimeError('Runtime.MarshalError', `Unable to marshal response: ${describe(err)}`);
      }
      // What the handler allocated without yielding to the event loop is seen here at the latest.
      checkMemory(requestId);
      post({ type: 'result', requestId, payloadJson });
    } catch (err) {
      checkMemory(requestId);
      post({ type: 'error', requestId, ...errorPayload(err), fatal: false });
    }
  } finally {
    clearInterval(sampler);
    currentRequestId = undefined;
  }
}

/**
 * Lambda kills an environment whose memory (its whole RSS) passes the function's. A worker shares
 * the process's RSS, so what counts here is what is the sandbox's own: its isolate's heap and the
 * memory outside it (Buffers, ArrayBuffers, external strings). Over the limit the worker ends at
 * once, so no more of the handler runs, as none would after the kill.
 */
function checkMemory(requestId: string): void {
  const heap = getHeapStatistics();
  if (heap.total_heap_size + heap.external_memory <= memoryLimitBytes) return;
  post({ type: 'out-of-memory', requestId });
  process.exit(137);
}

function loadHandler(): Promise<Handler> {
  handlerLoad ??= import(pathToFileURL(init.bundlePath).href).then(
    (module: Record<string, unknown>) => {
      const handler = module[init.handlerExport];
      if (typeof handler !== 'function') {
        throw new RuntimeError('Runtime.HandlerNotFound', `${init.functionName}.${init.handlerExport} is undefined or not exported`);
      }
      return handler as Handler;
    },
    (err: unknown) => {
      if (err instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`);
      if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
        throw new RuntimeError('Runtime.ImportModuleError', `Error: ${(err as Error).message}`);
      }
      throw err;
    },
  );
  return handlerLoad;
}

/**
 * Async handlers resolve; callback-style handlers call back; whichever comes first wins. When the
 * event loop empties first, the Node.js runtime fails a handler declared `async` with
 * Runtime.NodeJsExit and answers null for any other (a callback never called, a plain promise).
 */
function runHandler(handler: Handler, event: unknown, message: InvokeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback: Callback = (error, result) => {
      if (settled) return;
      settled = true;
      settleRunning = undefined;
      port.ref();
      if (error !== undefined && error !== null) reject(error);
      else resolve(result ?? null);
    };
    const isAsync = handler.constructor.name === 'AsyncFunction';
    settleRunning = () => callback(isAsync ? new RuntimeError('Runtime.NodeJsExit', NODEJS_EXIT_MESSAGE) : null, null);
    port.unref();
    const context = createContext(message, callback);
    let returned: unknown;
    try {
      returned = handler(event, context, callback);
    } catch (err) {
      callback(err as Error);
      return;
    }
    if (isThenable(returned)) {
      returned.then(
        (value) => callback(null, value),
        (err: unknown) => callback((err ?? new Error(`handler rejected with ${String(err)}`)) as Error),
      );
    } else if (handler.length < 3) {
      // A synchronous handler that takes no callback answers null, as the Node.js runtime does.
      callback(null, null);
    }
  });
}

function createContext(message: InvokeMessage, callback: Callback): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: init.functionName,
    functionVersion: init.functionVersion,
    invokedFunctionArn: init.invokedFunctionArn,
    memoryLimitInMB: init.memoryLimitInMB,
    awsRequestId: message.requestId,
    logGroupName: init.logGroupName,
    logStreamName: init.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
    // The deprecated pre-callback API, still honoured by the Node.js runtime.
    done: (error?: Error, result?: unknown) => callback(error, result),
    fail: (error: Error | string) => callback(typeof error === 'string' ? new Error(error) : error),
    succeed: (result: unknown) => callback(null, result),
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** The Node.js runtime's error payload: name, message and stack for errors, typeof otherwise. */
function errorPayload(err: unknown): Pick<ErrorMessage, 'errorType' | 'errorMessage' | 'trace'> {
  if (types.isNativeError(err) || err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
  }
  return { errorType: typeof err, errorMessage: describe(err), trace: [] };
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function reportFatal(err: unknown): void {
  const requestId = currentRequestId ?? '';
  post({ type: 'error', requestId, ...errorPayload(err), fatal: true });
}

function post(message: SandboxMessage): void {
  port.postMessage(message);
}

/** Lambda's Node.js runtime prefixes each console line with time, request id and level. */
function installLambdaConsole(): void {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' } as const;
  for (const [method, level] of Object.entries(levels)) {
    console[method as keyof typeof levels] = (...args: unknown[]) => {
      // One write a line, so lines from sandboxes and the server never interleave within a line.
      writeFully(1, Buffer.from(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}\n`));
    };
  }
}

/**
 * A worker's own process.stdout and stderr are asynchronous streams relayed by the main thread,
 * and a handler that logs without yielding piles everything up in memory before any is written.
 * Lambda's runtime writes as the handler logs, so these write the process's descriptors directly
 * (Powertools' Logger writes to process.stdout and stderr, not through console).
 */
function installStdio(): void {
  for (const [name, fd] of [['stdout', 1], ['stderr', 2]] as const) {
    const stream = new Writable({
      decodeStrings: true,
      write(chunk: Buffer, _encoding, callback) {
        try {
          writeFully(fd, chunk);
          callback();
        } catch (err) {
          callback(err as Error);
        }
      },
    });
    Object.defineProperty(process, name, { configurable: true, enumerable: true, value: stream });
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `data` before returning. The main thread's process.stdout makes a pipe
 * non-blocking, so a full pipe answers EAGAIN (or takes part of a write): the handler then waits
 * for the reader, a millisecond at first and at most 50 at a time, as Lambda's runtime blocks on a
 * full log pipe. A sandbox that times out meanwhile is terminated out of the wait.
 */
function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  let waitMs = 1;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset);
      waitMs = 1;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(sleepCell, 0, 0, waitMs);
      waitMs = Math.min(waitMs * 2, 50);
    }
  }
}
