// Messages between the local Lambda runtime (main thread) and one sandbox (a worker thread).
// Events and results cross as JSON text: a real Lambda sees a JSON round-tripped event and its
// result is serialized the same way.

/** Set once per sandbox, like the values Lambda's runtime reads at init. */
export interface SandboxInit {
  bundlePath: string;
  handlerExport: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  eventJson: string;
  /** Epoch ms at which the invocation times out; getRemainingTimeInMillis() counts down to it. */
  deadlineMs: number;
}

export interface ResultMessage {
  type: 'result';
  requestId: string;
  payloadJson: string;
}

export interface ErrorMessage {
  type: 'error';
  requestId: string;
  errorType: string;
  errorMessage: string;
  trace: string[];
  /** The sandbox cannot take another invocation (init failed, unhandled rejection): replace it. */
  fatal: boolean;
}

/**
 * The sandbox's memory passed the function's: the worker has ended itself, as Lambda kills an
 * environment that passes its memory, and is to be reported and replaced.
 */
export interface OutOfMemoryMessage {
  type: 'out-of-memory';
  requestId: string;
}

export type SandboxMessage = ResultMessage | ErrorMessage | OutOfMemoryMessage;
