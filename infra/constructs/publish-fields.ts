// The mutations the backend publishes through: Mutation fields whose only auth directive is
// @aws_iam. Read from the schema, so the Lambda's grant names exactly the fields the schema guards.
import type { GraphQLSchema } from 'graphql';

const AUTH_DIRECTIVES = new Set(['aws_iam', 'aws_api_key', 'aws_cognito_user_pools', 'aws_oidc', 'aws_lambda', 'aws_auth']);

export function iamOnlyMutationFields(schema: GraphQLSchema): string[] {
  const mutation = schema.getMutationType();
  if (!mutation) return [];
  return Object.values(mutation.getFields())
    .filter((field) => {
      const auth = (field.astNode?.directives ?? []).map((d) => d.name.value).filter((name) => AUTH_DIRECTIVES.has(name));
      return auth.length === 1 && auth[0] === 'aws_iam';
    })
    .map((field) => field.name);
}
