// Errors the Lambda service itself returns (not function errors): the Invoke API's 4xx/5xx shapes.
// Function errors (thrown, timed out, crashed) are LambdaFunctionError from ./types.ts.

/** Reserved concurrency is used up and the wait queue is full (HTTP 429 in AWS). */
export class TooManyRequestsError extends Error {
  readonly reason = 'ReservedFunctionConcurrentInvocationLimitExceeded';
  constructor(public readonly functionName: string) {
    super('Rate Exceeded.');
    this.name = 'TooManyRequestsException';
  }
}

export class FunctionNotFoundError extends Error {
  constructor(functionArn: string) {
    super(`Function not found: ${functionArn}`);
    this.name = 'ResourceNotFoundException';
  }
}

/** The event is not JSON or is larger than the synchronous-invocation payload limit. */
export class InvalidPayloadError extends Error {
  constructor(name: 'InvalidRequestContentException' | 'RequestTooLargeException', message: string) {
    super(message);
    this.name = name;
  }
}

/** The runtime is shutting down and accepts no new invocations. */
export class LambdaStoppedError extends Error {
  constructor(functionName: string) {
    super(`local Lambda runtime is stopping; ${functionName} was not invoked`);
    this.name = 'ServiceException';
  }
}

/** Errors after which a caller (an event source) retries without counting a function failure. */
export function isThrottleOrServiceError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TooManyRequestsException' || err.name === 'ServiceException');
}
