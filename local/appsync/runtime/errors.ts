// Errors the runtime itself reports, shaped as AppSync reports them.
import { CODE_FILE, type CodeLocation } from './compile.ts';
import type { AppSyncErrorEntry } from './state.ts';

/**
 * A fault in resolver code. AppSync answers these with errorType "Code" and the position in the
 * deployed code, e.g. "code.js:162:13: ReferenceError: ..." (aws-appsync-community#328); the
 * remaining pipeline is skipped and the field is null.
 */
export function codeError(message: string, location?: CodeLocation): AppSyncErrorEntry {
  const where = location ? `${CODE_FILE}:${location.line}:${location.column}: ` : '';
  return { message: `${where}${message}`, errorType: 'Code', data: null, errorInfo: null };
}

/**
 * A handler that ran past its budget. AppSync documents no per-handler limit, only the 30 s
 * request timeout (executionTimeoutError); the local runtime stops a handler much earlier so a
 * looping resolver cannot stall the server. [errorType and wording: local choice, UNCONFIRMED
 * against AppSync.]
 */
export function timeoutError(handler: string, budgetMs: number): AppSyncErrorEntry {
  return {
    message: `${CODE_FILE}: the ${handler} handler did not finish within ${budgetMs} ms (endless loop?)`,
    errorType: 'Code',
    data: null,
    errorInfo: null,
  };
}

/**
 * A field still resolving when its request's 30 s ran out: AppSync nulls the field and reports
 * errorType "ExecutionTimeout", "Execution timed out." (as recorded in aws-amplify/amplify-cli#8192).
 */
export function executionTimeoutError(): AppSyncErrorEntry {
  return { message: 'Execution timed out.', errorType: 'ExecutionTimeout', data: null, errorInfo: null };
}

/** A data source call that failed without an AWS answer (e.g. the local Lambda invoker broke). */
export function internalFailure(message: string): AppSyncErrorEntry {
  return { message, errorType: 'InternalFailure', data: null, errorInfo: null };
}
