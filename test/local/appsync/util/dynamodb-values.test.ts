import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeUtil, utilErrorOf } from './helpers.ts';

const { util } = makeUtil();
const d = util.dynamodb;

/** Reads a typed value back to JSON, the way the data source reports results. */
function fromDynamoDB(av: Record<string, unknown>): unknown {
  const [type, value] = Object.entries(av)[0];
  switch (type) {
    case 'S': case 'N': case 'BOOL': return value;
    case 'NULL': return null;
    case 'L': return (value as Record<string, unknown>[]).map(fromDynamoDB);
    case 'M': return Object.fromEntries(Object.entries(value as Record<string, Record<string, unknown>>).map(([k, v]) => [k, fromDynamoDB(v)]));
    default: throw new Error(`unexpected type ${type}`);
  }
}

// Recorded from AWS (localstack/appsync-utils index.test.js.snap) unless noted.
describe('util.dynamodb', () => {
  it('toDynamoDB of scalars', () => {
    expect(d.toDynamoDB('test')).toEqual({ S: 'test' });
    expect(d.toDynamoDB(12345)).toEqual({ N: 12345 });
    expect(d.toDynamoDB(true)).toEqual({ BOOL: true });
    expect(d.toDynamoDB(null)).toEqual({ NULL: null });
  });

  it('typed helpers', () => {
    expect(d.toString('test')).toEqual({ S: 'test' });
    expect(d.toStringSet(['foo', 'bar', 'baz'])).toEqual({ SS: ['foo', 'bar', 'baz'] });
    expect(d.toNumber(12345)).toEqual({ N: 12345 });
    expect(d.toBinary('foo')).toEqual({ B: 'foo' });
    expect(d.toBinarySet(['foo', 'bar', 'baz'])).toEqual({ BS: ['foo', 'bar', 'baz'] });
    expect(d.toBoolean(true)).toEqual({ BOOL: true });
    expect(d.toNull()).toEqual({ NULL: null });
  });

  it('typed helpers return null for a null input', () => {
    for (const name of ['toString', 'toStringSet', 'toNumber', 'toNumberSet', 'toBinary', 'toBinarySet', 'toBoolean', 'toList', 'toMap', 'toMapValues']) {
      expect(d[name](null)).toBeNull();
      expect(d[name](undefined)).toBeNull();
    }
  });

  it('toList and toMap convert nested values, arrays as L', () => {
    expect(d.toList(['foo', 123, { bar: 'baz' }])).toEqual({ L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] });
    expect(d.toMap({ foo: 'bar', baz: 1234, beep: ['boop'] })).toEqual({ M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } } });
  });

  it('toMapValues and toMap skip properties holding undefined, as JSON drops them', () => {
    expect(d.toMapValues({ a: 1, b: undefined })).toEqual({ a: { N: 1 } });
    expect(d.toMap({ a: 1, b: undefined })).toEqual({ M: { a: { N: 1 } } });
  });

  it('toS3Object with a version, and fromS3ObjectJson reads it back', () => {
    const s3 = d.toS3Object('foo', 'bar', 'baz', 'beep');
    expect(s3).toEqual({ S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}' });
    expect(d.fromS3ObjectJson(s3.S)).toEqual({ key: 'foo', bucket: 'bar', region: 'baz', version: 'beep' });
    expect(d.fromS3ObjectJson(d.toS3Object('k', 'b', 'r').S)).toEqual({ key: 'k', bucket: 'b', region: 'r' });
  });

  it('rejects values of the wrong type with a util error', () => {
    expect(utilErrorOf(() => d.toString(5)).message).toMatch(/toString expects a string/);
    expect(utilErrorOf(() => d.toNumberSet(['1'])).message).toMatch(/list of numbers/);
    expect(utilErrorOf(() => d.fromS3ObjectJson('{nope')).message).toMatch(/not valid JSON/);
  });

  it('property: toDynamoDB round-trips any JSON value (numbers stay numbers)', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).filter((v) => !Object.is(v, -0));
    fc.assert(fc.property(json, (value) => {
      expect(fromDynamoDB(d.toDynamoDB(value))).toEqual(value);
    }));
  });

  it('property: toMapValues(obj) equals toMap(obj).M', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), (obj) => {
      expect(d.toMapValues(obj)).toEqual(d.toMap(obj).M);
    }));
  });
});
