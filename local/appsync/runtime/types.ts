// The contract between GraphQL execution (local/appsync/http, local/appsync/realtime) and the
// APPSYNC_JS resolver runtime (local/appsync/runtime).
import type { AppSyncErrorEntry, RequestScope, SubscriptionFilter } from './state.ts';

/** ctx.identity as AppSync builds it for each auth mode (null for API key). */
export type Identity = Record<string, unknown> | null;

export type AuthType =
  | 'API Key Authorization'
  | 'User Pool Authorization'
  | 'IAM Authorization'
  | 'Open ID Connect Authorization';

export interface ResolverInfo {
  fieldName: string;
  parentTypeName: string;
  variables: Record<string, unknown>;
  selectionSetList: readonly string[];
  selectionSetGraphQL: string;
}

/** Everything AppSync knows about one field resolution before the resolver runs. */
export interface ResolverInvocation {
  arguments: Record<string, unknown>;
  source: Record<string, unknown> | null;
  identity: Identity;
  authType: AuthType;
  request: { headers: Record<string, string>; domainName: string | null };
  info: ResolverInfo;
}

export interface ResolverOutcome {
  /** The resolver's result (the response handler's return value), or null after util.error. */
  data: unknown;
  /** util.error / util.appendError entries and runtime faults, in order. */
  errors: AppSyncErrorEntry[];
  /** Subscription resolvers only: what the response handler set through extensions. */
  subscriptionFilter?: SubscriptionFilter;
  subscriptionInvalidationFilter?: SubscriptionFilter;
  /** Mutation resolvers only: extensions.invalidateSubscriptions calls. */
  invalidations: Array<{ subscriptionField: string; payload: Record<string, unknown> }>;
  /** util.http.addResponseHeader(s). */
  responseHeaders: Record<string, string>;
}

export interface ResolverRunner {
  /** True when the field has a resolver; fields without one resolve from their source (default resolver). */
  has(typeName: string, fieldName: string): boolean;
  /**
   * Every field of one GraphQL request passes the same scope, so they share its deadline and its
   * invalidateSubscriptions limit; without one, a resolution is a request of its own.
   */
  run(typeName: string, fieldName: string, invocation: ResolverInvocation, request?: RequestScope): Promise<ResolverOutcome>;
}
