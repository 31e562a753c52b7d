// The wiring resolved for the local platform: the same declarations the CDK stack reads, with refs
// turned into local names and endpoints. The server runs exactly this plan, and the infra test
// compares it with the synthesized template.
import {
  api,
  dataSources,
  eventSources,
  functions,
  queues,
  table,
  type EnvValue,
  type FunctionName,
  type QueueName,
} from '../infra/wiring.ts';
import { discoverResolvers, type ResolverSpec } from '../infra/resolvers.ts';
import type { ApiLimits } from '../infra/api-limits.ts';
import { API_SETTINGS } from '../functions/shared/model.ts';

export interface LocalEndpoints {
  tableName: string;
  tableArn: string;
  streamArn: string;
  queueUrl(name: QueueName): string;
  queueArn(name: QueueName): string;
  graphqlUrl: string;
}

export interface LocalPlan {
  resolvers: ResolverSpec[];
  dataSources: typeof dataSources;
  functions: typeof functions;
  /** Each function's environment, refs resolved. */
  functionEnvironments: Record<FunctionName, Record<string, string>>;
  eventSources: typeof eventSources;
  /** ctx.env of every resolver: the wiring's values, refs resolved, then overrides from the process. */
  apiEnvironment: Record<string, string>;
  queues: typeof queues;
  table: typeof table;
  /** The API's depth, resolver-count and introspection settings the server enforces (checked when its schema model is built). */
  apiLimits: ApiLimits;
}

export function resolveEnvValue(value: EnvValue, endpoints: LocalEndpoints): string {
  if (typeof value === 'string') return value;
  switch (value.ref) {
    case 'table':
      return value.attr === 'name' ? endpoints.tableName : value.attr === 'arn' ? endpoints.tableArn : endpoints.streamArn;
    case 'queue':
      return value.attr === 'url' ? endpoints.queueUrl(value.queue) : endpoints.queueArn(value.queue);
    case 'api':
      return endpoints.graphqlUrl;
  }
}

function resolveEnv(env: Record<string, EnvValue>, endpoints: LocalEndpoints): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, resolveEnvValue(v, endpoints)]));
}

/**
 * What is wrong with the API settings among `overrides` (HOLD_SECONDS, MAX_ACTIVE_HOLDS), one
 * message each. Checked at start: the resolvers would quietly fall back to the default or clamp.
 */
export function apiOverrideProblems(overrides: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(API_SETTINGS)) {
    const raw = overrides[name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!/^\s*\d+\s*$/.test(raw) || n < setting.min || n > setting.max) {
      problems.push(`${name} must be a whole number from ${setting.min} to ${setting.max} (${setting.unit}; default ${setting.fallback}), not "${raw}"`);
    }
  }
  return problems;
}

/**
 * `overrides` (usually process.env) may replace literal API variables such as HOLD_SECONDS; refs
 * (the table name) always come from the platform.
 */
export function planLocal(root: string, endpoints: LocalEndpoints, overrides: Record<string, string | undefined> = {}): LocalPlan {
  const problems = apiOverrideProblems(overrides);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const apiEnvironment = resolveEnv(api.environment, endpoints);
  for (const [key, value] of Object.entries(api.environment)) {
    const override = overrides[key];
    if (typeof value === 'string' && override !== undefined && override !== '') apiEnvironment[key] = override;
  }
  const functionEnvironments = Object.fromEntries(
    Object.entries(functions).map(([name, fn]) => [name, resolveEnv(fn.environment, endpoints)]),
  ) as Record<FunctionName, Record<string, string>>;
  return {
    resolvers: discoverResolvers(root),
    dataSources,
    functions,
    functionEnvironments,
    eventSources,
    apiEnvironment,
    queues,
    table,
    apiLimits: api.limits,
  };
}
