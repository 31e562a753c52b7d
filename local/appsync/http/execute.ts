// One GraphQL-over-HTTP operation, executed the way AppSync does: parse, validate and check
// variables with AppSync's messages, then execute with graphql-js. Every field is checked against
// the auth directives; fields with a resolver run through the ResolverRunner, others read their
// source. The request's fields share one RequestScope (AppSync's 30 s deadline, the
// invalidateSubscriptions limit) and the API's depth and resolver-count limits (limits.ts). After a
// mutation, each result with subscribers is handed out for publishing.
import {
  GraphQLError,
  execute,
  getLocation,
  getOperationAST,
  parse,
  responsePathAsArray,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type OperationDefinitionNode,
} from 'graphql';
import type { AuthSuccess } from '../auth/create-auth.ts';
import { newRequestScope, type RequestScope } from '../runtime/state.ts';
import type { ResolverInvocation, ResolverRunner } from '../runtime/types.ts';
import { unauthorizedFieldMessage } from '../schema/auth-directives.ts';
import type { AppSyncSchema } from '../schema/build.ts';
import { validateDocument } from '../schema/validation.ts';
import { checkVariables } from '../schema/variables.ts';
import {
  AppSyncFieldError,
  ReportedFieldError,
  documentError,
  executionError,
  fieldError,
  syntaxError,
  type AppSyncGraphQLError,
  type RequestError,
} from './errors.ts';
import { dataBySelection, fieldNamePaths, resultBySelection, selectionSetGraphQL, selectionSetList, topLevelFields } from './selection.ts';
import { checkDepth, countResolver } from './limits.ts';
import { nestingError } from './nesting.ts';

export interface GraphQLRequestBody {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
}

/** A mutation result that subscriptions (@aws_subscribe) listen for. */
export interface MutationPublishedEvent {
  mutationField: string;
  /** The mutation's result keyed by field name, restricted to the mutation's selection set. */
  result: unknown;
  /** The selected paths by field name ("items/id"): what subscribers may receive. */
  selectionSet: string[];
}

export interface Invalidation {
  subscriptionField: string;
  payload: Record<string, unknown>;
}

export interface ExecutionOutcome {
  status: number;
  body: unknown;
  responseHeaders: Record<string, string>;
  published: MutationPublishedEvent[];
  /** extensions.invalidateSubscriptions calls made by mutation resolvers, in order. */
  invalidations: Invalidation[];
}

interface FieldContext {
  auth: AuthSuccess;
  headers: Record<string, string>;
  domainName: string | null;
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
  reported: AppSyncGraphQLError[];
  responseHeaders: Record<string, string>;
  invalidations: Invalidation[];
  scope: RequestScope;
  /** Resolvers invoked so far, against the API's resolverCountLimit. */
  resolvers: { invoked: number };
}

function requestError(status: number, errorType: string, message: string): { error: RequestError } {
  return { error: { status, errorType, message } };
}

function buildFieldResolver(model: AppSyncSchema, runner: ResolverRunner): GraphQLFieldResolver<unknown, FieldContext> {
  return async (source, args, ctx, info) => {
    const typeName = info.parentType.name;
    const fieldName = info.fieldName;
    checkDepth(model.limits, info);
    if (!model.auth.allows(typeName, fieldName, { mode: ctx.auth.mode, groups: ctx.auth.groups })) {
      throw new AppSyncFieldError({
        message: unauthorizedFieldMessage(typeName, fieldName),
        errorType: 'Unauthorized',
        data: null,
        errorInfo: null,
      });
    }
    if (!runner.has(typeName, fieldName)) {
      return source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[fieldName] : null;
    }
    countResolver(model.limits, ctx.resolvers);
    const fieldNode = info.fieldNodes[0];
    const invocation: ResolverInvocation = {
      arguments: args,
      source: source !== null && typeof source === 'object' ? (source as Record<string, unknown>) : null,
      identity: ctx.auth.identity,
      authType: ctx.auth.authType,
      request: { headers: ctx.headers, domainName: ctx.domainName },
      info: {
        fieldName,
        parentTypeName: typeName,
        variables: ctx.variables,
        selectionSetList: selectionSetList(fieldNode.selectionSet, ctx.fragments),
        selectionSetGraphQL: selectionSetGraphQL(fieldNode.selectionSet),
      },
    };
    const outcome = await runner.run(typeName, fieldName, invocation, ctx.scope);
    Object.assign(ctx.responseHeaders, outcome.responseHeaders);
    if (typeName === 'Mutation') ctx.invalidations.push(...outcome.invalidations);
    const path = responsePathAsArray(info.path);
    const locations = fieldNode.loc
      ? [{ ...getLocation(fieldNode.loc.source, fieldNode.loc.start), sourceName: null as null }]
      : null;
    for (const entry of outcome.errors) {
      // AppSync filters util.error's data by the field's selection set; errorInfo passes as it is.
      const data = dataBySelection(entry.data, info.fieldNodes, ctx.fragments);
      ctx.reported.push(fieldError({ ...entry, data }, path, locations));
    }
    if ((outcome.data === null || outcome.data === undefined) && outcome.errors.length > 0) throw new ReportedFieldError();
    return outcome.data;
  };
}

function publishedEvents(
  model: AppSyncSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  data: Record<string, unknown> | null | undefined,
): MutationPublishedEvent[] {
  if (operation.operation !== 'mutation' || !data) return [];
  const events: MutationPublishedEvent[] = [];
  for (const field of topLevelFields(operation.selectionSet, fragments)) {
    const name = field.name.value;
    const value = data[(field.alias ?? field.name).value];
    if (!model.subscriptionsByMutation.has(name) || value === null || value === undefined) continue;
    events.push({
      mutationField: name,
      result: resultBySelection(value, field.selectionSet, fragments),
      selectionSet: fieldNamePaths(field.selectionSet, fragments),
    });
  }
  return events;
}

type ParsedOperation = { document: DocumentNode; operation: OperationDefinitionNode } | { errors: AppSyncGraphQLError[] } | { error: RequestError };

/**
 * Clients send the same few operations over and over: parsing and validating each text once per
 * schema saves most of a request's fixed cost. Bounded by count and by the texts' total size (a
 * document keeps its text, and its tree grows with it): the oldest entries go first, and a text too
 * large to be one of those few operations is never kept.
 */
const PARSED_CACHE_SIZE = 512;
const PARSED_CACHE_CHARS = 4 * 1024 * 1024;
const MAX_CACHED_QUERY_CHARS = 64 * 1024;
interface ParsedCache {
  entries: Map<string, ParsedOperation>;
  chars: number;
}
const parsedCache = new WeakMap<AppSyncSchema, ParsedCache>();

export function parseOperation(model: AppSyncSchema, request: GraphQLRequestBody): ParsedOperation {
  const key = `${request.operationName ?? ''}\u0000${request.query}`;
  if (key.length > MAX_CACHED_QUERY_CHARS) return parseUncached(model, request);
  let cache = parsedCache.get(model);
  if (!cache) parsedCache.set(model, (cache = { entries: new Map(), chars: 0 }));
  const cached = cache.entries.get(key);
  if (cached) return cached;
  const parsed = parseUncached(model, request);
  while (cache.entries.size >= PARSED_CACHE_SIZE || (cache.entries.size > 0 && cache.chars + key.length > PARSED_CACHE_CHARS)) {
    const oldest = cache.entries.keys().next().value as string;
    cache.entries.delete(oldest);
    cache.chars -= oldest.length;
  }
  cache.entries.set(key, parsed);
  cache.chars += key.length;
  return parsed;
}

/** How many parsed operations the cache holds for `model`, and their texts' total length. */
export function parsedCacheUsage(model: AppSyncSchema): { entries: number; chars: number } {
  const cache = parsedCache.get(model);
  return { entries: cache?.entries.size ?? 0, chars: cache?.chars ?? 0 };
}

function parseUncached(model: AppSyncSchema, request: GraphQLRequestBody): ParsedOperation {
  const tooDeep = nestingError(request.query);
  if (tooDeep) return { errors: [tooDeep] };
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens: 50_000 });
  } catch (err) {
    if (err instanceof GraphQLError) return { errors: [syntaxError(err, request.query)] };
    throw err;
  }
  const invalid = validateDocument(model.schema, document, { introspection: model.limits.introspection });
  if (invalid.length > 0) return { errors: invalid.map(documentError) };
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) {
    return requestError(
      400,
      'BadRequestException',
      request.operationName ? `Unknown operation named '${request.operationName}'.` : 'Missing operation name.',
    );
  }
  return { document, operation };
}

export async function executeOperation(
  model: AppSyncSchema,
  runner: ResolverRunner,
  request: GraphQLRequestBody,
  auth: AuthSuccess,
  httpRequest: { headers: Record<string, string>; domainName: string | null },
  options: { requestTimeoutMs?: number } = {},
): Promise<ExecutionOutcome> {
  // The deadline runs from the request's arrival here, across every resolver it reaches.
  const scope = newRequestScope(options.requestTimeoutMs);
  const none = { responseHeaders: {}, published: [], invalidations: [] };
  const parsed = parseOperation(model, request);
  if ('error' in parsed) {
    const { status, errorType, message } = parsed.error;
    return { status, body: { errors: [{ errorType, message }] }, ...none };
  }
  if ('errors' in parsed) return { status: 200, body: { data: null, errors: parsed.errors }, ...none };
  const { document, operation } = parsed;
  if (operation.operation === 'subscription') {
    // AppSync serves subscriptions only over its real-time WebSocket endpoint.
    return {
      status: 400,
      body: { errors: [{ errorType: 'BadRequestException', message: 'Subscriptions over MQTT is not supported.' }] },
      ...none,
    };
  }
  const variableErrors = checkVariables(model.schema, operation, request.variables);
  if (variableErrors.length > 0) {
    return { status: 200, body: { data: null, errors: variableErrors.map(documentError) }, ...none };
  }
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  const context: FieldContext = {
    auth,
    headers: httpRequest.headers,
    domainName: httpRequest.domainName,
    variables: request.variables,
    fragments,
    reported: [],
    responseHeaders: {},
    invalidations: [],
    scope,
    resolvers: { invoked: 0 },
  };
  const result = await execute({
    schema: model.schema,
    document,
    operationName: request.operationName ?? undefined,
    variableValues: request.variables,
    contextValue: context,
    fieldResolver: buildFieldResolver(model, runner),
  });
  const errors = [
    ...context.reported,
    ...(result.errors ?? []).flatMap((e) => {
      const converted = executionError(model.schema, e);
      return converted ? [converted] : [];
    }),
  ];
  const data = (result.data ?? null) as Record<string, unknown> | null;
  return {
    status: 200,
    body: errors.length > 0 ? { data, errors } : { data },
    responseHeaders: context.responseHeaders,
    published: publishedEvents(model, operation, fragments, data),
    invalidations: context.invalidations,
  };
}
