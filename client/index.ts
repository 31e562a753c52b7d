// The typed client surface: one TypedDocumentNode per API operation (with its result and variables
// types) and the schema's types. Generated from client/operations/*.graphql by `npm run codegen`.
export * from './generated/operations.ts';
export type * from './generated/types.ts';
