// Query and Scan: result shape, options, and pagination with sealed nextTokens.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbDataSource } from '../../../../../local/appsync/datasources/dynamodb/index.ts';
import { newRequestScope } from '../../../../../local/appsync/runtime/state.ts';
import { freshTable } from '../../../../support/dynamodb.ts';
import { dataSourceOnFreshTable } from './support.ts';

let env: Awaited<ReturnType<typeof dataSourceOnFreshTable>>;
const COUNT = 25;
const sk = (i: number) => `item#${String(i).padStart(2, '0')}`;

beforeAll(async () => {
  env = await dataSourceOnFreshTable('query');
  for (let i = 0; i < COUNT; i++) {
    await env.seed({ PK: 'q', SK: sk(i), n: i, GSI1PK: i % 2 === 0 ? 'even' : 'odd', GSI1SK: sk(i) });
  }
  await env.seed({ PK: 'other', SK: 'x', n: 100 });
});
afterAll(async () => {
  await env.table.drop();
});

const byPartition = { expression: '#pk = :pk', expressionNames: { '#pk': 'PK' }, expressionValues: { ':pk': { S: 'q' } } };
const INVALID_TOKEN = {
  type: 'DynamoDB:UserIllegalArgumentException',
  message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
};

type Page = { items: Array<Record<string, unknown>>; nextToken: string | null; scannedCount: number };

async function allPages(request: Record<string, unknown>, maxPages = 20): Promise<Page[]> {
  const pages: Page[] = [];
  let nextToken: string | null = null;
  do {
    const outcome = await env.invoke({ ...request, nextToken });
    expect(outcome.error).toBeUndefined();
    const page = outcome.result as Page;
    pages.push(page);
    nextToken = page.nextToken;
  } while (nextToken && pages.length < maxPages);
  return pages;
}

describe('Query', () => {
  it('returns {items, nextToken, scannedCount} with plain JSON items', async () => {
    const outcome = await env.invoke({ operation: 'Query', query: byPartition, consistentRead: true });
    const page = outcome.result as Page;
    expect(page.items).toHaveLength(COUNT);
    expect(page.items[0]).toEqual({ PK: 'q', SK: 'item#00', n: 0, GSI1PK: 'even', GSI1SK: 'item#00' });
    expect(page.nextToken).toBeNull();
    expect(page.scannedCount).toBe(COUNT);
  });

  it('pages through every item with limit and the opaque nextToken', async () => {
    const pages = await allPages({ operation: 'Query', query: byPartition, limit: 10 });
    expect(pages.map((p) => p.items.length)).toEqual([10, 10, 5]);
    expect(pages.flatMap((p) => p.items.map((i) => i.SK))).toEqual(Array.from({ length: COUNT }, (_, i) => sk(i)));
    const token = pages[0].nextToken as string;
    expect(Buffer.from(token, 'base64').toString('utf8')).not.toContain('item#');
  });

  it('reads backwards with scanIndexForward false', async () => {
    const outcome = await env.invoke({ operation: 'Query', query: byPartition, scanIndexForward: false, limit: 3 });
    expect((outcome.result as Page).items.map((i) => i.n)).toEqual([24, 23, 22]);
  });

  it('filters after reading: scannedCount counts what was read', async () => {
    const outcome = await env.invoke({
      operation: 'Query',
      query: byPartition,
      filter: { expression: '#n >= :min', expressionNames: { '#n': 'n' }, expressionValues: { ':min': { N: 20 } } },
    });
    const page = outcome.result as Page;
    expect(page.items.map((i) => i.n)).toEqual([20, 21, 22, 23, 24]);
    expect(page.scannedCount).toBe(COUNT);
  });

  it('projects attributes (select SPECIFIC_ATTRIBUTES) on a key condition with a sort-key range', async () => {
    const outcome = await env.invoke({
      operation: 'Query',
      query: {
        expression: 'PK = :pk AND begins_with(SK, :prefix)',
        expressionValues: { ':pk': { S: 'q' }, ':prefix': { S: 'item#1' } },
      },
      select: 'SPECIFIC_ATTRIBUTES',
      projection: { expression: '#n', expressionNames: { '#n': 'n' } },
    });
    expect((outcome.result as Page).items).toEqual(Array.from({ length: 10 }, (_, i) => ({ n: 10 + i })));
  });

  it('queries a global secondary index', async () => {
    const pages = await allPages({
      operation: 'Query',
      index: 'GSI1',
      query: { expression: 'GSI1PK = :g', expressionValues: { ':g': { S: 'odd' } } },
      limit: 5,
    });
    const ns = pages.flatMap((p) => p.items.map((i) => i.n));
    expect(ns).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23]);
  });

  it('passes DynamoDB errors through (no consistent reads on a GSI)', async () => {
    const outcome = await env.invoke({
      operation: 'Query',
      index: 'GSI1',
      consistentRead: true,
      query: { expression: 'GSI1PK = :g', expressionValues: { ':g': { S: 'odd' } } },
    });
    expect(outcome.result).toBeNull();
    expect(outcome.error?.type).toBe('DynamoDB:AmazonDynamoDBException');
    expect(outcome.error?.message).toMatch(/Error Code: ValidationException/);
  });
});

describe('nextToken', () => {
  async function firstToken(request: Record<string, unknown>): Promise<string> {
    const outcome = await env.invoke(request);
    const token = (outcome.result as Page).nextToken;
    expect(token).toEqual(expect.any(String));
    return token as string;
  }
  const query = { operation: 'Query', query: byPartition, limit: 2 };

  it('rejects an altered token', async () => {
    const token = await firstToken(query);
    const envelope = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const sealed = Buffer.from(envelope.token, 'base64');
    sealed[sealed.length - 20] ^= 0x01;
    const tampered = Buffer.from(JSON.stringify({ ...envelope, token: sealed.toString('base64') })).toString('base64');
    expect(await env.invoke({ ...query, nextToken: tampered })).toEqual({ result: null, error: INVALID_TOKEN });
  });

  it('rejects garbage and oversized tokens', async () => {
    expect(await env.invoke({ ...query, nextToken: 'abc' })).toEqual({ result: null, error: INVALID_TOKEN });
    expect(await env.invoke({ ...query, nextToken: 'A'.repeat(20_000) })).toEqual({ result: null, error: INVALID_TOKEN });
  });

  it('rejects a token from another data source (another key) on the same table', async () => {
    const other = createDynamoDbDataSource({ dynamodb: env.dynamodb, tableName: env.table.tableName, tokenKey: randomBytes(32) });
    const outcome = await other.invoke(query, env.invocation);
    const foreign = (outcome.result as Page).nextToken as string;
    expect(await env.invoke({ ...query, nextToken: foreign })).toEqual({ result: null, error: INVALID_TOKEN });
  });

  it('shares tokens between data sources given the same key', async () => {
    const key = randomBytes(32);
    const a = createDynamoDbDataSource({ dynamodb: env.dynamodb, tableName: env.table.tableName, tokenKey: key });
    const b = createDynamoDbDataSource({ dynamodb: env.dynamodb, tableName: env.table.tableName, tokenKey: key });
    const token = ((await a.invoke(query, env.invocation)).result as Page).nextToken;
    const next = await b.invoke({ ...query, nextToken: token }, env.invocation);
    expect((next.result as Page).items.map((i) => i.n)).toEqual([2, 3]);
  });

  it('rejects a token read by another resolver or pipeline function, as AppSync does ("cannot be used across functions")', async () => {
    const as = (resolver: string, request: Record<string, unknown>) =>
      env.dataSource.invoke(request, env.invocation, { request: newRequestScope(), resolver });
    const token = ((await as('Query.listProviders', query)).result as Page).nextToken;
    expect(token).toEqual(expect.any(String));
    expect(await as('Query.myBookings', { ...query, nextToken: token })).toEqual({ result: null, error: INVALID_TOKEN });
    expect(await as('Query.listSlots/readSlots', { ...query, nextToken: token })).toEqual({ result: null, error: INVALID_TOKEN });
    expect(await env.invoke({ ...query, nextToken: token })).toEqual({ result: null, error: INVALID_TOKEN });
    const next = await as('Query.listProviders', { ...query, nextToken: token });
    expect((next.result as Page).items.map((i) => i.n)).toEqual([2, 3]);
  });

  it('binds a Scan token to the resolver or function that read its page too', async () => {
    const as = (resolver: string, request: Record<string, unknown>) =>
      env.dataSource.invoke(request, env.invocation, { request: newRequestScope(), resolver });
    const scan = { operation: 'Scan', limit: 2 };
    const token = ((await as('Query.listProviders', scan)).result as Page).nextToken;
    expect(token).toEqual(expect.any(String));
    expect(await as('Query.myBookings', { ...scan, nextToken: token })).toEqual({ result: null, error: INVALID_TOKEN });
    expect((await as('Query.listProviders', { ...scan, nextToken: token })).error).toBeUndefined();
  });

  it('rejects a token from another table, even between data sources sharing a key', async () => {
    const otherTable = await freshTable('query-other');
    try {
      const key = randomBytes(32);
      const a = createDynamoDbDataSource({ dynamodb: env.dynamodb, tableName: env.table.tableName, tokenKey: key });
      const b = createDynamoDbDataSource({ dynamodb: env.dynamodb, tableName: otherTable.tableName, tokenKey: key });
      const token = ((await a.invoke(query, env.invocation)).result as Page).nextToken;
      expect(token).toEqual(expect.any(String));
      expect(await b.invoke({ ...query, nextToken: token }, env.invocation)).toEqual({ result: null, error: INVALID_TOKEN });
    } finally {
      await otherTable.drop();
    }
  });

  it('rejects a token used for another operation or index', async () => {
    const token = await firstToken(query);
    expect(await env.invoke({ operation: 'Scan', limit: 2, nextToken: token })).toEqual({ result: null, error: INVALID_TOKEN });
    const onIndex = {
      operation: 'Query',
      index: 'GSI1',
      query: { expression: 'GSI1PK = :g', expressionValues: { ':g': { S: 'q' } } },
      nextToken: token,
    };
    expect(await env.invoke(onIndex)).toEqual({ result: null, error: INVALID_TOKEN });
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => createDynamoDbDataSource({ dynamodb: env.dynamodb, tableName: 't', tokenKey: randomBytes(16) })).toThrow(/32 bytes/);
  });
});

describe('Scan', () => {
  it('pages through the whole table', async () => {
    const pages = await allPages({ operation: 'Scan', limit: 7, consistentRead: true });
    const keys = pages.flatMap((p) => p.items.map((i) => `${i.PK}/${i.SK}`));
    expect(keys).toHaveLength(COUNT + 1);
    expect(new Set(keys).size).toBe(COUNT + 1);
  });

  it('filters and projects', async () => {
    const outcome = await env.invoke({
      operation: 'Scan',
      filter: { expression: 'n > :n', expressionValues: { ':n': { N: 22 } } },
      projection: { expression: 'SK, n' },
    });
    const page = outcome.result as Page;
    expect(page.items.map((i) => i.n).sort((a, b) => Number(a) - Number(b))).toEqual([23, 24, 100]);
    expect(page.items.every((i) => Object.keys(i).sort().join() === 'SK,n')).toBe(true);
    expect(page.scannedCount).toBe(COUNT + 1);
  });

  it('parallel segments cover the table without overlap; a token stays with its segment', async () => {
    const seen: string[] = [];
    for (const segment of [0, 1]) {
      const pages = await allPages({ operation: 'Scan', segment, totalSegments: 2, limit: 4 });
      seen.push(...pages.flatMap((p) => p.items.map((i) => `${i.PK}/${i.SK}`)));
    }
    expect(seen).toHaveLength(COUNT + 1);
    expect(new Set(seen).size).toBe(COUNT + 1);

    const pages = await allPages({ operation: 'Scan', segment: 0, totalSegments: 2, limit: 1 }, 1);
    const token = pages[0].nextToken;
    expect(token).toEqual(expect.any(String));
    const wrongSegment = await env.invoke({ operation: 'Scan', segment: 1, totalSegments: 2, limit: 1, nextToken: token });
    expect(wrongSegment).toEqual({ result: null, error: INVALID_TOKEN });
  });
});
