// The TTL sweeper against DynamoDB Local: deletes exactly the items DynamoDB's TTL would, and
// never one whose TTL moved into the future between its scan and its delete.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BatchWriteItemCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { TtlDeletionRegistry } from '../../../local/ttl/registry.ts';
import { nextSweepDelayMs, startTtlSweeper } from '../../../local/ttl/sweeper.ts';
import { dynamodbEndpoint, freshTable } from '../../support/dynamodb.ts';

const client = localDynamoDb(dynamodbEndpoint());
const NOW_MS = Date.UTC(2031, 0, 1, 12, 0, 0);
const nowSeconds = NOW_MS / 1000;
let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable('ttl');
});
afterAll(async () => {
  await table?.drop();
});

const key = (pk: string) => ({ PK: { S: pk }, SK: { S: 'HOLD' } });
const put = (pk: string, extra: Record<string, AttributeValue>) =>
  client.send(new PutItemCommand({ TableName: table.tableName, Item: { ...key(pk), ...extra } }));
const exists = async (pk: string) =>
  Boolean((await client.send(new GetItemCommand({ TableName: table.tableName, Key: key(pk), ConsistentRead: true }))).Item);

/** `count` items named `${prefix}-<n>`, written 25 to a batch, each with `extra`. */
async function putMany(tableName: string, prefix: string, count: number, extra: Record<string, AttributeValue>): Promise<void> {
  for (let start = 0; start < count; start += 25) {
    const requests = Array.from({ length: Math.min(25, count - start) }, (_, i) => ({ PutRequest: { Item: { ...key(`${prefix}-${start + i}`), ...extra } } }));
    let unprocessed: Record<string, typeof requests> | undefined = { [tableName]: requests };
    for (let attempt = 0; unprocessed && Object.keys(unprocessed).length > 0; attempt++) {
      if (attempt === 5) throw new Error('batch writes still unprocessed after 5 attempts');
      unprocessed = (await client.send(new BatchWriteItemCommand({ RequestItems: unprocessed }))).UnprocessedItems as typeof unprocessed;
    }
  }
}

async function clearTable(): Promise<void> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: table.tableName }));
  for (const item of Items) await client.send(new DeleteItemCommand({ TableName: table.tableName, Key: { PK: item.PK, SK: item.SK } }));
}

describe('TTL sweeper', () => {
  it('deletes only items whose numeric TTL is in the past (and not over five years old)', async () => {
    await clearTable();
    await put('EXPIRED', { ttl: { N: String(nowSeconds - 1) } });
    await put('FUTURE', { ttl: { N: String(nowSeconds + 3600) } });
    await put('NO-TTL', {});
    await put('STRING-TTL', { ttl: { S: String(nowSeconds - 1) } });
    await put('ANCIENT', { ttl: { N: String(nowSeconds - 6 * 365 * 24 * 3600) } });
    const registry = new TtlDeletionRegistry();
    const sweeper = startTtlSweeper({ client, tableName: table.tableName, ttlAttribute: 'ttl', registry, intervalMs: 60_000, now: () => NOW_MS });
    try {
      expect(await sweeper.sweepOnce()).toBe(1);
      expect(await exists('EXPIRED')).toBe(false);
      for (const survivor of ['FUTURE', 'NO-TTL', 'STRING-TTL', 'ANCIENT']) expect(await exists(survivor), survivor).toBe(true);
      expect(await registry.isTtlDeletion(table.tableName, key('EXPIRED'))).toBe(true);
      expect(await registry.isTtlDeletion(table.tableName, key('FUTURE'))).toBe(false);
      expect(await sweeper.sweepOnce()).toBe(0);
    } finally {
      await sweeper.stop();
    }
  });

  it('keeps an item whose TTL was extended after the scan found it expired', async () => {
    await clearTable();
    await put('EXTENDED', { ttl: { N: String(nowSeconds - 10) } });
    // A client whose first DeleteItem is preceded by someone else extending the hold: the exact
    // window between the sweeper's scan and its delete.
    const racing = localDynamoDb(dynamodbEndpoint());
    let raced = false;
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteItemCommand' && !raced) {
          raced = true;
          await client.send(
            new UpdateItemCommand({
              TableName: table.tableName,
              Key: key('EXTENDED'),
              UpdateExpression: 'SET #ttl = :later',
              ExpressionAttributeNames: { '#ttl': 'ttl' },
              ExpressionAttributeValues: { ':later': { N: String(nowSeconds + 300) } },
            }),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'extendTtlBeforeDelete' },
    );
    const registry = new TtlDeletionRegistry();
    const sweeper = startTtlSweeper({ client: racing, tableName: table.tableName, ttlAttribute: 'ttl', registry, intervalMs: 60_000, now: () => NOW_MS });
    try {
      expect(await sweeper.sweepOnce()).toBe(0);
      expect(raced).toBe(true);
      const { Item } = await client.send(new GetItemCommand({ TableName: table.tableName, Key: key('EXTENDED'), ConsistentRead: true }));
      expect(Item?.ttl).toEqual({ N: String(nowSeconds + 300) });
      expect(await registry.isTtlDeletion(table.tableName, key('EXTENDED'))).toBe(false);
    } finally {
      await sweeper.stop();
    }
  });

  it('deletes at most maxDeletesPerSweep items a sweep, and the rest in the next sweeps', async () => {
    await clearTable();
    await putMany(table.tableName, 'CAPPED', 5, { ttl: { N: String(nowSeconds - 1) } });
    const sweeper = startTtlSweeper({ client, tableName: table.tableName, ttlAttribute: 'ttl', registry: new TtlDeletionRegistry(), intervalMs: 60_000, maxDeletesPerSweep: 2, now: () => NOW_MS });
    try {
      const counts = [await sweeper.sweepOnce(), await sweeper.sweepOnce(), await sweeper.sweepOnce(), await sweeper.sweepOnce()];
      expect(counts).toEqual([2, 2, 1, 0]);
    } finally {
      await sweeper.stop();
    }
  });

  it('deletes at most 1,000 items a sweep when no cap is given, as the local server runs it', async () => {
    const big = await freshTable('ttl-default-cap');
    const sweeper = startTtlSweeper({ client, tableName: big.tableName, ttlAttribute: 'ttl', registry: new TtlDeletionRegistry(), intervalMs: 60_000, now: () => NOW_MS });
    try {
      await putMany(big.tableName, 'MANY', 1005, { ttl: { N: String(nowSeconds - 1) } });
      expect(await sweeper.sweepOnce()).toBe(1000);
      expect(await sweeper.sweepOnce()).toBe(5);
    } finally {
      await sweeper.stop();
      await big.drop();
    }
  });

  it('reads every scan page (500 items each), not only the first', async () => {
    // A table of its own, dropped at the end rather than emptied item by item.
    const paged = await freshTable('ttl-pages');
    const expire = (item: Record<string, AttributeValue>) =>
      client.send(new PutItemCommand({ TableName: paged.tableName, Item: { PK: item.PK, SK: item.SK, ttl: { N: String(nowSeconds - 1) } } }));
    const scanPage = (startKey?: Record<string, AttributeValue>) =>
      client.send(new ScanCommand({ TableName: paged.tableName, Limit: 500, ExclusiveStartKey: startKey, ConsistentRead: true }));
    const sweeper = startTtlSweeper({ client, tableName: paged.tableName, ttlAttribute: 'ttl', registry: new TtlDeletionRegistry(), intervalMs: 60_000, now: () => NOW_MS });
    try {
      await putMany(paged.tableName, 'PAGED', 510, {});
      // The table's own scan order: which keys the second page of 500 holds.
      const first = await scanPage();
      expect(first.LastEvaluatedKey).toBeDefined();
      const second = await scanPage(first.LastEvaluatedKey);
      expect(second.Items).toHaveLength(10);
      // Overwritten in place (same keys, same scan positions), now expired: two on the first page, all ten on the second.
      for (const item of [...(first.Items ?? []).slice(0, 2), ...(second.Items ?? [])]) await expire(item);
      expect(await sweeper.sweepOnce()).toBe(12);
      expect(await sweeper.sweepOnce()).toBe(0);
    } finally {
      await sweeper.stop();
      await paged.drop();
    }
  });

  it('sweeps on its own every interval', async () => {
    await clearTable();
    await put('TIMED', { ttl: { N: String(Math.floor(Date.now() / 1000) - 5) } });
    const sweeper = startTtlSweeper({ client, tableName: table.tableName, ttlAttribute: 'ttl', registry: new TtlDeletionRegistry(), intervalMs: 50 });
    try {
      await vi.waitFor(async () => expect(await exists('TIMED')).toBe(false), { timeout: 15_000, interval: 50 });
    } finally {
      await sweeper.stop();
    }
  });

  it('rejects a nonsensical interval', () => {
    expect(() => startTtlSweeper({ client, tableName: 't', ttlAttribute: 'ttl', registry: new TtlDeletionRegistry(), intervalMs: 0 })).toThrow(/intervalMs/);
  });
});

describe('sweep spacing', () => {
  it('keeps the interval while sweeps are quick, and spaces slow sweeps to 5 % of the time', () => {
    expect(nextSweepDelayMs(1000, 0)).toBe(1000);
    expect(nextSweepDelayMs(1000, 40)).toBe(1000);
    // A 300 ms sweep (a table of ~10,000 items) is followed by 5.7 s of rest.
    expect(nextSweepDelayMs(1000, 300)).toBe(5700);
    expect(nextSweepDelayMs(60_000, 300)).toBe(60_000);
  });
});
