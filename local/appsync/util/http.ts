// util.http: copyHeaders and response headers. Restricted or empty names, null values and headers
// beyond the 4 KB budget are ignored and reported as a ResponseHeaderError entry in the errors
// output, as the AppSync documentation describes; evaluation continues.
import type { EvaluationState } from '../runtime/state.ts';
import { isPlainObject, setOwn, utilFailure } from './errors.ts';

const RESTRICTED = new Set([
  'transfer-encoding', 'connection', 'host', 'expect', 'keep-alive', 'upgrade', 'proxy-authenticate',
  'proxy-authorization', 'te', 'content-length',
]);
const RESTRICTED_RESPONSE = new Set([
  'access-control-allow-credentials', 'access-control-allow-origin', 'access-control-expose-headers',
  'access-control-max-age', 'access-control-allow-methods', 'access-control-allow-headers', 'vary', 'content-type',
]);
export const RESPONSE_HEADERS_MAX_BYTES = 4096;

export function copyHeaders(headers: unknown): Record<string, unknown> {
  if (headers === null || headers === undefined) return {};
  if (!isPlainObject(headers)) return utilFailure('util.http.copyHeaders expects an object');
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!RESTRICTED.has(name.toLowerCase())) setOwn(out, name, value);
  }
  return out;
}

function headerValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function headerBytes(headers: Record<string, string>): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers)) total += Buffer.byteLength(name) + Buffer.byteLength(value);
  return total;
}

function reject(state: EvaluationState, message: string): void {
  state.errors.push({ message, errorType: 'ResponseHeaderError', data: null, errorInfo: null });
}

export function addResponseHeader(state: EvaluationState, name: unknown, value: unknown): void {
  if (typeof name !== 'string' || name.trim() === '') {
    reject(state, 'Response header name must be a non-empty string');
    return;
  }
  const lower = name.toLowerCase();
  if (RESTRICTED.has(lower) || RESTRICTED_RESPONSE.has(lower) || lower.startsWith('x-amz-') || lower.startsWith('x-amzn-')) {
    reject(state, `Response header '${name}' is restricted`);
    return;
  }
  if (value === null || value === undefined) {
    reject(state, `Response header '${name}' has a null value`);
    return;
  }
  const next: Record<string, string> = { ...state.responseHeaders };
  setOwn(next, name, headerValue(value));
  if (headerBytes(next) > RESPONSE_HEADERS_MAX_BYTES) {
    reject(state, `Response headers exceed the ${RESPONSE_HEADERS_MAX_BYTES} bytes limit`);
    return;
  }
  setOwn(state.responseHeaders, name, next[name]);
}

export function createHttpUtils(state: EvaluationState): Record<string, unknown> {
  return {
    copyHeaders,
    addResponseHeader: (name: unknown, value: unknown) => addResponseHeader(state, name, value),
    addResponseHeaders: (headers: unknown) => {
      if (!isPlainObject(headers)) utilFailure('util.http.addResponseHeaders expects an object');
      for (const [name, value] of Object.entries(headers)) addResponseHeader(state, name, value);
    },
  };
}
