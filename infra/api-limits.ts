// AppSync's API-level execution limits (configuration-limits.html; CloudFormation
// AWS::AppSync::GraphQLApi QueryDepthLimit, ResolverCountLimit, IntrospectionConfig). The wiring
// declares them once; the stack deploys them and the local server enforces the same values.

export type IntrospectionSetting = 'ENABLED' | 'DISABLED';

export interface ApiLimits {
  /** Deepest field a request may select, counting the top-level field as 1 (1–75); 0: no limit. */
  queryDepthLimit: number;
  /** Resolver invocations in one request (1–10,000); 0: AppSync's quota of 10,000 applies. */
  resolverCountLimit: number;
  /** DISABLED: __schema and __type selections fail validation; __typename still answers. */
  introspection: IntrospectionSetting;
}

export const MAX_QUERY_DEPTH_LIMIT = 75;
/** The per-request resolver quota, and the ceiling of resolverCountLimit. */
export const MAX_RESOLVER_COUNT = 10_000;

/** What AppSync runs when none of the three is set. */
export const APPSYNC_DEFAULT_LIMITS: ApiLimits = { queryDepthLimit: 0, resolverCountLimit: 0, introspection: 'ENABLED' };

/** What is wrong with `limits`, one message each; CloudFormation would refuse these values. */
export function apiLimitProblems(limits: ApiLimits): string[] {
  const problems: string[] = [];
  const { queryDepthLimit: depth, resolverCountLimit: count, introspection } = limits;
  if (!Number.isInteger(depth) || depth < 0 || depth > MAX_QUERY_DEPTH_LIMIT) {
    problems.push(`queryDepthLimit must be a whole number from 1 to ${MAX_QUERY_DEPTH_LIMIT}, or 0 for no limit, not ${depth}`);
  }
  if (!Number.isInteger(count) || count < 0 || count > MAX_RESOLVER_COUNT) {
    problems.push(`resolverCountLimit must be a whole number from 1 to ${MAX_RESOLVER_COUNT}, or 0 for AppSync's default, not ${count}`);
  }
  if (introspection !== 'ENABLED' && introspection !== 'DISABLED') {
    problems.push(`introspection must be ENABLED or DISABLED, not ${String(introspection)}`);
  }
  return problems;
}

/** Throws when `limits` are out of AppSync's ranges: checked at synth and at local start. */
export function checkApiLimits(limits: ApiLimits): void {
  const problems = apiLimitProblems(limits);
  if (problems.length > 0) throw new Error(`api.limits: ${problems.join('; ')}`);
}

/** The resolver invocations a request may make: 0 stands for the 10,000 quota. */
export function resolverInvocationLimit(limits: ApiLimits): number {
  return limits.resolverCountLimit === 0 ? MAX_RESOLVER_COUNT : limits.resolverCountLimit;
}
