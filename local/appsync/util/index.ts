// The `util`, `runtime` and `extensions` objects APPSYNC_JS resolver code sees, built per evaluation
// over its EvaluationState. Everything returned is plain data (no classes, no functions in data):
// these objects are called from a node:vm context in another realm.
import { UtilErrorSignal, type EvaluationState } from '../runtime/state.ts';
import type { AuthType } from '../runtime/types.ts';
import { createDynamoDbUtils } from './dynamodb-values.ts';
import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode } from './encoding.ts';
import { messageText, utilFailure } from './errors.ts';
import { createHttpUtils } from './http.ts';
import { autoId, autoKsuid, autoUlid } from './ids.ts';
import { javaMatches } from './java-regex.ts';
import { createMathUtils, createStringUtils } from './math.ts';
import { rdsToJsonObject } from './rds.ts';
import { createTimeUtils } from './time.ts';
import { createTransformUtils } from './transform.ts';
import { createXmlUtils } from './xml.ts';

export { createRuntime } from './runtime.ts';
export { createExtensions } from './extensions.ts';

export interface UtilOptions {
  authType: AuthType;
  /** The field being resolved, for util.unauthorized()'s message. */
  fieldName?: string;
  /** Defaults to state.handler.parentTypeName. */
  parentTypeName?: string;
  /** Clock for util.time.now*; defaults to Date.now. */
  now?: () => number;
}

function errorEntry(msg: unknown, errorType: unknown, data: unknown, errorInfo: unknown) {
  return {
    message: messageText(msg),
    errorType: errorType === undefined || errorType === null ? null : messageText(errorType),
    data: data === undefined ? null : data,
    errorInfo: errorInfo === undefined ? null : errorInfo,
  };
}

function str(name: string, value: unknown): string {
  if (typeof value !== 'string') utilFailure(`util.${name} expects a string`);
  return value;
}

/**
 * The stateless parts of util, built once: only errors, auth and http headers are per evaluation.
 * The clock reads Date.now at each call, so fake clocks in tests still apply.
 */
const SHARED = {
  time: createTimeUtils(() => Date.now()),
  dynamodb: createDynamoDbUtils(),
  transform: createTransformUtils(),
  str: createStringUtils(),
  math: createMathUtils(),
  xml: createXmlUtils(),
  rds: { toJsonObject: rdsToJsonObject },
};

export function createUtil(state: EvaluationState, options: UtilOptions): Record<string, unknown> {
  return {
    error: (msg: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): never => {
      throw new UtilErrorSignal(errorEntry(msg, errorType, data, errorInfo));
    },
    appendError: (msg: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): void => {
      state.errors.push(errorEntry(msg, errorType, data, errorInfo));
    },
    unauthorized: (): never => {
      const type = options.parentTypeName ?? state.handler.parentTypeName;
      const field = options.fieldName ?? '';
      throw new UtilErrorSignal({
        message: `Not Authorized to access ${field} on type ${type}`,
        errorType: 'Unauthorized',
        data: null,
        errorInfo: null,
      });
    },
    autoId,
    autoUlid: () => autoUlid(),
    autoKsuid: () => autoKsuid(),
    escapeJavaScript: (s: unknown) => escapeJavaScript(str('escapeJavaScript', s)),
    urlEncode: (s: unknown) => urlEncode(str('urlEncode', s)),
    urlDecode: (s: unknown) => urlDecode(str('urlDecode', s)),
    base64Encode: (s: unknown) => base64Encode(str('base64Encode', s)),
    base64Decode: (s: unknown) => base64Decode(str('base64Decode', s)),
    matches: (pattern: unknown, value: unknown) => javaMatches(str('matches', pattern), str('matches', value)),
    authType: () => options.authType,
    time: options.now ? createTimeUtils(options.now) : SHARED.time,
    dynamodb: SHARED.dynamodb,
    transform: SHARED.transform,
    str: SHARED.str,
    math: SHARED.math,
    http: createHttpUtils(state),
    xml: SHARED.xml,
    rds: SHARED.rds,
  };
}
