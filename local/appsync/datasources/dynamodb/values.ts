// AppSync's typed JSON values ({S:"x"}, {N:10}, {NULL:null}, …) ↔ DynamoDB's wire AttributeValues
// (N as text, B as base64 text), and the conversion of DynamoDB's answers to the plain JSON AppSync
// puts in ctx.result.
import type { AttributeValue } from '../../../dynamodb/wire.ts';
import { MappingTemplateError } from './errors.ts';

export type WireItem = Record<string, AttributeValue>;

/** Jackson's node type names, which AppSync uses in its messages. */
export function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  switch (typeof value) {
    case 'string':
      return 'STRING';
    case 'number':
      return 'NUMBER';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'OBJECT';
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function bad(path: string, what: string, value: unknown): MappingTemplateError {
  return new MappingTemplateError(`Expected ${what} for attribute value '${path}' but got '${jsonTypeName(value)}' instead.`);
}

function number(value: unknown, path: string): string {
  // AppSync's helpers emit N as a JSON number; a numeric string is accepted as DynamoDB writes it.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return value;
  throw bad(path, 'a number', value);
}

function binary(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) throw bad(path, 'a base64 string', value);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw bad(path, 'a string', value);
  return value;
}

function list<T>(value: unknown, path: string, each: (v: unknown, p: string) => T): T[] {
  if (!Array.isArray(value)) throw bad(path, 'a JSON array', value);
  return value.map((v, i) => each(v, `${path}[${i}]`));
}

/** One typed value, e.g. {N: 10} → {N: "10"}. `path` names it in errors, e.g. "$[key][id]". */
export function toWireValue(value: unknown, path: string): AttributeValue {
  if (!isPlainObject(value)) throw bad(path, 'JSON object', value);
  const types = Object.keys(value);
  if (types.length !== 1) {
    throw new MappingTemplateError(`Attribute value '${path}' must have exactly one type descriptor, found ${types.length}.`);
  }
  const type = types[0];
  const v = value[type];
  const at = `${path}[${type}]`;
  switch (type) {
    case 'S':
      return { S: string(v, at) };
    case 'N':
      return { N: number(v, at) };
    case 'B':
      return { B: binary(v, at) };
    case 'BOOL':
      if (typeof v !== 'boolean') throw bad(at, 'a boolean', v);
      return { BOOL: v };
    case 'NULL':
      // util.dynamodb.toNull() gives {NULL: null}; DynamoDB's own form is {NULL: true}.
      if (v !== null && v !== true) throw bad(at, 'null or true', v);
      return { NULL: true };
    case 'SS':
      return { SS: list(v, at, string) };
    case 'NS':
      return { NS: list(v, at, number) };
    case 'BS':
      return { BS: list(v, at, binary) };
    case 'L':
      return { L: list(v, at, toWireValue) };
    case 'M':
      return { M: toWireItem(v, at) };
    default:
      throw new MappingTemplateError(`Unsupported element '${at}'.`);
  }
}

/** A map of typed values: a key, an item, expressionValues. */
export function toWireItem(value: unknown, path: string): WireItem {
  if (!isPlainObject(value)) throw bad(path, 'JSON object', value);
  const item: WireItem = {};
  for (const [name, v] of Object.entries(value)) item[name] = toWireValue(v, `${path}[${name}]`);
  return item;
}

/** DynamoDB value → plain JSON as AppSync converts it: N → number, sets → arrays, B → base64, NULL → null. */
export function toPlainValue(av: AttributeValue): unknown {
  if (av.S !== undefined) return av.S;
  if (av.N !== undefined) return Number(av.N);
  if (av.BOOL !== undefined) return av.BOOL;
  if (av.NULL !== undefined) return null;
  if (av.B !== undefined) return av.B;
  if (av.SS !== undefined) return [...av.SS];
  if (av.NS !== undefined) return av.NS.map(Number);
  if (av.BS !== undefined) return [...av.BS];
  if (av.L !== undefined) return av.L.map(toPlainValue);
  if (av.M !== undefined) return toPlainItem(av.M);
  throw new Error(`unknown DynamoDB attribute value type: ${Object.keys(av).join(',')}`);
}

export function toPlainItem(item: WireItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, av] of Object.entries(item)) out[name] = toPlainValue(av);
  return out;
}

export function toPlainOrNull(item: WireItem | undefined): Record<string, unknown> | null {
  return item ? toPlainItem(item) : null;
}

/** Wire value → AppSync typed JSON (N and B as strings): lossless, for nextTokens. */
export function toTypedJson(av: AttributeValue): unknown {
  if (av.L !== undefined) return { L: av.L.map(toTypedJson) };
  if (av.M !== undefined) return { M: typedItem(av.M) };
  if (av.NULL !== undefined) return { NULL: true };
  return av;
}

export function typedItem(item: WireItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, av] of Object.entries(item)) out[name] = toTypedJson(av);
  return out;
}

// One text per byte string: base64 with stray bits in its last character names the same bytes.
const bytes = (b64: string) => Buffer.from(b64, 'base64').toString('base64');

// Canonical form for comparisons: numbers by value, sets unordered, map keys sorted.
function canonical(av: AttributeValue): unknown {
  if (av.N !== undefined) return { N: String(Number(av.N)) };
  if (av.NS !== undefined) return { NS: av.NS.map((n) => String(Number(n))).sort() };
  if (av.SS !== undefined) return { SS: [...av.SS].sort() };
  if (av.BS !== undefined) return { BS: av.BS.map(bytes).sort() };
  if (av.B !== undefined) return { B: bytes(av.B) };
  if (av.L !== undefined) return { L: av.L.map(canonical) };
  if (av.M !== undefined) return { M: canonicalItem(av.M) };
  return av;
}

function canonicalItem(item: WireItem, only?: readonly string[]): Array<[string, unknown]> {
  const names = (only ?? Object.keys(item)).filter((n) => item[n] !== undefined).sort();
  return names.map((n) => [n, canonical(item[n])]);
}

/** A stable string identity for an item, or for its `names` attributes only (a key). */
export function identity(item: WireItem, names?: readonly string[]): string {
  return JSON.stringify(canonicalItem(item, names));
}

/** Item equality as DynamoDB sees values, ignoring the top-level attributes in `ignore`. */
export function sameItem(a: WireItem, b: WireItem, ignore: readonly string[] = []): boolean {
  const names = (x: WireItem) => Object.keys(x).filter((n) => !ignore.includes(n));
  return identity(a, names(a)) === identity(b, names(b));
}
