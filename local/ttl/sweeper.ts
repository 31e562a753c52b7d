// DynamoDB's TTL process, which DynamoDB Local lacks: finds items whose TTL attribute (a Number,
// epoch seconds) is in the past and deletes each one with a condition that it is still expired,
// so an item whose TTL was extended after the scan survives. AWS ignores TTL values more than
// five years in the past, and so does this sweeper.
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DescribeTableCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { TtlDeletionRegistry } from './registry.ts';

const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 3600;
const SCAN_PAGE_SIZE = 500;
/**
 * A sweep scans the whole table (DynamoDB Local has no cheaper way to find expired items): ~110 ms
 * of the JVM's CPU at 5,000 items, ~260 ms at 10,000. Sweeps are spaced so they take at most this
 * share of the time, which lets the interval grow with the table, as DynamoDB's own TTL is lazy.
 */
const MAX_SWEEP_SHARE = 0.05;

/** The wait before the next sweep: the interval, or longer when the last sweep took long. */
export function nextSweepDelayMs(intervalMs: number, lastSweepMs: number): number {
  return Math.max(intervalMs, Math.ceil(lastSweepMs * (1 / MAX_SWEEP_SHARE - 1)));
}

export interface TtlSweeperOptions {
  client: DynamoDBClient;
  tableName: string;
  ttlAttribute: string;
  /**
   * Time between sweeps; DynamoDB takes up to days, locally a second keeps holds snappy. A large
   * table stretches it (see MAX_SWEEP_SHARE).
   */
  intervalMs?: number;
  registry: TtlDeletionRegistry;
  /** Deletes per sweep at most; the rest wait for the next sweep. */
  maxDeletesPerSweep?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export interface TtlSweeper {
  /** Runs one full sweep (after any sweep in progress) and resolves with the number of items deleted. */
  sweepOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startTtlSweeper(options: TtlSweeperOptions): TtlSweeper {
  const { client, tableName, ttlAttribute, registry } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const maxDeletes = options.maxDeletesPerSweep ?? 1000;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? ((err: unknown) => console.error(`ttl sweeper (${tableName}): ${(err as Error).message ?? err}`));
  if (!tableName || !ttlAttribute) throw new Error('tableName and ttlAttribute are required');
  if (!Number.isInteger(intervalMs) || intervalMs < 10) throw new Error('intervalMs must be an integer of at least 10');
  if (!Number.isInteger(maxDeletes) || maxDeletes < 1) throw new Error('maxDeletesPerSweep must be a positive integer');

  let keyNames: Promise<string[]> | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const describeKeys = async (): Promise<string[]> => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const names = (Table?.KeySchema ?? []).map((k) => k.AttributeName).filter((n): n is string => Boolean(n));
    if (names.length === 0) throw new Error(`table ${tableName} has no key schema`);
    return names;
  };

  /** The expiry test, evaluated by DynamoDB itself at scan time and again at delete time. */
  const expiredCondition = () => {
    const nowSeconds = now() / 1000;
    return {
      expression: 'attribute_type(#ttl, :number) AND #ttl < :now AND #ttl >= :oldest',
      values: {
        ':number': { S: 'N' },
        ':now': { N: String(nowSeconds) },
        ':oldest': { N: String(Math.floor(nowSeconds - FIVE_YEARS_SECONDS)) },
      } satisfies Record<string, AttributeValue>,
    };
  };

  const sweep = async (): Promise<number> => {
    keyNames ??= describeKeys().catch((err: unknown) => {
      keyNames = undefined;
      throw err;
    });
    const keys = await keyNames;
    const names: Record<string, string> = { '#ttl': ttlAttribute };
    keys.forEach((name, i) => (names[`#k${i}`] = name));
    let deleted = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const condition = expiredCondition();
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          ProjectionExpression: keys.map((_, i) => `#k${i}`).join(', '),
          FilterExpression: condition.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: condition.values,
          ExclusiveStartKey: startKey,
          Limit: SCAN_PAGE_SIZE,
        }),
      );
      for (const item of page.Items ?? []) {
        if (stopped || deleted >= maxDeletes) return deleted;
        if (await deleteIfStillExpired(item)) deleted++;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && !stopped);
    return deleted;
  };

  const deleteIfStillExpired = async (key: Record<string, AttributeValue>): Promise<boolean> => {
    const ticket = registry.begin(tableName, key);
    const condition = expiredCondition();
    try {
      const out = await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: key,
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: { '#ttl': ttlAttribute },
          ExpressionAttributeValues: condition.values,
          ReturnValues: 'ALL_OLD',
        }),
      );
      ticket.settle(out.Attributes);
      return out.Attributes !== undefined;
    } catch (err) {
      ticket.settle(undefined);
      // Extended, re-created without TTL, or deleted by someone else since the scan: not ours to delete.
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  };

  const sweepOnce = (): Promise<number> => {
    const run = chain.then(sweep);
    chain = run.catch(() => undefined);
    return run;
  };

  const schedule = (lastSweepMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      const started = performance.now();
      sweepOnce()
        .catch(onError)
        .finally(() => schedule(performance.now() - started));
    }, nextSweepDelayMs(intervalMs, lastSweepMs));
    timer.unref();
  };
  schedule(0);

  return {
    sweepOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await chain;
    },
  };
}
