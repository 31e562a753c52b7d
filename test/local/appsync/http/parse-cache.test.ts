// The parsed-operation cache keeps the few operations clients repeat, never an attacker's megabytes:
// 512 distinct 1 MB queries, each inside the body limit and the rate limit, held ~1 GB before.
import { describe, expect, it } from 'vitest';
import { parseOperation, parsedCacheUsage } from '../../../../local/appsync/http/execute.ts';
import { buildAppSyncSchema } from '../../../../local/appsync/schema/build.ts';

const query = (n: number, padding: number) => `query Q${n} { getProvider(id: "p") { id } } #${'x'.repeat(padding)}`;

describe('parseOperation cache', () => {
  it('reuses the parse of a repeated operation', () => {
    const model = buildAppSyncSchema(process.cwd(), 'AMAZON_COGNITO_USER_POOLS');
    const first = parseOperation(model, { query: query(0, 10), operationName: null, variables: {} });
    expect(parseOperation(model, { query: query(0, 10), operationName: null, variables: {} })).toBe(first);
    expect(parsedCacheUsage(model).entries).toBe(1);
  });

  it('keeps at most 4 MB of query text, the oldest going first, and never a text over 64 KB', () => {
    const model = buildAppSyncSchema(process.cwd(), 'AMAZON_COGNITO_USER_POOLS');
    for (let n = 0; n < 100; n += 1) parseOperation(model, { query: query(n, 60_000), operationName: null, variables: {} });
    const usage = parsedCacheUsage(model);
    expect(usage.chars).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(usage.chars).toBeGreaterThan(4 * 1024 * 1024 - 61_000);
    expect(usage.entries).toBe(Math.floor((4 * 1024 * 1024) / (query(0, 60_000).length + 1)));
    // The newest are kept: the last query parses to the very same object again.
    const last = { query: query(99, 60_000), operationName: null, variables: {} };
    expect(parseOperation(model, last)).toBe(parseOperation(model, last));

    const huge = { query: query(100, 70_000), operationName: null, variables: {} };
    const before = parsedCacheUsage(model);
    expect('document' in parseOperation(model, huge)).toBe(true);
    expect(parsedCacheUsage(model)).toEqual(before);
    expect(parseOperation(model, huge)).not.toBe(parseOperation(model, huge));
  });

  it('keeps an operation whose text and name come to 64 KB (a separator between), not one character more', () => {
    const model = buildAppSyncSchema(process.cwd(), 'AMAZON_COGNITO_USER_POOLS');
    const text = query(0, 0);
    const limit = { query: text + 'x'.repeat(64 * 1024 - 1 - text.length), operationName: null, variables: {} };
    expect(parseOperation(model, limit)).toBe(parseOperation(model, limit));
    expect(parsedCacheUsage(model).entries).toBe(1);
    // The operation name counts too: it is part of what is kept.
    const named = { ...limit, operationName: 'Q0' };
    expect(parseOperation(model, named)).not.toBe(parseOperation(model, named));
    expect(parsedCacheUsage(model).entries).toBe(1);
  });

  it('keeps at most 512 operations, however small, the oldest going first', () => {
    const model = buildAppSyncSchema(process.cwd(), 'AMAZON_COGNITO_USER_POOLS');
    const first = { query: query(0, 0), operationName: null, variables: {} };
    const parsedFirst = parseOperation(model, first);
    for (let n = 1; n < 512; n += 1) parseOperation(model, { query: query(n, 0), operationName: null, variables: {} });
    expect(parsedCacheUsage(model).entries).toBe(512);
    expect(parseOperation(model, first)).toBe(parsedFirst);
    parseOperation(model, { query: query(512, 0), operationName: null, variables: {} });
    expect(parsedCacheUsage(model).entries).toBe(512);
    // The first was the oldest: it went, and parses anew.
    expect(parseOperation(model, first)).not.toBe(parsedFirst);
  });

  it('keeps one parse per operation name: the same text with another operationName is another entry', () => {
    const model = buildAppSyncSchema(process.cwd(), 'AMAZON_COGNITO_USER_POOLS');
    const text = 'query A { getProvider(id: "a") { id } } query B { getProvider(id: "b") { name } }';
    const a = parseOperation(model, { query: text, operationName: 'A', variables: {} });
    const b = parseOperation(model, { query: text, operationName: 'B', variables: {} });
    expect('operation' in a && a.operation.name?.value).toBe('A');
    expect('operation' in b && b.operation.name?.value).toBe('B');
  });
});
