// The DynamoDB stream event source against DynamoDB Local's real stream: records shaped as Lambda
// delivers them, order, batch size, filters, TTL marks, retries, on-failure, partial batch
// responses and bisection. The function is a plain in-process callback here.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { eventSources, table as tableWiring } from '../../../infra/wiring.ts';
import { localDynamoDb, localDynamoDbStreams, LOCAL_REGION } from '../../../local/dynamodb/client.ts';
import type { DynamoDbStreamsWire } from '../../../local/dynamodb/wire.ts';
import { startStreamEventSource, type StreamCheckpoints, type StreamSourceWiring } from '../../../local/streams/index.ts';
import type { StreamOnFailureRecord } from '../../../local/streams/on-failure.ts';
import type { LambdaStreamRecord } from '../../../local/streams/record.ts';
import { TooManyRequestsError } from '../../../local/lambda/errors.ts';
import { LambdaFunctionError } from '../../../local/lambda/types.ts';
import { TtlDeletionRegistry } from '../../../local/ttl/registry.ts';
import { startTtlSweeper } from '../../../local/ttl/sweeper.ts';
import { dynamodbEndpoint, freshTable } from '../../support/dynamodb.ts';

type Invoke = (event: { Records: LambdaStreamRecord[] }) => Promise<unknown>;
const WAIT = { timeout: 20_000, interval: 50 };

const client = localDynamoDb(dynamodbEndpoint());
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function source(overrides: Partial<StreamSourceWiring> = {}): StreamSourceWiring {
  return {
    kind: 'dynamodb-stream',
    function: 'change-publisher',
    batchSize: 100,
    maxBatchingWindowSeconds: 0,
    startingPosition: 'LATEST',
    filters: [],
    bisectBatchOnError: false,
    retryAttempts: 2,
    onFailureQueue: 'stream-failures',
    reportBatchItemFailures: false,
    ...overrides,
  };
}

async function newTable() {
  const table = await freshTable('streams');
  cleanups.push(() => table.drop());
  return table;
}

/** Starts an event source whose function records every event it is given, then runs `behaviour`. */
async function start(
  table: { tableName: string; streamArn: string },
  wiring: StreamSourceWiring,
  behaviour: Invoke = async () => undefined,
  registry = new TtlDeletionRegistry(),
  resume?: StreamCheckpoints,
  streams: DynamoDbStreamsWire = localDynamoDbStreams(dynamodbEndpoint()),
) {
  const invocations: LambdaStreamRecord[][] = [];
  const failures: StreamOnFailureRecord[] = [];
  const logs: string[] = [];
  const eventSource = await startStreamEventSource({
    streams,
    streamArn: table.streamArn,
    tableName: table.tableName,
    source: wiring,
    invoke: async (event) => {
      invocations.push(event.Records);
      return behaviour(event);
    },
    sendToOnFailure: async (record) => {
      failures.push(record);
    },
    ttlDeletions: registry,
    region: LOCAL_REGION,
    pollIntervalMs: 50,
    shardDiscoveryIntervalMs: 200,
    retryBaseDelayMs: 10,
    log: (message) => logs.push(message),
    resume,
  });
  cleanups.push(() => eventSource.stop());
  const delivered = () => invocations.flat();
  return { invocations, failures, logs, delivered, eventSource };
}

const item = (pk: string, sk: string, extra: Record<string, AttributeValue> = {}) => ({ PK: { S: pk }, SK: { S: sk }, ...extra });
const put = (tableName: string, value: Record<string, AttributeValue>) => client.send(new PutItemCommand({ TableName: tableName, Item: value }));
const del = (tableName: string, pk: string, sk: string) => client.send(new DeleteItemCommand({ TableName: tableName, Key: item(pk, sk) }));
const keysOf = (records: LambdaStreamRecord[]) => records.map((r) => `${r.eventName} ${r.dynamodb.Keys.PK.S}`);
const sequences = (records: LambdaStreamRecord[]) => records.map((r) => r.dynamodb.SequenceNumber);

describe('DynamoDB stream event source', () => {
  it('delivers INSERT, MODIFY and REMOVE in order, shaped exactly as Lambda delivers them', async () => {
    const table = await newTable();
    const { delivered } = await start(table, source());
    await put(table.tableName, item('P#1', 'SLOT#1', { status: { S: 'OPEN' }, blob: { B: new Uint8Array([1, 2, 3]) } }));
    await client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: item('P#1', 'SLOT#1'),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'HELD' } },
      }),
    );
    await del(table.tableName, 'P#1', 'SLOT#1');
    await vi.waitFor(() => expect(delivered()).toHaveLength(3), WAIT);

    const [insert, modify, remove] = delivered();
    const keys = { PK: { S: 'P#1' }, SK: { S: 'SLOT#1' } };
    const base = {
      eventID: expect.any(String),
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: LOCAL_REGION,
      eventSourceARN: table.streamArn,
    };
    const stream = {
      ApproximateCreationDateTime: expect.any(Number),
      Keys: keys,
      SequenceNumber: expect.stringMatching(/^\d+$/),
      SizeBytes: expect.any(Number),
      StreamViewType: tableWiring.streamView,
    };
    const created = { ...keys, status: { S: 'OPEN' }, blob: { B: 'AQID' } };
    const held = { ...keys, status: { S: 'HELD' }, blob: { B: 'AQID' } };
    expect(insert).toStrictEqual({ ...base, eventName: 'INSERT', dynamodb: { ...stream, NewImage: created } });
    expect(modify).toStrictEqual({ ...base, eventName: 'MODIFY', dynamodb: { ...stream, NewImage: held, OldImage: created } });
    expect(remove).toStrictEqual({ ...base, eventName: 'REMOVE', dynamodb: { ...stream, OldImage: held } });
    // Seconds, like Lambda's events, not milliseconds.
    expect(Math.abs(insert.dynamodb.ApproximateCreationDateTime! - Date.now() / 1000)).toBeLessThan(3600);
    const seq = sequences(delivered()).map(BigInt);
    expect(seq[0] < seq[1] && seq[1] < seq[2]).toBe(true);
  });

  it('honours the batch size and starts at TRIM_HORIZON when told to', async () => {
    const table = await newTable();
    for (let i = 1; i <= 5; i++) await put(table.tableName, item(`P#${i}`, 'SLOT#1'));
    const { invocations, delivered } = await start(table, source({ batchSize: 2, startingPosition: 'TRIM_HORIZON' }));
    await vi.waitFor(() => expect(delivered()).toHaveLength(5), WAIT);
    expect(invocations.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(keysOf(delivered())).toEqual(['INSERT P#1', 'INSERT P#2', 'INSERT P#3', 'INSERT P#4', 'INSERT P#5']);
  });

  it('drops records that match no filter and never invokes with an empty batch', async () => {
    const table = await newTable();
    const { invocations, delivered } = await start(table, source({ filters: [{ eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix: 'SLOT#' }] } } } }] }));
    await put(table.tableName, item('P#1', 'PROFILE'));
    await put(table.tableName, item('P#2', 'SLOT#1'));
    await put(table.tableName, item('P#2', 'SLOT#1', { status: { S: 'HELD' } }));
    await del(table.tableName, 'P#2', 'SLOT#1');
    await put(table.tableName, item('P#3', 'SLOT#2'));
    await vi.waitFor(() => expect(keysOf(delivered())).toContain('INSERT P#3'), WAIT);
    expect(keysOf(delivered())).toEqual(['INSERT P#2', 'INSERT P#3']);
    expect(invocations.every((batch) => batch.length > 0)).toBe(true);
  });

  it('marks TTL deletions with the DynamoDB service identity and user deletions with none', async () => {
    const table = await newTable();
    const registry = new TtlDeletionRegistry();
    const { delivered } = await start(table, source({ filters: [{ eventName: ['REMOVE'] }] }), undefined, registry);
    const past = String(Math.floor(Date.now() / 1000) - 60);
    await put(table.tableName, item('HOLD#user', 'HOLD', { ttl: { N: past } }));
    await put(table.tableName, item('HOLD#ttl', 'HOLD', { ttl: { N: past } }));
    await del(table.tableName, 'HOLD#user', 'HOLD');
    const sweeper = startTtlSweeper({ client, tableName: table.tableName, ttlAttribute: 'ttl', registry, intervalMs: 60_000 });
    cleanups.push(() => sweeper.stop());
    expect(await sweeper.sweepOnce()).toBe(1);
    await vi.waitFor(() => expect(delivered()).toHaveLength(2), WAIT);
    const [user, ttl] = delivered();
    expect(user.dynamodb.Keys.PK.S).toBe('HOLD#user');
    expect(user).not.toHaveProperty('userIdentity');
    expect(ttl.dynamodb.Keys.PK.S).toBe('HOLD#ttl');
    expect(ttl.userIdentity).toStrictEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('applies the wiring filters: expiry-processor sees TTL hold removals, change-publisher slot and booking changes', async () => {
    const table = await newTable();
    const registry = new TtlDeletionRegistry();
    const wired = (fn: string) => eventSources.find((s): s is StreamSourceWiring => s.kind === 'dynamodb-stream' && s.function === fn) as StreamSourceWiring;
    const expiry = await start(table, wired('expiry-processor'), undefined, registry);
    const publisher = await start(table, wired('change-publisher'), undefined, registry);
    const past = String(Math.floor(Date.now() / 1000) - 60);
    await put(table.tableName, item('PROVIDER#p1', 'PROFILE'));
    await put(table.tableName, item('PROVIDER#p1', 'SLOT#2030-01-01T09:00:00Z', { status: { S: 'OPEN' } }));
    await put(table.tableName, item('BOOKING#b1', 'BOOKING', { status: { S: 'PENDING' } }));
    await put(table.tableName, item('HOLD#b1', 'HOLD', { ttl: { N: past } }));
    await put(table.tableName, item('HOLD#b2', 'HOLD', { ttl: { N: past } }));
    await del(table.tableName, 'HOLD#b2', 'HOLD');
    const sweeper = startTtlSweeper({ client, tableName: table.tableName, ttlAttribute: 'ttl', registry, intervalMs: 60_000 });
    cleanups.push(() => sweeper.stop());
    await sweeper.sweepOnce();
    await put(table.tableName, item('BOOKING#b1', 'BOOKING', { status: { S: 'EXPIRED' } }));

    await vi.waitFor(() => expect(keysOf(publisher.delivered())).toContain('MODIFY BOOKING#b1'), WAIT);
    await vi.waitFor(() => expect(expiry.delivered()).toHaveLength(1), WAIT);
    expect(keysOf(expiry.delivered())).toEqual(['REMOVE HOLD#b1']);
    expect(keysOf(publisher.delivered())).toEqual(['INSERT PROVIDER#p1', 'INSERT BOOKING#b1', 'MODIFY BOOKING#b1']);
  });

  it('retries a failing batch in order, then describes it on the on-failure destination and moves on', async () => {
    const table = await newTable();
    for (let i = 1; i <= 3; i++) await put(table.tableName, item(`BAD#${i}`, 'SLOT#1'));
    const { invocations, failures, delivered } = await start(
      table,
      source({ startingPosition: 'TRIM_HORIZON', retryAttempts: 2 }),
      async (event) => {
        if (event.Records.some((r) => r.dynamodb.Keys.PK.S?.startsWith('BAD#'))) {
          throw new LambdaFunctionError('change-publisher', 'Error', 'cannot publish');
        }
      },
    );
    await vi.waitFor(() => expect(failures).toHaveLength(1), WAIT);
    await put(table.tableName, item('GOOD#1', 'SLOT#1'));
    await vi.waitFor(() => expect(keysOf(delivered())).toContain('INSERT GOOD#1'), WAIT);

    const bad = invocations.slice(0, 3);
    expect(bad.map((batch) => keysOf(batch))).toEqual(Array(3).fill(['INSERT BAD#1', 'INSERT BAD#2', 'INSERT BAD#3']));
    expect(invocations).toHaveLength(4);
    const [first, , last] = bad[0];
    expect(failures[0]).toStrictEqual({
      requestContext: {
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:change-publisher`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: first.dynamodb.SequenceNumber,
        endSequenceNumber: last.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        batchSize: 3,
        streamArn: table.streamArn,
      },
    });
  });

  it('honours a partial batch response: checkpoints before the failed record and retries from it', async () => {
    const table = await newTable();
    for (let i = 1; i <= 4; i++) await put(table.tableName, item(`P#${i}`, 'SLOT#1'));
    let calls = 0;
    const { invocations, failures } = await start(
      table,
      source({ startingPosition: 'TRIM_HORIZON', reportBatchItemFailures: true }),
      async (event) => {
        calls++;
        const second = event.Records.find((r) => r.dynamodb.Keys.PK.S === 'P#2');
        return calls === 1 && second ? { batchItemFailures: [{ itemIdentifier: second.dynamodb.SequenceNumber }] } : { batchItemFailures: [] };
      },
    );
    await vi.waitFor(() => expect(invocations).toHaveLength(2), WAIT);
    expect(invocations.map(keysOf)).toEqual([
      ['INSERT P#1', 'INSERT P#2', 'INSERT P#3', 'INSERT P#4'],
      ['INSERT P#2', 'INSERT P#3', 'INSERT P#4'],
    ]);
    await put(table.tableName, item('P#5', 'SLOT#1'));
    await vi.waitFor(() => expect(invocations).toHaveLength(3), WAIT);
    expect(keysOf(invocations[2])).toEqual(['INSERT P#5']);
    expect(failures).toEqual([]);
  });

  it('treats an itemIdentifier that is not in the batch as a failure of the whole batch', async () => {
    const table = await newTable();
    await put(table.tableName, item('P#1', 'SLOT#1'));
    const { invocations, failures } = await start(
      table,
      source({ startingPosition: 'TRIM_HORIZON', reportBatchItemFailures: true, retryAttempts: 1 }),
      async () => ({ batchItemFailures: [{ itemIdentifier: '' }] }),
    );
    await vi.waitFor(() => expect(failures).toHaveLength(1), WAIT);
    expect(invocations).toHaveLength(2);
    expect(failures[0].responseContext).toStrictEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });

  it('bisects a failing batch to isolate the bad record, which alone goes to the on-failure destination', async () => {
    const table = await newTable();
    for (const pk of ['P#1', 'P#2', 'POISON', 'P#4']) await put(table.tableName, item(pk, 'SLOT#1'));
    const { invocations, failures } = await start(
      table,
      source({ startingPosition: 'TRIM_HORIZON', bisectBatchOnError: true, retryAttempts: 1 }),
      async (event) => {
        if (event.Records.some((r) => r.dynamodb.Keys.PK.S === 'POISON')) throw new Error('poison record');
      },
    );
    await vi.waitFor(() => expect(invocations.map(keysOf).at(-1)).toEqual(['INSERT P#4']), WAIT);
    expect(invocations.map((batch) => batch.map((r) => r.dynamodb.Keys.PK.S))).toEqual([
      ['P#1', 'P#2', 'POISON', 'P#4'],
      ['P#1', 'P#2'],
      ['POISON', 'P#4'],
      ['POISON'],
      ['POISON'],
      ['P#4'],
    ]);
    const poison = invocations[3][0].dynamodb.SequenceNumber;
    expect(failures).toHaveLength(1);
    expect(failures[0].DDBStreamBatchInfo).toMatchObject({ startSequenceNumber: poison, endSequenceNumber: poison, batchSize: 1 });
    expect(failures[0].requestContext.approximateInvokeCount).toBe(2);
  });

  it('retries throttled invocations without using up the retry attempts', async () => {
    const table = await newTable();
    await put(table.tableName, item('P#1', 'SLOT#1'));
    let throttles = 2;
    const { invocations, failures } = await start(table, source({ startingPosition: 'TRIM_HORIZON', retryAttempts: 0 }), async () => {
      if (throttles-- > 0) throw new TooManyRequestsError('change-publisher');
      return undefined;
    });
    await vi.waitFor(() => expect(invocations).toHaveLength(3), WAIT);
    expect(failures).toEqual([]);
  });
});

describe('DynamoDB stream event source across a restart (checkpoints)', () => {
  it('goes on from its checkpoint: what was written while it was stopped is delivered, nothing twice', async () => {
    const table = await newTable();
    const first = await start(table, source());
    await put(table.tableName, item('P#1', 'SLOT#1'));
    await vi.waitFor(() => expect(keysOf(first.delivered())).toEqual(['INSERT P#1']), WAIT);
    await first.eventSource.stop();
    const checkpoints = first.eventSource.checkpoints();
    expect(checkpoints.streamArn).toBe(table.streamArn);
    expect(Object.values(checkpoints.shards)).toContainEqual({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequences(first.delivered())[0] });

    await put(table.tableName, item('P#2', 'SLOT#1'));
    const second = await start(table, source(), undefined, undefined, checkpoints);
    await put(table.tableName, item('P#3', 'SLOT#1'));
    await vi.waitFor(() => expect(keysOf(second.delivered())).toEqual(['INSERT P#2', 'INSERT P#3']), WAIT);
  });

  it('a batch still failing when it stops is delivered again after the restart', async () => {
    const table = await newTable();
    const first = await start(table, source({ retryAttempts: -1 }), async () => {
      throw new LambdaFunctionError('change-publisher', 'Error', 'not yet');
    });
    await put(table.tableName, item('P#1', 'SLOT#1'));
    await vi.waitFor(() => expect(first.invocations.length).toBeGreaterThanOrEqual(2), WAIT);
    await first.eventSource.stop();
    const checkpoints = first.eventSource.checkpoints();
    expect(Object.values(checkpoints.shards)).toContainEqual({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: sequences(first.delivered())[0] });

    const second = await start(table, source(), undefined, undefined, checkpoints);
    await vi.waitFor(() => expect(keysOf(second.delivered())).toEqual(['INSERT P#1']), WAIT);
    expect(first.failures).toEqual([]);
  });

  it('a shard it read nothing from goes on from the minute it was opened: what was written after, even while stopped, is delivered', async () => {
    const table = await newTable();
    const first = await start(table, source());
    await first.eventSource.stop();
    const checkpoints = first.eventSource.checkpoints();
    const [left] = Object.values(checkpoints.shards);
    expect(left).toEqual({ type: 'TRIM_HORIZON', sinceSeconds: expect.any(Number) });
    // DynamoDB Local's creation times are whole minutes: so is the moment kept.
    expect((left as { sinceSeconds: number }).sinceSeconds % 60).toBe(0);
    await put(table.tableName, item('P#1', 'SLOT#1'));
    const second = await start(table, source(), undefined, undefined, checkpoints);
    await put(table.tableName, item('P#2', 'SLOT#1'));
    await vi.waitFor(() => expect(keysOf(second.delivered())).toEqual(['INSERT P#1', 'INSERT P#2']), WAIT);
    expect(first.delivered()).toEqual([]);
  });

  it('a batch that succeeds as the source stops counts as processed: it is not delivered again', async () => {
    const table = await newTable();
    let stopNow = () => {};
    const first = await start(table, source(), async () => stopNow());
    stopNow = () => void first.eventSource.stop();
    await put(table.tableName, item('P#1', 'SLOT#1'));
    await vi.waitFor(() => expect(keysOf(first.delivered())).toEqual(['INSERT P#1']), WAIT);
    await first.eventSource.stop();
    expect(Object.values(first.eventSource.checkpoints().shards)).toEqual([
      { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequences(first.delivered())[0] },
    ]);
  });

  it('a shard the last run finished is not read again, and is still finished at the next stop', async () => {
    const table = await newTable();
    await put(table.tableName, item('P#0', 'SLOT#1'));
    const probe = await start(table, source());
    await probe.eventSource.stop();
    const done: StreamCheckpoints = { streamArn: table.streamArn, shards: Object.fromEntries(Object.keys(probe.eventSource.checkpoints().shards).map((id) => [id, 'done'])) };
    const second = await start(table, source({ startingPosition: 'TRIM_HORIZON' }), undefined, undefined, done);
    await put(table.tableName, item('P#1', 'SLOT#1'));
    await new Promise((r) => setTimeout(r, 500)); // several polls
    await second.eventSource.stop();
    expect(second.delivered()).toEqual([]);
    expect(second.eventSource.checkpoints()).toEqual(done);
  });

  it('a shard the last run never saw is read from its beginning, whatever the starting position', async () => {
    const table = await newTable();
    await put(table.tableName, item('P#0', 'SLOT#1'));
    const { delivered } = await start(table, source({ startingPosition: 'LATEST' }), undefined, undefined, { streamArn: table.streamArn, shards: {} });
    await vi.waitFor(() => expect(keysOf(delivered())).toEqual(['INSERT P#0']), WAIT);
  });

  it('LATEST is the moment the source started, not its first read: a change made just after start is delivered', async () => {
    const table = await newTable();
    const real = localDynamoDbStreams(dynamodbEndpoint());
    // Every iterator is asked for late: one not taken before the start returns would come after the change.
    const slowIterators: DynamoDbStreamsWire = {
      call: async (operation, input) => {
        if (operation === 'GetShardIterator') await new Promise((r) => setTimeout(r, 500));
        return real.call(operation, input);
      },
      close: () => real.close(),
    };
    const { delivered } = await start(table, source({ startingPosition: 'LATEST' }), undefined, undefined, undefined, slowIterators);
    await put(table.tableName, item('P#1', 'SLOT#1'));
    await vi.waitFor(() => expect(keysOf(delivered())).toEqual(['INSERT P#1']), WAIT);
  });

  it("ignores checkpoints of another table's stream and says so", async () => {
    const table = await newTable();
    await put(table.tableName, item('P#0', 'SLOT#1'));
    const stale: StreamCheckpoints = { streamArn: `${table.streamArn}-gone`, shards: {} };
    const { delivered, logs } = await start(table, source(), undefined, undefined, stale);
    await put(table.tableName, item('P#1', 'SLOT#1'));
    await vi.waitFor(() => expect(keysOf(delivered())).toEqual(['INSERT P#1']), WAIT);
    expect(logs).toContainEqual(expect.stringContaining("the table's stream changed since the last run; starting at LATEST"));
  });
});
