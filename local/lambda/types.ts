// The contract between whoever triggers a Lambda locally (AppSync Lambda data sources, the SQS
// event source, the stream pollers) and the local Lambda runtime.
import type { FunctionName } from '../../infra/wiring.ts';

/** A function error as Lambda reports it (the Invoke API's FunctionError payload). */
export class LambdaFunctionError extends Error {
  constructor(
    public readonly functionName: string,
    public readonly errorType: string,
    public readonly errorMessage: string,
    /** 'Unhandled' for a thrown error or a timeout, as Lambda's X-Amz-Function-Error says. */
    public readonly functionError: 'Unhandled' | 'Handled' = 'Unhandled',
  ) {
    super(errorMessage);
    this.name = 'LambdaFunctionError';
  }
}

export interface LambdaInvoker {
  /** Invokes synchronously (RequestResponse): the event crosses as JSON text, and the handler's return
   * value comes back parsed from its JSON (as the Invoke API answers), so it is plain data. */
  invoke(functionName: FunctionName, event: unknown): Promise<unknown>;
}
