// ShardConsumer's recovery from GetRecords and GetShardIterator errors, against a fake DynamoDB
// Streams wire: DynamoDB Local never expires an iterator, trims a shard or loses a stream
// mid-read, so the end-to-end event source tests cannot reach these paths. The fake serves one
// closed shard two records per page; iterators are positions in it, so a wrong resume point shows
// as duplicated or lost records.
import { describe, expect, it } from 'vitest';
import { DynamoDbError, type DynamoDbStreamsWire, type StreamsOperation } from '../../../local/dynamodb/wire.ts';
import type { StreamApiRecord } from '../../../local/streams/record.ts';
import { ShardConsumer, type Position } from '../../../local/streams/shard-consumer.ts';
import type { FilterPattern } from '../../../infra/wiring.ts';

const SHARD = 'shardId-00000001700000000000-0000000a';
const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2030-01-01T00:00:00.000';

const sequence = (n: number) => String(n * 100).padStart(21, '0');

function record(n: number): StreamApiRecord {
  return {
    eventID: `e${n}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: 1_900_000_000 + n,
      Keys: { PK: { S: `ITEM#${n}` } },
      NewImage: { PK: { S: `ITEM#${n}` }, n: { N: String(n) } },
      SequenceNumber: sequence(n),
      SizeBytes: 30,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** As the wire rejects with an error DynamoDB answered (HTTP 400, `__type` ending in the code). */
const dynamoError = (code: string) => new DynamoDbError(code, `${code} (fake)`, 400, 'fake-request');

type Failures = (getRecordsCall: number) => Error | undefined;
const failAt = (call: number, err: Error): Failures => (n) => (n === call ? err : undefined);

/** A closed shard of `count` records; GetRecords call number n (from 1) throws failures(n) if any,
 * GetShardIterator call number n throws iteratorFailures(n) if any. */
function fakeShard(count: number, failures: Failures, iteratorFailures: Failures = () => undefined) {
  const records = Array.from({ length: count }, (_, i) => record(i + 1));
  const iteratorRequests: Array<{ type?: string; sequenceNumber?: string }> = [];
  let getRecordsCalls = 0;
  const shard = {
    /** Records before this index are past retention: TRIM_HORIZON starts here. */
    trimHorizon: 0,
    iteratorRequests,
    streams: {
      async call(operation: StreamsOperation, input: unknown): Promise<never> {
        const req = input as { ShardId?: string; ShardIteratorType?: string; SequenceNumber?: string; ShardIterator?: string };
        if (operation === 'GetShardIterator') {
          expect(req.ShardId).toBe(SHARD);
          iteratorRequests.push({ type: req.ShardIteratorType, sequenceNumber: req.SequenceNumber });
          const failure = iteratorFailures(iteratorRequests.length);
          if (failure) throw failure;
          const after = records.findIndex((r) => r.dynamodb?.SequenceNumber === req.SequenceNumber);
          const at = {
            TRIM_HORIZON: shard.trimHorizon,
            LATEST: records.length,
            AT_SEQUENCE_NUMBER: after < 0 ? undefined : after,
            AFTER_SEQUENCE_NUMBER: after < 0 ? undefined : after + 1,
          }[
            req.ShardIteratorType ?? ''
          ];
          if (at === undefined) throw new Error(`fake: bad iterator request ${JSON.stringify(req)}`);
          return { ShardIterator: `at:${at}` } as never;
        }
        if (operation !== 'GetRecords') throw new Error(`fake: unexpected ${operation}`);
        const failure = failures(++getRecordsCalls);
        if (failure) throw failure;
        const at = Number(req.ShardIterator?.replace(/^at:/, ''));
        const page = records.slice(at, at + 2);
        const next = at + page.length;
        return { Records: page, NextShardIterator: next < records.length ? `at:${next}` : undefined } as never;
      },
      close() {},
    } satisfies DynamoDbStreamsWire,
  };
  return shard;
}

/** Runs a consumer over the shard until it returns (or 50 loop turns: never forever). */
async function consume(
  shard: ReturnType<typeof fakeShard>,
  startAt: 'LATEST' | 'TRIM_HORIZON' | Position,
  batchingWindowMs = 0,
  /** stopDuring: the source stops while the batch holding this record is in flight. */
  options: { filters?: FilterPattern[]; stopDuring?: string } = {},
) {
  const delivered: string[] = [];
  const batches: number[] = [];
  const pauses: number[] = [];
  const logs: string[] = [];
  let turns = 0;
  let stopping = false;
  const consumer = new ShardConsumer(
    {
      streams: shard.streams,
      streamArn: STREAM_ARN,
      region: 'ddblocal',
      batchSize: 10,
      batchingWindowMs,
      pollIntervalMs: 5,
      filters: options.filters ?? [],
      isTtlDeletion: async () => false,
      processBatch: async (shardId, records) => {
        expect(shardId).toBe(SHARD);
        const eventIds = records.map((r) => r.eventID as string);
        if (options.stopDuring && eventIds.includes(options.stopDuring)) {
          stopping = true;
          return false;
        }
        delivered.push(...eventIds);
        batches.push(records.length);
        return true;
      },
      pause: async (ms) => {
        pauses.push(ms);
      },
      stopped: () => stopping || ++turns > 50,
      log: (message) => logs.push(message),
    },
    SHARD,
    typeof startAt === 'string' ? { type: startAt } : startAt,
  );
  const outcome = await consumer.run();
  return { outcome, delivered, batches, pauses, logs, checkpoint: consumer.checkpoint() };
  return { outcome, delivered, batches, pauses, logs };
}

const ids = (...ns: number[]) => ns.map((n) => `e${n}`);

describe('ShardConsumer recovery from GetRecords and GetShardIterator errors', () => {
  it('after an expired iterator, resumes after the last record read: later records once, none again', async () => {
    const shard = fakeShard(5, failAt(2, dynamoError('ExpiredIteratorException')));
    const { outcome, delivered } = await consume(shard, 'TRIM_HORIZON');
    expect(shard.iteratorRequests).toEqual([
      { type: 'TRIM_HORIZON', sequenceNumber: undefined },
      { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequence(2) },
    ]);
    expect(delivered).toEqual(ids(1, 2, 3, 4, 5));
    expect(outcome).toBe('done');
  });

  it.each([
    ['TRIM_HORIZON', ids(1, 2, 3, 4, 5)],
    ['LATEST', []],
  ] as const)('an iterator expired before any record was read starts again at %s', async (startAt, expected) => {
    const shard = fakeShard(5, failAt(1, dynamoError('ExpiredIteratorException')));
    const { outcome, delivered } = await consume(shard, startAt);
    expect(shard.iteratorRequests.map((r) => r.type)).toEqual([startAt, startAt]);
    expect(shard.iteratorRequests.every((r) => r.sequenceNumber === undefined)).toBe(true);
    expect(delivered).toEqual(expected);
    expect(outcome).toBe('done');
  });

  it('trimmed data: logs it and continues from the oldest record left (TRIM_HORIZON)', async () => {
    const shard = fakeShard(5, (n) => {
      if (n !== 2) return undefined;
      shard.trimHorizon = 3; // records 1 to 3 are past retention now
      return dynamoError('TrimmedDataAccessException');
    });
    const { outcome, delivered, logs } = await consume(shard, 'TRIM_HORIZON');
    expect(shard.iteratorRequests.map((r) => r.type)).toEqual(['TRIM_HORIZON', 'TRIM_HORIZON']);
    expect(delivered).toEqual(ids(1, 2, 4, 5));
    expect(logs).toEqual([expect.stringMatching(new RegExp(`^shard ${SHARD}: .*trimmed`))]);
    expect(outcome).toBe('done');
  });

  it("a deleted stream (ResourceNotFoundException) ends the run as 'gone'", async () => {
    const shard = fakeShard(5, failAt(1, dynamoError('ResourceNotFoundException')));
    const { outcome, delivered, logs, checkpoint } = await consume(shard, 'TRIM_HORIZON');
    expect(outcome).toBe('gone');
    expect(checkpoint).toBe('done');
    expect(delivered).toEqual([]);
    expect(logs).toEqual([expect.stringContaining('no longer exists')]);
  });

  it('any other error is logged, waited out (at least 500 ms) and retried from the same iterator', async () => {
    const shard = fakeShard(5, failAt(2, dynamoError('InternalServerError')));
    const { outcome, delivered, pauses, logs } = await consume(shard, 'TRIM_HORIZON');
    expect(logs).toEqual([expect.stringContaining('GetRecords failed: InternalServerError (fake)')]);
    expect(pauses).toContain(500);
    expect(shard.iteratorRequests).toHaveLength(1);
    expect(delivered).toEqual(ids(1, 2, 3, 4, 5));
    expect(outcome).toBe('done');
  });

  describe('when taking the new iterator fails too, the batch being gathered is kept', () => {
    /** A window long enough that records 1 and 2 are still waiting in run() when the call fails. */
    const WINDOW_MS = 60_000;
    const expiredThen = (err: Error) => fakeShard(5, failAt(2, dynamoError('ExpiredIteratorException')), failAt(2, err));

    it('any other error: logged, and the same position taken again; every record once, in one batch', async () => {
      const shard = expiredThen(dynamoError('InternalServerError'));
      const { outcome, delivered, batches, logs } = await consume(shard, 'TRIM_HORIZON', WINDOW_MS);
      const resume = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequence(2) };
      expect(shard.iteratorRequests).toEqual([{ type: 'TRIM_HORIZON', sequenceNumber: undefined }, resume, resume]);
      expect(logs).toEqual([expect.stringContaining('GetShardIterator failed: InternalServerError (fake)')]);
      expect(delivered).toEqual(ids(1, 2, 3, 4, 5));
      expect(batches).toEqual([5]);
      expect(outcome).toBe('done');
    });

    it('the position is past retention (trimmed): continues from the oldest record left', async () => {
      const shard = fakeShard(5, failAt(2, dynamoError('ExpiredIteratorException')), (n) => {
        if (n !== 2) return undefined;
        shard.trimHorizon = 3;
        return dynamoError('TrimmedDataAccessException');
      });
      const { outcome, delivered, logs } = await consume(shard, 'TRIM_HORIZON', WINDOW_MS);
      expect(shard.iteratorRequests.map((r) => r.type)).toEqual(['TRIM_HORIZON', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON']);
      expect(logs).toEqual([expect.stringContaining('trimmed')]);
      expect(delivered).toEqual(ids(1, 2, 4, 5));
      expect(outcome).toBe('done');
    });

    it("the stream is gone: the records already read are delivered, then the run ends as 'gone'", async () => {
      const shard = expiredThen(dynamoError('ResourceNotFoundException'));
      const { outcome, delivered } = await consume(shard, 'TRIM_HORIZON', WINDOW_MS);
      expect(delivered).toEqual(ids(1, 2));
      expect(outcome).toBe('gone');
    });
  });
});

describe('ShardConsumer checkpoints (what a restart goes on from)', () => {
  const after = (n: number): Position => ({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequence(n) });

  it('a shard read to its end and processed is done', async () => {
    const { outcome, checkpoint } = await consume(fakeShard(5, () => undefined), 'TRIM_HORIZON');
    expect(outcome).toBe('done');
    expect(checkpoint).toBe('done');
  });

  it('stopped while a batch is in flight: the checkpoint is after the last processed batch, and a resumed consumer delivers the rest once', async () => {
    const shard = fakeShard(5, () => undefined);
    const first = await consume(shard, 'TRIM_HORIZON', 0, { stopDuring: 'e3' });
    expect(first.outcome).toBe('stopped');
    expect(first.delivered).toEqual(ids(1, 2));
    expect(first.checkpoint).toEqual(after(2));
    const second = await consume(shard, first.checkpoint as Position);
    expect(second.delivered).toEqual(ids(3, 4, 5));
    expect(second.checkpoint).toBe('done');
  });

  it('an iterator expired before a resumed consumer read anything is taken again at its checkpoint, not at the shard start', async () => {
    const shard = fakeShard(5, failAt(1, dynamoError('ExpiredIteratorException')));
    const { delivered } = await consume(shard, after(2));
    expect(shard.iteratorRequests).toEqual([after(2), after(2)]);
    expect(delivered).toEqual(ids(3, 4, 5));
  });

  it('records read over several pages, none processed yet: the checkpoint is at the first page’s first record', async () => {
    const shard = fakeShard(5, () => undefined);
    // A long window gathers all three pages into one batch, which the stop interrupts.
    const first = await consume(shard, 'TRIM_HORIZON', 60_000, { stopDuring: 'e1' });
    expect(first.delivered).toEqual([]);
    expect(first.checkpoint).toEqual({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: sequence(1) });
  });

  it('a record filtered out behind a batch the stop interrupted does not move the checkpoint past that batch', async () => {
    const shard = fakeShard(5, () => undefined);
    const first = await consume(shard, 'TRIM_HORIZON', 0, { filters: [{ eventID: ['e1'] }], stopDuring: 'e1' });
    expect(first.delivered).toEqual([]);
    expect(first.checkpoint).toEqual({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: sequence(1) });
  });

  it('records read but none processed yet: the checkpoint is at the first of them, not past it', async () => {
    const shard = fakeShard(5, () => undefined);
    const first = await consume(shard, after(1), 0, { stopDuring: 'e2' });
    expect(shard.iteratorRequests[0]).toEqual({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequence(1) });
    expect(first.delivered).toEqual([]);
    expect(first.checkpoint).toEqual({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: sequence(2) });
    const second = await consume(shard, first.checkpoint as Position);
    expect(second.delivered).toEqual(ids(2, 3, 4, 5));
  });

  it('records the filters drop are processed too: the checkpoint moves past them', async () => {
    const shard = fakeShard(5, () => undefined);
    const onlyFirstAndLast = [{ eventID: ['e1', 'e5'] }];
    const first = await consume(shard, 'TRIM_HORIZON', 0, { filters: onlyFirstAndLast, stopDuring: 'e5' });
    expect(first.delivered).toEqual(ids(1));
    expect(first.checkpoint).toEqual(after(4));
  });

  it('a consumer that has read nothing keeps the position it started from', () => {
    const shard = fakeShard(5, () => undefined);
    const consumer = new ShardConsumer({} as never, SHARD, { type: 'LATEST' });
    expect(consumer.checkpoint()).toEqual({ type: 'LATEST' });
    expect(shard.iteratorRequests).toEqual([]);
  });

  it.each<Position>([{ type: 'TRIM_HORIZON' }, { type: 'TRIM_HORIZON', sinceSeconds: 1_900_000_003 }, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequence(2) }])(
    'a consumer opened at %j that read nothing keeps that position, not the moment it opened',
    async (startsAt) => {
      const shard = fakeShard(5, () => undefined);
      const consumer = new ShardConsumer({ streams: shard.streams, streamArn: STREAM_ARN } as never, SHARD, startsAt);
      await consumer.open();
      expect(consumer.checkpoint()).toEqual(startsAt);
    },
  );

  it('a LATEST start that read nothing leaves the moment it opened, and a consumer resumed from it skips what was created before', async () => {
    const shard = fakeShard(5, () => undefined);
    const before = Math.floor(Date.now() / 60_000) * 60;
    const latest = new ShardConsumer({ streams: shard.streams, streamArn: STREAM_ARN } as never, SHARD, { type: 'LATEST' });
    await latest.open();
    const left = latest.checkpoint() as Position;
    expect(left).toEqual({ type: 'TRIM_HORIZON', sinceSeconds: expect.any(Number) });
    // To the minute, as DynamoDB Local's creation times are.
    expect(left.sinceSeconds).toBeGreaterThanOrEqual(before);
    // Rounded down, never up: a record of the opening minute written after the start is not skipped.
    expect(left.sinceSeconds).toBeLessThanOrEqual(Date.now() / 1000);
    expect(left.sinceSeconds! % 60).toBe(0);

    // The fake's record n was created at 1_900_000_000 + n.
    const resumed = await consume(shard, { type: 'TRIM_HORIZON', sinceSeconds: 1_900_000_003 });
    expect(resumed.delivered).toEqual(ids(3, 4, 5));
    expect(resumed.checkpoint).toBe('done');
  });
});

