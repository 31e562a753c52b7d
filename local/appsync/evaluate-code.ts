// EvaluateCode, offline: runs one handler of APPSYNC_JS code against a context given as JSON, with
// the same sandbox and util as the local server, and answers in the shape of AppSync's
// EvaluateCode API (evaluationResult as JSON text, error, logs, stash, outErrors).
import { MAX_CODE_CHARS } from '../../infra/bundle.ts';
import { CodeLoadError, compileResolverCode } from './runtime/compile.ts';
import { DEFAULT_HANDLER_TIMEOUT_MS } from './runtime/runner.ts';
import { evaluateHandler } from './runtime/evaluate.ts';
import { Sandbox } from './runtime/sandbox.ts';
import type { AuthType } from './runtime/types.ts';

/** AppSync's limit on EvaluateCode's `context` (API reference: 2 to 28,000 characters). */
export const MAX_CONTEXT_CHARS = 28_000;

export interface EvaluateCodeInput {
  code: string;
  /** The context as JSON text (as the API takes it) or as an object. */
  context: string | Record<string, unknown>;
  function: 'request' | 'response';
  timeoutMs?: number;
}

export interface CodeError {
  errorType: 'PARSER_ERROR';
  value: string;
  location?: { line: number; column: number; span: number };
}

export interface EvaluateCodeOutput {
  /** The handler's return value as JSON text; absent when it failed or returned nothing. */
  evaluationResult: string | undefined;
  error: { message: string; codeErrors?: CodeError[] } | null;
  logs: string[];
  /** ctx.stash after the handler, as JSON text. */
  stash: string | undefined;
  /** The errors the handler would add to the GraphQL response, as JSON text. */
  outErrors: string | undefined;
}

/** Input the API itself would reject (a 400, not an evaluation). */
export class EvaluateCodeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluateCodeInputError';
  }
}

let sharedSandbox: Sandbox | undefined;

export function evaluateCode(input: EvaluateCodeInput): EvaluateCodeOutput {
  if (input.function !== 'request' && input.function !== 'response') {
    throw new EvaluateCodeInputError(`function must be "request" or "response", not ${JSON.stringify(input.function)}`);
  }
  if (typeof input.code !== 'string' || input.code.length === 0 || input.code.length > MAX_CODE_CHARS) {
    throw new EvaluateCodeInputError(`code must be 1 to ${MAX_CODE_CHARS} characters, not ${typeof input.code === 'string' ? input.code.length : typeof input.code}`);
  }
  const context = parseContext(input.context);
  let compiled;
  try {
    compiled = compileResolverCode(input.code);
  } catch (err) {
    if (!(err instanceof CodeLoadError)) throw err;
    const codeError: CodeError = { errorType: 'PARSER_ERROR', value: err.message };
    if (err.location) codeError.location = { line: err.location.line, column: err.location.column, span: 0 };
    return { evaluationResult: undefined, error: { message: 'The code contains one or more errors.', codeErrors: [codeError] }, logs: [], stash: undefined, outErrors: undefined };
  }
  const sandbox = (sharedSandbox ??= new Sandbox());
  const info = isObject(context.info) ? context.info : {};
  const evaluation = evaluateHandler(sandbox, sandbox.load(compiled), input.function, JSON.stringify(context), {
    authType: authTypeOf(context.identity),
    parentTypeName: typeof info.parentTypeName === 'string' ? info.parentTypeName : 'Query',
    fieldName: typeof info.fieldName === 'string' ? info.fieldName : undefined,
    budgetMs: input.timeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS,
  });
  const { outcome, state } = evaluation;
  const outErrors = outcome.kind === 'error' ? [...state.errors, outcome.entry] : state.errors;
  return {
    evaluationResult: outcome.kind === 'value' ? outcome.json : outcome.kind === 'earlyReturn' ? JSON.stringify(outcome.value) : undefined,
    error: outcome.kind === 'error' ? { message: outcome.entry.message } : null,
    logs: state.logs,
    stash: evaluation.stashJson ?? JSON.stringify(context.stash ?? {}),
    outErrors: JSON.stringify(outErrors),
  };
}

function parseContext(context: EvaluateCodeInput['context']): Record<string, unknown> {
  let value: unknown = context;
  if (typeof context === 'string') {
    if (context.length < 2 || context.length > MAX_CONTEXT_CHARS) {
      throw new EvaluateCodeInputError(`context is ${context.length} characters; AppSync takes 2 to ${MAX_CONTEXT_CHARS}`);
    }
    try {
      value = JSON.parse(context);
    } catch (err) {
      throw new EvaluateCodeInputError(`context is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!isObject(value)) throw new EvaluateCodeInputError('context must be a JSON object');
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** util.authType() for a context: inferred from the identity's shape (APPSYNC-NOTES §8). */
function authTypeOf(identity: unknown): AuthType {
  if (!isObject(identity)) return 'API Key Authorization';
  if (typeof identity.accountId === 'string' || typeof identity.userArn === 'string') return 'IAM Authorization';
  const claims = isObject(identity.claims) ? identity.claims : {};
  if (typeof identity.issuer === 'string' && (identity.issuer.includes('cognito-idp') || 'cognito:username' in claims)) return 'User Pool Authorization';
  if (typeof identity.sub === 'string') return 'Open ID Connect Authorization';
  return 'API Key Authorization';
}
