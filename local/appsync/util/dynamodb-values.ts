// util.dynamodb.*: JSON values to DynamoDB typed values as AppSync writes them. Numbers stay JSON
// numbers ({"N": 12345}, recorded from AWS EvaluateCode); arrays become L, never a set.
import { isPlainObject, setOwn, utilFailure } from './errors.ts';

export type AttributeValue = Record<string, unknown>;

/** Bound on nesting: a self-referencing or absurdly deep value fails instead of overflowing. */
const MAX_DEPTH = 64;

export function toDynamoDB(value: unknown, depth = 0): AttributeValue {
  if (depth > MAX_DEPTH) utilFailure('util.dynamodb.toDynamoDB: value is nested too deeply');
  if (value === null || value === undefined) return { NULL: null };
  switch (typeof value) {
    case 'string': return { S: value };
    case 'number': return { N: value };
    case 'boolean': return { BOOL: value };
    case 'object':
      if (Array.isArray(value)) return { L: value.map((v) => toDynamoDB(v, depth + 1)) };
      return { M: toMapValues(value as Record<string, unknown>, depth + 1) };
    default:
      return utilFailure(`util.dynamodb.toDynamoDB: unsupported value of type ${typeof value}`);
  }
}

/** Each property converted; properties holding undefined are skipped, as JSON would drop them. */
export function toMapValues(value: Record<string, unknown>, depth = 0): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    setOwn(out, k, toDynamoDB(v, depth));
  }
  return out;
}

function typedList<T>(name: string, value: unknown, type: 'string' | 'number'): T[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== type)) {
    utilFailure(`util.dynamodb.${name} expects a list of ${type}s`);
  }
  return [...value] as T[];
}

function typed(name: string, value: unknown, type: 'string' | 'number' | 'boolean'): void {
  if (typeof value !== type) utilFailure(`util.dynamodb.${name} expects a ${type}`);
}

export function toStringSet(list: unknown): AttributeValue | null {
  return list === null || list === undefined ? null : { SS: typedList<string>('toStringSet', list, 'string') };
}

export function toNumberSet(list: unknown): AttributeValue | null {
  return list === null || list === undefined ? null : { NS: typedList<number>('toNumberSet', list, 'number') };
}

export function toBinarySet(list: unknown): AttributeValue | null {
  return list === null || list === undefined ? null : { BS: typedList<string>('toBinarySet', list, 'string') };
}

function toS3Object(key: unknown, bucket: unknown, region: unknown, version?: unknown): AttributeValue {
  for (const [name, v] of [['key', key], ['bucket', bucket], ['region', region]] as const) {
    if (typeof v !== 'string') utilFailure(`util.dynamodb.toS3Object: ${name} must be a string`);
  }
  const s3: Record<string, unknown> = { key, bucket, region };
  if (version !== undefined && version !== null) {
    if (typeof version !== 'string') utilFailure('util.dynamodb.toS3Object: version must be a string');
    s3.version = version;
  }
  return { S: JSON.stringify({ s3 }) };
}

/** Accepts the S3 object JSON string (or its {S: ...} typed value) and returns {key, bucket, region, version?}. */
function fromS3ObjectJson(value: unknown): Record<string, unknown> {
  const raw = isPlainObject(value) && typeof value.S === 'string' ? value.S : value;
  if (typeof raw !== 'string') return utilFailure('util.dynamodb.fromS3ObjectJson expects a string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return utilFailure('util.dynamodb.fromS3ObjectJson: the value is not valid JSON');
  }
  const s3 = isPlainObject(parsed) ? parsed.s3 : undefined;
  if (!isPlainObject(s3)) return utilFailure('util.dynamodb.fromS3ObjectJson: the value has no "s3" object');
  const out: Record<string, unknown> = { key: s3.key, bucket: s3.bucket, region: s3.region };
  if (s3.version !== undefined) out.version = s3.version;
  return out;
}

export function createDynamoDbUtils(): Record<string, unknown> {
  return {
    toDynamoDB: (value: unknown) => toDynamoDB(value),
    toString: (value: unknown) => {
      if (value === null || value === undefined) return null;
      typed('toString', value, 'string');
      return { S: value };
    },
    toStringSet,
    toNumber: (value: unknown) => {
      if (value === null || value === undefined) return null;
      typed('toNumber', value, 'number');
      return { N: value };
    },
    toNumberSet,
    toBinary: (value: unknown) => {
      if (value === null || value === undefined) return null;
      typed('toBinary', value, 'string');
      return { B: value };
    },
    toBinarySet,
    toBoolean: (value: unknown) => {
      if (value === null || value === undefined) return null;
      typed('toBoolean', value, 'boolean');
      return { BOOL: value };
    },
    toNull: () => ({ NULL: null }),
    toList: (value: unknown) => {
      if (value === null || value === undefined) return null;
      if (!Array.isArray(value)) utilFailure('util.dynamodb.toList expects a list');
      return toDynamoDB(value);
    },
    toMap: (value: unknown) => {
      if (value === null || value === undefined) return null;
      if (!isPlainObject(value)) utilFailure('util.dynamodb.toMap expects an object');
      return { M: toMapValues(value) };
    },
    toMapValues: (value: unknown) => {
      if (value === null || value === undefined) return null;
      if (!isPlainObject(value)) utilFailure('util.dynamodb.toMapValues expects an object');
      return toMapValues(value);
    },
    toS3Object,
    fromS3ObjectJson,
  };
}
