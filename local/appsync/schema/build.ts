// The executable schema the local server runs: schema/schema.graphql with AppSync's scalars,
// its auth-directive model, which mutations feed which subscriptions (@aws_subscribe), and the
// API's execution limits (depth, resolver count, introspection) it is run under.
import { Kind, buildSchema, type GraphQLSchema } from 'graphql';
import { APPSYNC_DEFAULT_LIMITS, checkApiLimits, type ApiLimits } from '../../../infra/api-limits.ts';
import { readSchemaSDL } from '../../../infra/schema.ts';
import { installAWSScalars } from './scalars.ts';
import { buildAuthDirectiveModel, type AuthDirectiveModel, type AuthMode } from './auth-directives.ts';

export interface AppSyncSchema {
  schema: GraphQLSchema;
  auth: AuthDirectiveModel;
  /** Mutation field name → the subscription fields its results are published to. */
  subscriptionsByMutation: Map<string, string[]>;
  limits: ApiLimits;
}

function subscriptionsByMutation(schema: GraphQLSchema): Map<string, string[]> {
  const byMutation = new Map<string, string[]>();
  const fields = schema.getSubscriptionType()?.getFields() ?? {};
  for (const field of Object.values(fields)) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const mutations = directive?.arguments?.find((a) => a.name.value === 'mutations')?.value;
    if (mutations?.kind !== Kind.LIST) continue;
    for (const m of mutations.values) {
      if (m.kind !== Kind.STRING) continue;
      byMutation.set(m.value, [...(byMutation.get(m.value) ?? []), field.name]);
    }
  }
  return byMutation;
}

/** Without `limits`, AppSync's own defaults: no depth limit, 10,000 resolvers, introspection on. */
export function buildAppSyncSchemaFromSDL(sdl: string, defaultMode: AuthMode, limits: ApiLimits = APPSYNC_DEFAULT_LIMITS): AppSyncSchema {
  checkApiLimits(limits);
  const schema = buildSchema(sdl);
  installAWSScalars(schema);
  return {
    schema,
    auth: buildAuthDirectiveModel(schema, defaultMode),
    subscriptionsByMutation: subscriptionsByMutation(schema),
    limits,
  };
}

/** The project's schema, read from the repository root. */
export function buildAppSyncSchema(root: string, defaultMode: AuthMode, limits?: ApiLimits): AppSyncSchema {
  return buildAppSyncSchemaFromSDL(readSchemaSDL(root), defaultMode, limits);
}
