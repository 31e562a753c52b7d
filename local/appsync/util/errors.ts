// Failures raised from host code the way AppSync surfaces them to resolver code: util.error-style
// (a GraphQL error entry with message and errorType), never a host stack trace.
import { UtilErrorSignal } from '../runtime/state.ts';

export function utilFailure(message: string, errorType: string | null = null): never {
  throw new UtilErrorSignal({ message, errorType, data: null, errorInfo: null });
}

/** Coerce an error message the way a Java String parameter would receive it. */
export function messageText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Assigns an own enumerable property. Keys come from resolver data, so a key such as "__proto__"
 * must become a property, never the object's prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
