// A `start` message becomes a live subscription: authenticate its headers, parse and validate the
// operation (subscriptions only) with the messages AppSync's HTTP endpoint gives, check the field's
// auth directives, and run the subscription field's resolver, whose response handler may set an
// enhanced filter. The start is a request of its own: its resolver has the request's deadline, and
// the API's limits apply as to any request (APPSYNC-NOTES §9): introspection in validation, while
// the depth and resolver-count limits cannot be reached, as a start resolves only its top-level
// field, with one resolver.
import {
  Kind,
  getArgumentValues,
  getVariableValues,
  parse,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ApiLimits } from '../../../infra/api-limits.ts';
import type { Auth, AuthSuccess } from '../auth/index.ts';
import type { AuthDirectiveModel } from '../schema/auth-directives.ts';
import { unauthorizedFieldMessage } from '../schema/auth-directives.ts';
import { syntaxError } from '../http/errors.ts';
import { selectionSetGraphQL, selectionSetList } from '../http/selection.ts';
import { nestingError } from '../http/nesting.ts';
import type { ResolverRunner } from '../runtime/types.ts';
import { newRequestScope, type SubscriptionFilter } from '../runtime/state.ts';
import { validateDocument } from '../schema/validation.ts';
import { checkVariables } from '../schema/variables.ts';
import { filterProblem } from './filter.ts';
import type { ProtocolError } from './messages.ts';

export interface StartRequest {
  data: string;
  authorization: Record<string, string>;
  sourceIp: string[];
  /** Host the client connected to, for ctx.request.domainName. */
  host: string | null;
}

export interface StartedSubscription {
  field: string;
  arguments: Record<string, unknown>;
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** Same text + variables ⇒ same payload for the same event: fan-out executes once per key. */
  executionKey: string;
  filter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
  caller: AuthSuccess;
}

export interface StartContext {
  schema: GraphQLSchema;
  directives: AuthDirectiveModel;
  auth: Auth;
  runner: ResolverRunner;
  limits: ApiLimits;
  /** AppSync's whole-request execution limit, 30 s; tests shorten it. */
  requestTimeoutMs?: number;
}

const fail = (errors: ProtocolError[]) => ({ ok: false as const, errors });

export async function startSubscription(ctx: StartContext, req: StartRequest): Promise<{ ok: true; sub: StartedSubscription } | { ok: false; errors: ProtocolError[] }> {
  const scope = newRequestScope(ctx.requestTimeoutMs);
  const outcome = await ctx.auth.authenticate({
    method: 'POST',
    path: '/graphql',
    headers: req.authorization,
    body: req.data,
    sourceIp: req.sourceIp,
  });
  if (!outcome.ok) return fail([{ errorType: 'UnauthorizedException', message: outcome.message, errorCode: outcome.status }]);

  let parsed: unknown;
  try {
    parsed = JSON.parse(req.data);
  } catch {
    return fail([{ errorType: 'MalformedHttpRequestException', message: 'payload.data is not valid JSON' }]);
  }
  const request = (parsed !== null && typeof parsed === 'object' ? parsed : {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof request.query !== 'string') return fail([{ errorType: 'MalformedHttpRequestException', message: 'payload.data has no query' }]);
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
  const rawVariables = request.variables && typeof request.variables === 'object' ? (request.variables as Record<string, unknown>) : {};

  const tooDeep = nestingError(request.query);
  if (tooDeep) return fail([{ message: tooDeep.message }]);
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens: 10_000 });
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    return fail([{ message: syntaxError(err, request.query).message }]);
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  // Worded as the HTTP endpoint's 400 for the same mistake (http/execute.ts).
  if (!operation) {
    return fail([{ errorType: 'BadRequestException', message: operationName ? `Unknown operation named '${operationName}'.` : 'Missing operation name.' }]);
  }
  if (operation.operation !== 'subscription') {
    return fail([{ errorType: 'UnsupportedOperation', message: `${operation.operation} not supported through the realtime channel` }]);
  }
  // Document and variable errors carry only their message on the socket (APPSYNC-NOTES §5).
  const problems = validateDocument(ctx.schema, document, { introspection: ctx.limits.introspection });
  if (problems.length > 0) return fail(problems.map((p) => ({ message: p.message })));
  const variableProblems = checkVariables(ctx.schema, operation, rawVariables);
  if (variableProblems.length > 0) return fail(variableProblems.map((p) => ({ message: p.message })));

  const coerced = getVariableValues(ctx.schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return fail(coerced.errors.map((e) => ({ message: e.message })));
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;

  const fieldNode = operation.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD);
  const subscriptionType = ctx.schema.getSubscriptionType();
  const fieldDef = fieldNode && subscriptionType?.getFields()[fieldNode.name.value];
  if (!fieldNode || !fieldDef) return fail([{ message: 'A subscription operation selects one subscription field' }]);
  const field = fieldDef.name;

  if (!ctx.directives.allows('Subscription', field, { mode: outcome.mode, groups: outcome.groups })) {
    return fail([{ errorType: 'Unauthorized', message: unauthorizedFieldMessage('Subscription', field) }]);
  }

  const args = getArgumentValues(fieldDef, fieldNode, coerced.coerced);
  let filter: SubscriptionFilter | undefined;
  let invalidationFilter: SubscriptionFilter | undefined;
  if (ctx.runner.has('Subscription', field)) {
    const result = await ctx.runner.run('Subscription', field, {
      arguments: args,
      source: null,
      identity: outcome.identity,
      authType: outcome.authType,
      request: { headers: req.authorization, domainName: req.host },
      info: {
        fieldName: field,
        parentTypeName: 'Subscription',
        variables: coerced.coerced,
        selectionSetList: selectionSetList(fieldNode.selectionSet, fragments),
        selectionSetGraphQL: selectionSetGraphQL(fieldNode.selectionSet),
      },
    }, scope);
    if (result.errors.length > 0) {
      return fail(result.errors.map((e) => ({ errorType: e.errorType ?? undefined, message: e.message })));
    }
    filter = result.subscriptionFilter;
    invalidationFilter = result.subscriptionInvalidationFilter;
    for (const f of [filter, invalidationFilter]) {
      const problem = f ? filterProblem(f) : null;
      if (problem) return fail([{ errorType: 'ValidationError', message: problem }]);
    }
  }

  return {
    ok: true,
    sub: {
      field,
      arguments: args,
      document,
      operationName,
      variables: coerced.coerced,
      executionKey: `${operationName ?? ''}\u0000${request.query}\u0000${JSON.stringify(coerced.coerced)}`,
      filter,
      invalidationFilter,
      caller: outcome,
    },
  };
}
