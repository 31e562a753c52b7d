// The AWS_LAMBDA data source (resolver-reference-lambda-js): the function receives the request's
// `payload` as its event and its return value becomes ctx.result. A function error becomes
// ctx.error with type "Lambda:Unhandled" and the function's message (aws-appsync-community#209);
// the response handler decides what to do with it.
import type { FunctionName } from '../../../infra/wiring.ts';
import { LambdaFunctionError, type LambdaInvoker } from '../../lambda/types.ts';
import type { DataSource, DataSourceOutcome } from './types.ts';

const INVOCATION_TYPES = ['RequestResponse', 'Event'];

function mappingTemplate(message: string): DataSourceOutcome {
  return { result: null, error: { type: 'MappingTemplate', message } };
}

export function createLambdaDataSource(invoker: LambdaInvoker, functionName: FunctionName): DataSource {
  const invoke = async (event: unknown): Promise<DataSourceOutcome> => {
    try {
      // The invoker serializes the event and parses the function's JSON answer: payloads cross as JSON.
      return { result: (await invoker.invoke(functionName, event)) ?? null };
    } catch (err) {
      if (err instanceof LambdaFunctionError) {
        return { result: null, error: { type: `Lambda:${err.functionError}`, message: err.errorMessage } };
      }
      throw err;
    }
  };

  return {
    async invoke(request) {
      if (request === null || typeof request !== 'object' || Array.isArray(request)) {
        return mappingTemplate("Value for field '$[operation]' not found.");
      }
      const { operation, invocationType, payload } = request as Record<string, unknown>;
      if (operation !== 'Invoke' && operation !== 'BatchInvoke') {
        return mappingTemplate(operation === undefined || operation === null
          ? "Value for field '$[operation]' not found."
          : `Unsupported operation '${String(operation)}'. Lambda data sources support Invoke and BatchInvoke.`);
      }
      if (invocationType !== undefined && invocationType !== null && !INVOCATION_TYPES.includes(invocationType as string)) {
        return mappingTemplate(`Unsupported invocationType '${String(invocationType)}'; use RequestResponse or Event.`);
      }
      const event = payload ?? null;
      if (invocationType === 'Event') {
        // Asynchronous invocation: AppSync does not wait, and the function's outcome never reaches
        // the resolver. [ctx.result for Event: UNCONFIRMED; null here.]
        invoke(event).catch(() => undefined);
        return { result: null };
      }
      if (operation === 'BatchInvoke') {
        // Each resolution is its own batch of one: the function receives [payload] and answers with
        // one result per item. [Batching sibling resolutions up to maxBatchSize is not emulated.]
        const outcome = await invoke([event]);
        if (outcome.error) return outcome;
        if (!Array.isArray(outcome.result)) {
          return { result: null, error: { type: 'Lambda:Unhandled', message: 'BatchInvoke: the function must return a list with one result per payload.' } };
        }
        return { result: outcome.result[0] ?? null };
      }
      return invoke(event);
    },
  };
}
