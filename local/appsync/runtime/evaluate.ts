// One handler evaluation: request or response of one resolver or function, with its own
// EvaluationState, turned into what AppSync does next (a value, an error that stops the resolver,
// or an early return).
import { createDynamoDbModule } from '../util/dynamodb-module.ts';
import { createExtensions, createRuntime, createUtil } from '../util/index.ts';
import { codeError, executionTimeoutError, timeoutError } from './errors.ts';
import type { HostBindings, LoadedCode, RootName, Sandbox } from './sandbox.ts';
import {
  EarlyReturnSignal,
  newEvaluationState,
  newRequestScope,
  UtilErrorSignal,
  type AppSyncErrorEntry,
  type EvaluationState,
  type RequestScope,
} from './state.ts';
import type { AuthType } from './types.ts';

export type HandlerKind = 'request' | 'response';

export type HandlerOutcome =
  /** The handler's return value as JSON text (undefined when it returned undefined). */
  | { kind: 'value'; json: string | undefined }
  | { kind: 'earlyReturn'; value: unknown; skipTo: 'END' | 'NEXT' | undefined }
  /** util.error, util.unauthorized, a runtime fault or the time budget: the resolver stops. */
  | { kind: 'error'; entry: AppSyncErrorEntry };

export interface HandlerEvaluation {
  outcome: HandlerOutcome;
  state: EvaluationState;
  /** ctx.stash after the handler as JSON text (the handler may add, change and delete keys). */
  stashJson: string | undefined;
}

export interface EvaluateOptions {
  authType: AuthType;
  parentTypeName: string;
  fieldName?: string;
  /** The handler's own time budget; the request's deadline may leave it less. */
  budgetMs: number;
  /** The GraphQL request the handler runs for; without one it has no deadline (EvaluateCode). */
  request?: RequestScope;
}

/** The dynamodb module holds no per-evaluation state. */
let dynamodbModule: Record<string, unknown> | undefined;

export function evaluateHandler(
  sandbox: Sandbox,
  code: LoadedCode,
  handler: HandlerKind,
  ctxJson: string,
  options: EvaluateOptions,
): HandlerEvaluation {
  const state = newEvaluationState(handler, options.parentTypeName, options.request ?? newRequestScope(Infinity));
  const remainingMs = state.request.deadline - performance.now();
  if (remainingMs <= 0) return { outcome: { kind: 'error', entry: executionTimeoutError() }, state, stashJson: undefined };
  // A handler cut short by the request's deadline ends as the request does (ExecutionTimeout),
  // not as a runaway handler (Code).
  const cutByRequest = remainingMs < options.budgetMs;
  const budgetMs = cutByRequest ? remainingMs : options.budgetMs;
  const bindings: HostBindings = {
    root(name: RootName) {
      switch (name) {
        case 'util':
          return createUtil(state, { authType: options.authType, fieldName: options.fieldName, parentTypeName: options.parentTypeName });
        case 'runtime':
          return createRuntime(state);
        case 'extensions':
          return createExtensions(state);
        case 'dynamodb':
          return (dynamodbModule ??= createDynamoDbModule());
      }
    },
    log(level, line) {
      state.logs.push(`${level} - ${line}`);
    },
  };
  const run = sandbox.run(code, handler, ctxJson, budgetMs, bindings);
  const stashJson = 'stashJson' in run ? run.stashJson : undefined;
  if (run.status === 'timeout' && cutByRequest) return { outcome: { kind: 'error', entry: executionTimeoutError() }, state, stashJson };
  return { outcome: outcomeOf(run, handler, budgetMs), state, stashJson };
}

function outcomeOf(run: ReturnType<Sandbox['run']>, handler: HandlerKind, budgetMs: number): HandlerOutcome {
  switch (run.status) {
    case 'ok':
      return { kind: 'value', json: run.resultJson };
    case 'threw':
      return { kind: 'error', entry: codeError(run.message, run.location) };
    case 'timeout':
      return { kind: 'error', entry: timeoutError(handler, budgetMs) };
    case 'noHandler':
      return { kind: 'error', entry: codeError(`TypeError: the code does not export a ${handler} function`) };
    case 'signal': {
      const signal = run.signal;
      if (signal instanceof UtilErrorSignal) return { kind: 'error', entry: signal.entry };
      if (signal instanceof EarlyReturnSignal) {
        // AppSync answers earlyReturn() and earlyReturn(null) with a bare "Runtime Error"
        // (aws-appsync-community#280, open).
        if (signal.value === null || signal.value === undefined) return { kind: 'error', entry: codeError('Runtime Error') };
        return { kind: 'earlyReturn', value: signal.value, skipTo: signal.skipTo };
      }
      const message = signal instanceof Error ? `${signal.name}: ${signal.message}` : String(signal);
      return { kind: 'error', entry: codeError(message) };
    }
  }
}
