// AppSync's auth directives (APPSYNC-NOTES §8): which auth modes may read a field. A field's own
// directives take precedence over its type's; with neither, only the API's default mode may.
import {
  Kind,
  isObjectType,
  print,
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

/**
 * `cognito_groups` is `[String!]`. SDL validation does not check argument values, so this does, as
 * GraphQL input coercion would: one string is a one-item list; anything else that is not a list of
 * strings is refused, never read as "no groups" (which would admit every user-pool caller).
 */
function groupsArgument(directive: ConstDirectiveNode, where: string): string[] | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === 'cognito_groups');
  if (!arg) return undefined;
  const { value } = arg;
  // Null is "no groups" where the argument is nullable (@aws_cognito_user_pools), not on @aws_auth.
  if (value.kind === Kind.NULL && directive.name.value === 'aws_cognito_user_pools') return undefined;
  if (value.kind === Kind.STRING) return [value.value];
  if (value.kind === Kind.LIST) {
    const groups = value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
    if (groups.length === value.values.length) return groups;
  }
  throw new Error(
    `${where}: @${directive.name.value}(cognito_groups: ${print(value)}): cognito_groups must be a String or a list of Strings`,
  );
}

function rulesOf(directives: readonly ConstDirectiveNode[] | undefined, where: string): AuthRule[] {
  const rules: AuthRule[] = [];
  for (const directive of directives ?? []) {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (!mode) continue;
    const groups = groupsArgument(directive, where);
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
    const fieldRules = rulesOf(field?.astNode?.directives, key);
    const typeRules = rulesOf(type?.astNode?.directives, typeName);
    const rules = fieldRules.length > 0 ? fieldRules : typeRules.length > 0 ? typeRules : [{ mode: defaultMode }];
    cache.set(key, rules);
    return rules;
  };
  // Every directive is read now, so a malformed one fails the schema, not a request.
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const fieldName of Object.keys(type.getFields())) rulesFor(type.name, fieldName);
  }
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
