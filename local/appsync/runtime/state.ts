// What one handler evaluation accumulates besides its return value. util, runtime and extensions
// (built per evaluation) write here; the pipeline executor reads it after the handler returns.

/** An error as AppSync reports it in the GraphQL response (before path/locations are added). */
export interface AppSyncErrorEntry {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
}

export type SubscriptionFilterOperator =
  | 'eq' | 'ne' | 'le' | 'lt' | 'ge' | 'gt'
  | 'contains' | 'notContains' | 'beginsWith'
  | 'in' | 'notIn' | 'between' | 'containsAny';

export interface SubscriptionFilter {
  filterGroup: Array<{ filters: Array<{ fieldName: string; operator: SubscriptionFilterOperator; value: unknown }> }>;
}

/** AppSync's whole-request execution limit (APPSYNC-NOTES §1): 30 s, not configurable. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * What every handler of one GraphQL request shares, across its fields and their pipelines: the
 * request's deadline and the limit on extensions.invalidateSubscriptions, both per request in AppSync.
 */
export interface RequestScope {
  /** performance.now() after which the request's resolvers stop with ExecutionTimeout. */
  readonly deadline: number;
  /** Distinct invalidateSubscriptions calls so far, as JSON text. */
  readonly invalidations: Set<string>;
}

export function newRequestScope(timeoutMs: number = REQUEST_TIMEOUT_MS): RequestScope {
  if (!(timeoutMs > 0)) throw new Error(`a request timeout must be a positive number of ms, not ${timeoutMs}`);
  return { deadline: performance.now() + timeoutMs, invalidations: new Set() };
}

export interface EvaluationState {
  /** util.appendError entries, in call order. */
  errors: AppSyncErrorEntry[];
  /** console.log / console.error lines, as EvaluateCode returns them. */
  logs: string[];
  /** Which handler is running: some extensions are only legal in some handlers. */
  handler: { kind: 'request' | 'response'; parentTypeName: string };
  subscriptionFilter?: SubscriptionFilter;
  subscriptionInvalidationFilter?: SubscriptionFilter;
  invalidations: Array<{ subscriptionField: string; payload: Record<string, unknown> }>;
  evictions: Array<{ typeName: string; fieldName: string; keyValues: Record<string, unknown> }>;
  responseHeaders: Record<string, string>;
  /** The GraphQL request this evaluation belongs to. */
  request: RequestScope;
}

export function newEvaluationState(
  kind: 'request' | 'response',
  parentTypeName: string,
  request: RequestScope = newRequestScope(),
): EvaluationState {
  return {
    errors: [],
    logs: [],
    handler: { kind, parentTypeName },
    request,
    invalidations: [],
    evictions: [],
    responseHeaders: {},
  };
}

// The signals are control flow, not failures: they do not extend Error, so throwing one captures
// no stack trace (that was ~6 µs of every earlyReturn, which pipelines use at nearly every step).

/**
 * util.error(): stops the evaluation. Thrown from host code through the sandbox; the sandbox code
 * cannot catch it (APPSYNC_JS has no try/catch), the executor does.
 */
export class UtilErrorSignal {
  constructor(public readonly entry: AppSyncErrorEntry) {}
}

/** runtime.earlyReturn(obj, { skipTo }). */
export class EarlyReturnSignal {
  constructor(
    public readonly value: unknown,
    public readonly skipTo: 'END' | 'NEXT' | undefined,
  ) {}
}
