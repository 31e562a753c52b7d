// The API's depth and resolver-count limits at execution (configuration-limits.html, APPSYNC-NOTES
// §9). Neither refuses the request: a field past the depth limit, or a resolver past the count,
// answers null with an error on its path, and a non-null field passes the null to its nearest
// nullable parent, as any field error does. Validation already ran; the rest of the query answers.
import type { GraphQLResolveInfo } from 'graphql';
import { resolverInvocationLimit, type ApiLimits } from '../../../infra/api-limits.ts';
import { AppSyncFieldError } from './errors.ts';

/**
 * The errorTypes are AWS's (configuration-limits.html). The resolver message is the one AppSync
 * clients quote (aws-amplify/amplify-js#8342); the depth message is UNCONFIRMED, worded alike.
 */
export const QUERY_DEPTH_LIMIT_REACHED = { errorType: 'QueryDepthLimitReached', message: 'Query depth limit reached' } as const;
export const RESOLVER_EXECUTION_LIMIT_REACHED = { errorType: 'ResolverExecutionLimitReached', message: 'Resolver invocation limit reached' } as const;

/**
 * A field's depth: the field names on its response path, so the top-level field is 1 and list
 * indexes, fragments and inline fragments add nothing. AWS's example counts so (a limit of 2 stops
 * `L1 { L2 { L3 { L4 } } }` at L3), as do AppSync users (a leaf counts: `{ root { child { name } } }`
 * is 3).
 */
export function fieldDepth(path: GraphQLResolveInfo['path']): number {
  let depth = 0;
  for (let p: GraphQLResolveInfo['path'] | undefined = path; p; p = p.prev) if (typeof p.key === 'string') depth += 1;
  return depth;
}

const limitError = (reached: { errorType: string; message: string }) =>
  new AppSyncFieldError({ message: reached.message, errorType: reached.errorType, data: null, errorInfo: null });

/** Throws QueryDepthLimitReached for a field deeper than the limit (0: none). */
export function checkDepth(limits: ApiLimits, info: GraphQLResolveInfo): void {
  if (limits.queryDepthLimit > 0 && fieldDepth(info.path) > limits.queryDepthLimit) throw limitError(QUERY_DEPTH_LIMIT_REACHED);
}

/** Counts one resolver invocation of a request; throws when it is past the limit, before it runs. */
export function countResolver(limits: ApiLimits, counter: { invoked: number }): void {
  counter.invoked += 1;
  if (counter.invoked > resolverInvocationLimit(limits)) throw limitError(RESOLVER_EXECUTION_LIMIT_REACHED);
}
