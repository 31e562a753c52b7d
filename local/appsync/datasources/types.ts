// The contract between the resolver runtime and each data source kind.
import type { RequestScope } from '../runtime/state.ts';
import type { ResolverInvocation } from '../runtime/types.ts';

/** The outcome of a data source call, as the response handler sees it. */
export interface DataSourceOutcome {
  /** ctx.result */
  result: unknown;
  /** ctx.error: set when the call failed; the response handler decides what to do. */
  error?: { message: string; type: string };
}

/**
 * Who makes a call, for what AppSync groups by (Lambda BatchInvoke): one GraphQL request, one unit
 * resolver or pipeline function of one field, and that resolver's or function's settings.
 */
export interface DataSourceCaller {
  /** The GraphQL request: one object per request, shared by all its fields. */
  request: RequestScope;
  /** The unit resolver (`Type.field`) or pipeline function (`Type.field/function`). */
  resolver: string;
  /** Its maxBatchSize (ResolverSpec / FunctionSpec), when set. */
  maxBatchSize?: number;
}

export interface DataSource {
  /**
   * `request` is the request handler's return value (already a plain JSON value). The runner always
   * names the caller; a direct call without one is a request and a resolver of its own.
   */
  invoke(request: unknown, invocation: ResolverInvocation, caller?: DataSourceCaller): Promise<DataSourceOutcome>;
}
