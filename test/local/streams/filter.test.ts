// The FilterCriteria pattern language, record by record, as Lambda applies it to DynamoDB stream
// records (including the two filters declared in infra/wiring.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventSources, type FilterPattern } from '../../../infra/wiring.ts';
import { matchesFilterCriteria, matchesFilterPattern, validateFilterPattern } from '../../../local/streams/filter.ts';

function streamRecord(overrides: { eventName?: string; keys?: Record<string, unknown>; newImage?: Record<string, unknown>; userIdentity?: unknown } = {}) {
  return {
    eventID: 'e1',
    eventName: overrides.eventName ?? 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1_900_000_000,
      Keys: overrides.keys ?? { PK: { S: 'PROVIDER#p1' }, SK: { S: 'SLOT#2030-01-01T09:00:00Z' } },
      NewImage: overrides.newImage ?? { status: { S: 'OPEN' }, capacity: { N: '3' } },
      SequenceNumber: '000000000000000000001',
      SizeBytes: 42,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    ...(overrides.userIdentity ? { userIdentity: overrides.userIdentity } : {}),
    eventSourceARN: 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/x',
  };
}

const sourceFilters = (fn: string): FilterPattern[] => {
  const source = eventSources.find((s) => s.kind === 'dynamodb-stream' && s.function === fn);
  if (!source || source.kind !== 'dynamodb-stream') throw new Error(`no stream source for ${fn}`);
  return source.filters;
};

const TTL = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };

describe('Lambda filter patterns', () => {
  it('expiry-processor filter: only TTL REMOVEs of hold markers', () => {
    const filters = sourceFilters('expiry-processor');
    const hold = { PK: { S: 'HOLD#b1' }, SK: { S: 'HOLD' } };
    expect(matchesFilterCriteria(filters, streamRecord({ eventName: 'REMOVE', keys: hold, userIdentity: TTL }))).toBe(true);
    expect(matchesFilterCriteria(filters, streamRecord({ eventName: 'REMOVE', keys: hold }))).toBe(false);
    expect(matchesFilterCriteria(filters, streamRecord({ eventName: 'MODIFY', keys: hold, userIdentity: TTL }))).toBe(false);
    expect(matchesFilterCriteria(filters, streamRecord({ eventName: 'REMOVE', keys: { PK: { S: 'BOOKING#b1' }, SK: { S: 'BOOKING' } }, userIdentity: TTL }))).toBe(false);
    expect(matchesFilterCriteria(filters, streamRecord({ eventName: 'REMOVE', keys: hold, userIdentity: { type: 'Service', principalId: 'someone.else' } }))).toBe(false);
  });

  it('change-publisher filters: slot or booking items, any event', () => {
    const filters = sourceFilters('change-publisher');
    expect(matchesFilterCriteria(filters, streamRecord())).toBe(true);
    expect(matchesFilterCriteria(filters, streamRecord({ eventName: 'MODIFY', keys: { PK: { S: 'BOOKING#b1' }, SK: { S: 'BOOKING' } } }))).toBe(true);
    expect(matchesFilterCriteria(filters, streamRecord({ keys: { PK: { S: 'PROVIDER#p1' }, SK: { S: 'PROFILE' } } }))).toBe(false);
    expect(matchesFilterCriteria(filters, streamRecord({ keys: { PK: { S: 'BOOKING#b1' }, SK: { S: 'BOOKINGS' } } }))).toBe(false);
    expect(matchesFilterCriteria(filters, streamRecord({ keys: { PK: { S: 'X' }, SK: { S: 'slot#lowercase' } } }))).toBe(false);
  });

  it('ORs patterns, ANDs keys, and lets no filters mean everything', () => {
    const record = streamRecord();
    expect(matchesFilterCriteria([], record)).toBe(true);
    expect(matchesFilterCriteria([{ eventName: ['MODIFY'] }, { eventName: ['INSERT'] }], record)).toBe(true);
    expect(matchesFilterPattern({ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['CLOSED'] } } } }, record)).toBe(false);
    expect(matchesFilterPattern({ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { status: { S: ['OPEN'] } } } }, record)).toBe(true);
    expect(matchesFilterPattern({ $or: [{ eventName: ['REMOVE'] }, { dynamodb: { SizeBytes: [42] } }] }, record)).toBe(true);
  });

  it('equality is exact: case, type and leaves only', () => {
    const record = streamRecord();
    expect(matchesFilterPattern({ eventName: ['insert'] }, record)).toBe(false);
    expect(matchesFilterPattern({ eventName: [{ 'equals-ignore-case': 'insert' }] }, record)).toBe(true);
    // "N" values are strings in DynamoDB JSON: the number 3 is not the string "3".
    expect(matchesFilterPattern({ dynamodb: { NewImage: { capacity: { N: [3] } } } }, record)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { NewImage: { capacity: { N: ['3'] } } } }, record)).toBe(true);
    // A rule on an intermediate node never matches, exists included: go down to the type key.
    expect(matchesFilterPattern({ dynamodb: { NewImage: { status: [{ exists: true }] } } }, record)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { NewImage: { status: { S: [{ exists: true }] } } } }, record)).toBe(true);
  });

  it('prefix, suffix and their ignore-case forms', () => {
    const record = streamRecord();
    expect(matchesFilterPattern({ dynamodb: { Keys: { SK: { S: [{ prefix: 'SLOT#2030' }] } } } }, record)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { Keys: { SK: { S: [{ prefix: 'slot#' }] } } } }, record)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { Keys: { SK: { S: [{ prefix: { 'equals-ignore-case': 'slot#' } }] } } } }, record)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { Keys: { SK: { S: [{ suffix: '09:00:00Z' }] } } } }, record)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { Keys: { SK: { S: [{ suffix: { 'equals-ignore-case': '09:00:00z' } }] } } } }, record)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { Keys: { SK: { S: [{ suffix: '10:00:00Z' }] } } } }, record)).toBe(false);
  });

  it('anything-but: a list, a prefix, a suffix, ignore-case; never a missing field', () => {
    const record = streamRecord();
    expect(matchesFilterPattern({ eventName: [{ 'anything-but': ['REMOVE', 'MODIFY'] }] }, record)).toBe(true);
    expect(matchesFilterPattern({ eventName: [{ 'anything-but': ['INSERT'] }] }, record)).toBe(false);
    expect(matchesFilterPattern({ eventName: [{ 'anything-but': 'INSERT' }] }, record)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { Keys: { SK: { S: [{ 'anything-but': { prefix: 'SLOT#' } }] } } } }, record)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { Keys: { SK: { S: [{ 'anything-but': { prefix: 'HOLD' } }] } } } }, record)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { Keys: { SK: { S: [{ 'anything-but': { suffix: 'Z' } }] } } } }, record)).toBe(false);
    expect(matchesFilterPattern({ eventName: [{ 'anything-but': { 'equals-ignore-case': ['insert'] } }] }, record)).toBe(false);
    expect(matchesFilterPattern({ userIdentity: { type: [{ 'anything-but': ['Service'] }] } }, record)).toBe(false);
  });

  it('exists true/false, null and empty string', () => {
    const record = streamRecord();
    expect(matchesFilterPattern({ userIdentity: { type: [{ exists: false }] } }, record)).toBe(true);
    expect(matchesFilterPattern({ userIdentity: { type: [{ exists: true }] } }, record)).toBe(false);
    const ttl = streamRecord({ userIdentity: TTL });
    expect(matchesFilterPattern({ userIdentity: { type: [{ exists: true }] } }, ttl)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { OldImage: [{ exists: false }] } }, record)).toBe(true);
    const nulls = { a: null, b: '' };
    expect(matchesFilterPattern({ a: [null] }, nulls)).toBe(true);
    expect(matchesFilterPattern({ b: [''] }, nulls)).toBe(true);
    expect(matchesFilterPattern({ c: [null] }, nulls)).toBe(false);
  });

  it('numeric comparisons and ranges on JSON numbers', () => {
    const record = streamRecord();
    expect(matchesFilterPattern({ dynamodb: { SizeBytes: [{ numeric: ['=', 42] }] } }, record)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { SizeBytes: [{ numeric: ['>', 10, '<=', 42] }] } }, record)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { SizeBytes: [{ numeric: ['>', 10, '<', 42] }] } }, record)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { SizeBytes: [{ numeric: ['>=', 43] }] } }, record)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { NewImage: { capacity: { N: [{ numeric: ['>', 1] }] } } } }, record)).toBe(false);
  });

  it('matches any element of an array value', () => {
    expect(matchesFilterPattern({ tags: ['b'] }, { tags: ['a', 'b'] })).toBe(true);
    expect(matchesFilterPattern({ tags: ['c'] }, { tags: ['a', 'b'] })).toBe(false);
  });

  it('prefix agrees with String.prototype.startsWith for any strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (value, prefix) => {
        expect(matchesFilterPattern({ v: [{ prefix }] }, { v: value })).toBe(value.startsWith(prefix));
        expect(matchesFilterPattern({ v: [{ 'anything-but': { prefix } }] }, { v: value })).toBe(!value.startsWith(prefix));
      }),
    );
  });

  it('rejects patterns Lambda would refuse', () => {
    const invalid: unknown[] = [
      {},
      { eventName: 'INSERT' },
      { eventName: [] },
      { eventName: [{ prefix: 1 }] },
      { eventName: [{ exists: 'yes' }] },
      { eventName: [{ numeric: ['>', 'ten'] }] },
      { eventName: [{ numeric: ['<', 1, '>', 5] }] },
      { eventName: [{ 'anything-but': [] }] },
      { eventName: [{ 'anything-but': ['a', 1] }] },
      { eventName: [{ wildcard: 'IN*' }] },
      { eventName: [{ prefix: 'a', suffix: 'b' }] },
      { $or: [{ eventName: ['INSERT'] }] },
    ];
    for (const pattern of invalid) expect(() => validateFilterPattern(pattern), JSON.stringify(pattern)).toThrow(/Invalid filter pattern/);
    for (const source of eventSources) {
      if (source.kind === 'dynamodb-stream') for (const pattern of source.filters) expect(() => validateFilterPattern(pattern)).not.toThrow();
    }
  });
});
