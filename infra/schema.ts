// The API schema as AppSync deploys it (schema/schema.graphql) and as graphql-js tooling needs it
// (with AppSync's built-in scalars and directives from schema/appsync.graphql declared).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SCHEMA_FILE = 'schema/schema.graphql';
export const APPSYNC_DECLARATIONS_FILE = 'schema/appsync.graphql';

/** The deployable schema, without AppSync's built-ins. */
export function readDeployedSchema(root: string): string {
  return readFileSync(join(root, SCHEMA_FILE), 'utf8');
}

/** Schema plus AppSync's built-in declarations: what graphql-js builds. */
export function readSchemaSDL(root: string): string {
  return `${readFileSync(join(root, APPSYNC_DECLARATIONS_FILE), 'utf8')}\n${readDeployedSchema(root)}`;
}
