// AppSync's auth directives (APPSYNC-NOTES §8): which auth modes may read a field. A field's own
// directives take precedence over its type's; with neither, only the API's default mode may.
import {
  Kind,
  type ConstDirectiveNode,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

export type AuthMode = 'API_KEY' | 'AWS_IAM' | 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

/** One mode allowed on a field; for user pools, optionally only some groups. */
export interface AuthRule {
  mode: AuthMode;
  groups?: string[];
}

/** The caller as the directive rules see it. */
export interface Caller {
  mode: AuthMode;
  groups: string[];
}

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  // Legacy user-pool directive: field-only, always with groups.
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
};

function groupsArgument(directive: ConstDirectiveNode): string[] | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === 'cognito_groups');
  if (!arg) return undefined;
  if (arg.value.kind !== Kind.LIST) return undefined;
  return arg.value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
}

function rulesOf(directives: readonly ConstDirectiveNode[] | undefined): AuthRule[] {
  const rules: AuthRule[] = [];
  for (const directive of directives ?? []) {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (!mode) continue;
    const groups = groupsArgument(directive);
    rules.push(groups ? { mode, groups } : { mode });
  }
  return rules;
}

export interface AuthDirectiveModel {
  /** The rules that apply to Type.field (field directives, else type directives, else default). */
  rulesFor(typeName: string, fieldName: string): AuthRule[];
  /** True when the caller may read Type.field. */
  allows(typeName: string, fieldName: string, caller: Caller): boolean;
}

export function buildAuthDirectiveModel(schema: GraphQLSchema, defaultMode: AuthMode): AuthDirectiveModel {
  const cache = new Map<string, AuthRule[]>();
  const rulesFor = (typeName: string, fieldName: string): AuthRule[] => {
    const key = `${typeName}.${fieldName}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const type = schema.getType(typeName) as GraphQLObjectType | undefined;
    const field = type?.getFields?.()[fieldName];
    const fieldRules = rulesOf(field?.astNode?.directives);
    const typeRules = rulesOf(type?.astNode?.directives);
    const rules = fieldRules.length > 0 ? fieldRules : typeRules.length > 0 ? typeRules : [{ mode: defaultMode }];
    cache.set(key, rules);
    return rules;
  };
  return {
    rulesFor,
    allows(typeName, fieldName, caller) {
      return rulesFor(typeName, fieldName).some(
        (rule) => rule.mode === caller.mode && (!rule.groups || rule.groups.some((g) => caller.groups.includes(g))),
      );
    },
  };
}

/** The message AppSync gives a field-level denial (errorType `Unauthorized`). */
export function unauthorizedFieldMessage(typeName: string, fieldName: string): string {
  return `Not Authorized to access ${fieldName} on type ${typeName}`;
}
