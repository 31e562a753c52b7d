// The inside of one local Lambda sandbox (a worker thread): loads the bundled handler once, then
// runs one invocation at a time with a Lambda-shaped context, like the Node.js runtime does.
// This file is bundled on its own (see bundle.ts) and never imported by the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { format, types } from 'node:util';
import type { Callback, Context } from 'aws-lambda';
import type { ErrorMessage, InvokeMessage, SandboxInit, SandboxMessage } from './protocol.ts';

type Handler = (event: unknown, context: Context, callback: Callback) => unknown;

class RuntimeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

if (!parentPort) throw new Error('worker.ts runs only inside a worker thread');
const port = parentPort;
const init = workerData as SandboxInit;
let currentRequestId: string | undefined;
let handlerLoad: Promise<Handler> | undefined;

installLambdaConsole();
process.on('unhandledRejection', (reason) => {
  reportFatal(new RuntimeError('Runtime.UnhandledPromiseRejection', String(reason)));
});
process.on('uncaughtException', (err) => reportFatal(err));

port.on('message', (message: InvokeMessage) => {
  void handleInvoke(message);
});

async function handleInvoke(message: InvokeMessage): Promise<void> {
  currentRequestId = message.requestId;
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    // Lambda discards a sandbox whose init failed and starts a fresh one for the next invocation.
    post({ type: 'error', requestId: message.requestId, ...errorPayload(err), fatal: true });
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
    post({ type: 'result', requestId: message.requestId, payloadJson });
  } catch (err) {
    post({ type: 'error', requestId: message.requestId, ...errorPayload(err), fatal: false });
  } finally {
    currentRequestId = undefined;
  }
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

/** Async handlers resolve; callback-style handlers call back; whichever comes first wins. */
function runHandler(handler: Handler, event: unknown, message: InvokeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback: Callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result ?? null);
    };
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
      process.stdout.write(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}\n`);
    };
  }
}
