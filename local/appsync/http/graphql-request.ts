// The GraphQL-over-HTTP request body ({query, variables?, operationName?}) read the way AppSync
// reads it; anything else is a 400 MalformedHttpRequestException (graphql/graphql-over-http#81).
import type { RequestError } from './errors.ts';
import type { GraphQLRequestBody } from './execute.ts';

const malformed = (message: string): RequestError => ({ status: 400, errorType: 'MalformedHttpRequestException', message });
const UNPARSEABLE = 'Unable to parse GraphQL query.';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fromFields(query: unknown, variables: unknown, operationName: unknown): GraphQLRequestBody | RequestError {
  if (typeof query !== 'string' || query.trim() === '') return malformed(UNPARSEABLE);
  if (variables !== undefined && variables !== null && !isPlainObject(variables)) return malformed(UNPARSEABLE);
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return malformed(UNPARSEABLE);
  return { query, variables: (variables as Record<string, unknown> | null) ?? {}, operationName: operationName ?? null };
}

export function isRequestError(value: GraphQLRequestBody | RequestError): value is RequestError {
  return 'errorType' in value;
}

export function requestFromPost(contentType: string | undefined, body: Buffer): GraphQLRequestBody | RequestError {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  if (mediaType && mediaType !== 'application/json' && mediaType !== 'application/graphql') {
    return malformed(`Unsupported Content-Type '${mediaType}': send the request as application/json.`);
  }
  if (body.length === 0) return malformed('Request body is empty.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return malformed(UNPARSEABLE);
  }
  if (!isPlainObject(parsed)) return malformed(UNPARSEABLE);
  return fromFields(parsed.query, parsed.variables, parsed.operationName);
}

/** GET: query, variables (JSON text) and operationName as URL query parameters. */
export function requestFromQuery(params: URLSearchParams): GraphQLRequestBody | RequestError {
  const rawVariables = params.get('variables');
  let variables: unknown;
  if (rawVariables !== null && rawVariables !== '') {
    try {
      variables = JSON.parse(rawVariables);
    } catch {
      return malformed(UNPARSEABLE);
    }
  }
  return fromFields(params.get('query') ?? undefined, variables, params.get('operationName') ?? undefined);
}
