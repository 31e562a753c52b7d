// The contract between the resolver runtime and each data source kind.
import type { ResolverInvocation } from '../runtime/types.ts';

/** The outcome of a data source call, as the response handler sees it. */
export interface DataSourceOutcome {
  /** ctx.result */
  result: unknown;
  /** ctx.error: set when the call failed; the response handler decides what to do. */
  error?: { message: string; type: string };
}

export interface DataSource {
  /** `request` is the request handler's return value (already a plain JSON value). */
  invoke(request: unknown, invocation: ResolverInvocation): Promise<DataSourceOutcome>;
}
