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
  /** Invokes synchronously (RequestResponse) and resolves with the handler's return value. */
  invoke(functionName: FunctionName, event: unknown): Promise<unknown>;
}
