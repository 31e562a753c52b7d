// GraphQL errors in AppSync's response shape (APPSYNC-NOTES §6): resolver errors carry
// {path, data, errorType, errorInfo, locations:[{line, column, sourceName:null}], message};
// parse and validation errors have path null and no errorType; values that cannot be returned
// are reported the way graphql-java words them.
import { GraphQLError, getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { AppSyncErrorEntry } from '../runtime/state.ts';
import { ScalarSerializeError } from '../schema/scalars.ts';

export interface AppSyncLocation {
  line: number;
  column: number;
  sourceName: null;
}

export interface AppSyncGraphQLError {
  path: Array<string | number> | null;
  data?: unknown;
  errorType?: string | null;
  errorInfo?: unknown;
  locations: AppSyncLocation[] | null;
  message: string;
}

/** A field error raised by the resolver layer: util.error, a denial, a runtime fault. */
export class AppSyncFieldError extends Error {
  constructor(public readonly entry: AppSyncErrorEntry) {
    super(entry.message);
    this.name = 'AppSyncFieldError';
  }
}

/** The field failed and its errors are already in the response's error list. */
export class ReportedFieldError extends Error {
  constructor() {
    super('field errors already reported');
    this.name = 'ReportedFieldError';
  }
}

/** A request-level error: its own HTTP status and {"errors":[{errorType, message}]}. */
export interface RequestError {
  status: number;
  errorType: string;
  message: string;
}

export function requestErrorBody(error: Pick<RequestError, 'errorType' | 'message'>) {
  return { errors: [{ errorType: error.errorType, message: error.message }] };
}

export function locationsOf(error: GraphQLError): AppSyncLocation[] | null {
  return error.locations ? error.locations.map((l) => ({ line: l.line, column: l.column, sourceName: null })) : null;
}

/** graphql-java's syntax message: "Invalid Syntax : offending token 'x' at line 1 column 3". */
export function syntaxError(error: GraphQLError, query: string): AppSyncGraphQLError {
  const position = error.positions?.[0] ?? query.length;
  const rest = query.slice(position);
  const token = /^(?:\.\.\.|[!$&():=@[\]{|}]|[_A-Za-z][_0-9A-Za-z]*|-?\d[\d.eE+-]*|"[^"\n]*"?)/.exec(rest)?.[0];
  const { line, column } = error.locations?.[0] ?? { line: 1, column: 1 };
  return {
    path: null,
    locations: [{ line, column, sourceName: null }],
    message: `Invalid Syntax : offending token '${token ?? (rest.length === 0 ? '<EOF>' : rest[0])}' at line ${line} column ${column}`,
  };
}

/** A document-level (parse, validation, variable) error: no path, no errorType. */
export function documentError(error: GraphQLError): AppSyncGraphQLError {
  return { path: null, locations: locationsOf(error), message: error.message };
}

export function fieldError(
  entry: AppSyncErrorEntry,
  path: Array<string | number>,
  locations: AppSyncLocation[] | null,
): AppSyncGraphQLError {
  return { path, data: entry.data ?? null, errorType: entry.errorType, errorInfo: entry.errorInfo ?? null, locations, message: entry.message };
}

/** graphql-java's path notation in messages: /a/b[2]/c. */
function pathString(path: ReadonlyArray<string | number>): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `/${p}`)).join('');
}

function nonNullMessage(schema: GraphQLSchema, message: string, path: ReadonlyArray<string | number>): string | null {
  const m = /^Cannot return null for non-nullable field (\w+)\.(\w+)\./.exec(message);
  if (!m) return null;
  const parent = schema.getType(m[1]);
  const field = isObjectType(parent) ? parent.getFields()[m[2]] : undefined;
  const typeName = field ? getNamedType(field.type).name : m[2];
  return `Cannot return null for non-nullable type: '${typeName}' within parent '${m[1]}' (${pathString(path)})`;
}

/** Converts one graphql-js execution error; null when it was already reported. */
export function executionError(schema: GraphQLSchema, error: GraphQLError): AppSyncGraphQLError | null {
  const original = error.originalError;
  const path = error.path ? [...error.path] : null;
  if (original instanceof ReportedFieldError) return null;
  if (original instanceof AppSyncFieldError) return fieldError(original.entry, path ?? [], locationsOf(error));
  if (original instanceof ScalarSerializeError) {
    return { path, locations: null, message: `Can't serialize value (${pathString(path ?? [])}) : ${original.message}` };
  }
  const nonNull = nonNullMessage(schema, error.message, path ?? []);
  if (nonNull) return { path, locations: null, message: nonNull };
  if (original) {
    // A fault in the local runtime itself; reported on the field rather than failing the request.
    return fieldError({ message: original.message, errorType: 'InternalFailure', data: null, errorInfo: null }, path ?? [], locationsOf(error));
  }
  return { path, locations: locationsOf(error), message: error.message };
}
