// The AWS_LAMBDA data source (resolver-reference-lambda-js): the function receives the request's
// `payload` as its event and its return value becomes ctx.result. A function error becomes
// ctx.error with type "Lambda:Unhandled" and the function's message (aws-appsync-community#209);
// the response handler decides what to do with it.
//
// BatchInvoke "batches requests for the current GraphQL field": the resolutions of one resolver or
// pipeline function within one GraphQL request go to the function together, as the list of their
// payloads in resolution order, at most maxBatchSize at a time. The function answers a list, one
// item per payload, and each resolution gets its own item as ctx.result, not unwrapped (per-item
// errors are the function's own convention, read by the response handler).
import type { FunctionName } from '../../../infra/wiring.ts';
import { LambdaFunctionError, type LambdaInvoker } from '../../lambda/types.ts';
import type { RequestScope } from '../runtime/state.ts';
import type { DataSource, DataSourceCaller, DataSourceOutcome } from './types.ts';

const INVOCATION_TYPES = ['RequestResponse', 'Event'];

/** AppSync's batch size when the resolver or function sets no maxBatchSize (its size before the setting existed). */
export const DEFAULT_MAX_BATCH_SIZE = 5;

function mappingTemplate(message: string): DataSourceOutcome {
  return { result: null, error: { type: 'MappingTemplate', message } };
}

// [Message UNCONFIRMED against AWS.]
const NOT_A_LIST = 'BatchInvoke: the function must return a list with one result per payload.';

interface Waiting {
  payload: unknown;
  resolve: (outcome: DataSourceOutcome) => void;
  reject: (err: unknown) => void;
}

interface Batch {
  waiting: Waiting[];
  timer?: ReturnType<typeof setImmediate>;
}

/** This resolution's share of the batch's outcome: a function error or a bad answer fails them all. */
function itemOutcome(outcome: DataSourceOutcome, index: number, count: number): DataSourceOutcome {
  if (outcome.error) return { result: null, error: { ...outcome.error } };
  if (!Array.isArray(outcome.result) || outcome.result.length !== count) {
    return { result: null, error: { type: 'Lambda:Unhandled', message: NOT_A_LIST } };
  }
  return { result: outcome.result[index] ?? null };
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

  const send = (batch: Batch): void => {
    const { waiting } = batch;
    invoke(waiting.map((w) => w.payload)).then(
      (outcome) => waiting.forEach((w, i) => w.resolve(itemOutcome(outcome, i, waiting.length))),
      (err: unknown) => waiting.forEach((w) => w.reject(err)),
    );
  };

  // Batches still collecting, by request and resolver. An entry leaves when its batch is sent, and
  // a request's map when it is empty, so nothing outlives the calls waiting on it.
  const open = new WeakMap<RequestScope, Map<string, Batch>>();
  const flush = (caller: DataSourceCaller, batch: Batch): void => {
    const batches = open.get(caller.request);
    if (batches?.get(caller.resolver) !== batch) return;
    batches.delete(caller.resolver);
    if (batches.size === 0) open.delete(caller.request);
    clearImmediate(batch.timer);
    send(batch);
  };

  const batchInvoke = (payload: unknown, caller: DataSourceCaller | undefined): Promise<DataSourceOutcome> =>
    new Promise((resolve, reject) => {
      const waiting = { payload, resolve, reject };
      // [maxBatchSize 0 is documented only for direct Lambda resolvers, where it turns batching off;
      // UNCONFIRMED for resolvers with code: batches of one here, the event still a list.]
      const limit = Math.max(1, caller?.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE);
      if (caller === undefined || limit === 1) return send({ waiting: [waiting] });
      let batches = open.get(caller.request);
      if (!batches) open.set(caller.request, (batches = new Map()));
      let batch = batches.get(caller.resolver);
      if (!batch) {
        // graphql-js starts a list's sibling resolutions one after another in one turn of the event
        // loop: those that reach here before the next turn go together, as a DataLoader batches.
        const fresh: Batch = { waiting: [] };
        fresh.timer = setImmediate(() => flush(caller, fresh));
        batches.set(caller.resolver, (batch = fresh));
      }
      batch.waiting.push(waiting);
      if (batch.waiting.length >= limit) flush(caller, batch);
    });

  return {
    async invoke(request, _invocation, caller) {
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
        // the resolver. [ctx.result for Event: UNCONFIRMED; null here. With BatchInvoke, each call
        // is sent on its own, as its bare payload.]
        invoke(event).catch(() => undefined);
        return { result: null };
      }
      return operation === 'BatchInvoke' ? batchInvoke(event, caller) : invoke(event);
    },
  };
}
