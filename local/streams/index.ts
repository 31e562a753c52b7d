// A DynamoDB stream event source mapping, run locally against DynamoDB Local's real stream API:
// discovers shards as they appear (DescribeStream), reads each in order and a child only after
// its parent is done, filters, batches and invokes the function with Lambda's retry, bisect,
// partial batch response and on-failure behaviour.
import type { Shard as SdkShard } from '@aws-sdk/client-dynamodb-streams';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDbStreamsWire, Wire } from '../dynamodb/wire.ts';
import type { EventSourceWiring } from '../../infra/wiring.ts';
import type { TtlDeletionRegistry } from '../ttl/registry.ts';
import { runBatch } from './batch.ts';
import { validateFilterPattern } from './filter.ts';
import { streamOnFailureRecord, type StreamOnFailureRecord } from './on-failure.ts';
import type { LambdaStreamRecord } from './record.ts';
import { ShardConsumer, type ShardCheckpoint, type ShardContext } from './shard-consumer.ts';

export type StreamSourceWiring = Extract<EventSourceWiring, { kind: 'dynamodb-stream' }>;

export interface StreamEventSourceOptions {
  streams: DynamoDbStreamsWire;
  streamArn: string;
  tableName: string;
  source: StreamSourceWiring;
  invoke: (event: { Records: LambdaStreamRecord[] }) => Promise<unknown>;
  sendToOnFailure: (record: StreamOnFailureRecord) => Promise<void>;
  ttlDeletions: TtlDeletionRegistry;
  region: string;
  /** For the on-failure record; defaults to the local account's ARN for source.function. */
  functionArn?: string;
  /** Lambda polls a shard four times a second. */
  pollIntervalMs?: number;
  shardDiscoveryIntervalMs?: number;
  /** First retry delay after a failed batch; doubles per retry, capped at 5 s. */
  retryBaseDelayMs?: number;
  log?: (message: string) => void;
  /** The checkpoints a previous run of this mapping left (its checkpoints()); ignored for another stream. */
  resume?: StreamCheckpoints;
}

/** Per shard, where reading goes on: what a mapping keeps across restarts. */
export interface StreamCheckpoints {
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

export interface StreamEventSource {
  /** Stops polling and waits for the batch in flight to finish. */
  stop(): Promise<void>;
  /** Each shard's checkpoint; after stop(), where the next run must go on. */
  checkpoints(): StreamCheckpoints;
}

type Shard = Wire<SdkShard>;

const MAX_DESCRIBE_PAGES = 100;
const ON_FAILURE_ATTEMPTS = 10;

export async function startStreamEventSource(options: StreamEventSourceOptions): Promise<StreamEventSource> {
  const { source, streams, streamArn } = options;
  validateSource(source);
  const log = options.log ?? ((message: string) => console.warn(message));
  const prefix = `[stream → ${source.function}]`;
  const functionArn = options.functionArn ?? `arn:aws:lambda:${options.region}:000000000000:function:${source.function}`;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const discoveryMs = options.shardDiscoveryIntervalMs ?? 1000;
  const abort = new AbortController();
  const pause = (ms: number) => sleep(ms, undefined, { signal: abort.signal }).catch(() => undefined);
  const stopped = () => abort.signal.aborted;

  const deliverOnFailure = async (record: StreamOnFailureRecord): Promise<void> => {
    for (let attempt = 1; attempt <= ON_FAILURE_ATTEMPTS; attempt++) {
      try {
        await options.sendToOnFailure(record);
        return;
      } catch (err) {
        log(`${prefix} on-failure delivery attempt ${attempt} failed: ${(err as Error).message}`);
        if (stopped()) break;
        if (attempt < ON_FAILURE_ATTEMPTS) await pause(Math.min(100 * 2 ** attempt, 5000));
      }
    }
    // Never silent: the batch description goes to the log when the destination is unreachable.
    log(`${prefix} on-failure destination unreachable; discarded batch: ${JSON.stringify(record)}`);
  };

  const ctx: ShardContext = {
    streams,
    streamArn,
    region: options.region,
    batchSize: source.batchSize,
    batchingWindowMs: source.maxBatchingWindowSeconds * 1000,
    pollIntervalMs,
    filters: source.filters,
    isTtlDeletion: (record) =>
      options.ttlDeletions.isTtlDeletion(options.tableName, record.dynamodb?.Keys ?? {}, record.dynamodb?.OldImage),
    processBatch: (shardId, records) =>
      runBatch(records, {
        policy: source,
        invoke: options.invoke,
        pause,
        stopped,
        log: (message) => log(`${prefix} shard ${shardId}: ${message}`),
        retryBaseDelayMs: options.retryBaseDelayMs ?? 100,
        onExhausted: (batch) =>
          deliverOnFailure(
            streamOnFailureRecord({ functionArn, shardId, streamArn, ...batch, now: new Date() }),
          ),
      }),
    pause,
    stopped,
    log: (message) => log(`${prefix} ${message}`),
  };

  const known = new Map<string, Shard>();
  const finished = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const consumers = new Map<string, ShardConsumer>();

  const listShards = async (): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let startAfter: string | undefined;
    for (let page = 0; page < MAX_DESCRIBE_PAGES; page++) {
      const out = await streams.call('DescribeStream', { StreamArn: streamArn, ExclusiveStartShardId: startAfter });
      shards.push(...(out.StreamDescription?.Shards ?? []));
      startAfter = out.StreamDescription?.LastEvaluatedShardId;
      if (!startAfter) break;
    }
    return shards;
  };

  const runShard = (consumer: ShardConsumer): void => {
    const loop = (async () => {
      while (!stopped()) {
        try {
          // 'gone': the stream was deleted; nothing more will come from this shard either.
          const outcome = await consumer.run();
          if (outcome !== 'stopped') finished.add(consumer.shardId);
          return;
        } catch (err) {
          log(`${prefix} shard ${consumer.shardId}: ${(err as Error).message}; retrying`);
          await pause(1000);
        }
      }
    })();
    running.set(consumer.shardId, loop);
    void loop.finally(() => running.delete(consumer.shardId));
  };

  /** Starts every shard whose parent is done (or unknown: trimmed or skipped at a LATEST start). */
  const startReadyShards = (): void => {
    for (const [shardId, shard] of known) {
      if (finished.has(shardId) || running.has(shardId) || stopped()) continue;
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !finished.has(parent)) continue;
      const consumer = consumers.get(shardId) ?? new ShardConsumer(ctx, shardId, { type: 'TRIM_HORIZON' });
      consumers.set(shardId, consumer);
      runShard(consumer);
    }
  };

  const discover = async (): Promise<void> => {
    const shards = await listShards();
    const listed = new Set(shards.map((s) => s.ShardId));
    for (const shard of shards) if (shard.ShardId && !known.has(shard.ShardId)) known.set(shard.ShardId, shard);
    // Shards the stream no longer lists (past retention) are forgotten: bounded bookkeeping.
    for (const id of [...known.keys()]) {
      if (!listed.has(id) && !running.has(id)) {
        known.delete(id);
        finished.delete(id);
        consumers.delete(id);
      }
    }
    startReadyShards();
  };

  // The first discovery decides where reading starts. Resumed: each shard where the last run left
  // it, shards it never saw from their beginning. Otherwise LATEST: open shards from now on, closed
  // ones skipped; TRIM_HORIZON: everything still in the stream. Shards found later start at their
  // beginning, as Lambda reads child shards.
  const resume = options.resume?.streamArn === streamArn ? options.resume.shards : undefined;
  if (options.resume && !resume) log(`${prefix} the table's stream changed since the last run; starting at ${source.startingPosition}`);
  const initial = await listShards();
  for (const shard of initial) {
    if (!shard.ShardId) continue;
    known.set(shard.ShardId, shard);
    if (resume) {
      const saved = Object.hasOwn(resume, shard.ShardId) ? resume[shard.ShardId] : undefined;
      if (saved === 'done') finished.add(shard.ShardId);
      else if (saved) consumers.set(shard.ShardId, await opened(new ShardConsumer(ctx, shard.ShardId, saved)));
      continue;
    }
    if (source.startingPosition === 'LATEST') {
      if (shard.SequenceNumberRange?.EndingSequenceNumber) {
        finished.add(shard.ShardId);
        continue;
      }
      consumers.set(shard.ShardId, await opened(new ShardConsumer(ctx, shard.ShardId, { type: 'LATEST' })));
    }
  }
  startReadyShards();

  const discovery = (async () => {
    while (!stopped()) {
      await pause(discoveryMs);
      if (stopped()) break;
      try {
        await discover();
      } catch (err) {
        log(`${prefix} DescribeStream failed: ${(err as Error).message}`);
      }
    }
  })();

  return {
    async stop() {
      abort.abort();
      await discovery;
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    checkpoints() {
      const shards: Record<string, ShardCheckpoint> = {};
      for (const shardId of known.keys()) {
        const consumer = consumers.get(shardId);
        // Shards never started (children waiting for a parent) start at their beginning anyway.
        if (finished.has(shardId)) shards[shardId] = 'done';
        else if (consumer) shards[shardId] = consumer.checkpoint();
      }
      return { streamArn, shards };
    },
  };
}

/** A LATEST consumer takes its iterator at once, so that "latest" means now, not when it first reads. */
async function opened(consumer: ShardConsumer): Promise<ShardConsumer> {
  if (consumer.startsAt.type === 'LATEST') await consumer.open();
  return consumer;
}

function validateSource(source: StreamSourceWiring): void {
  const integer = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`stream event source for ${source.function}: ${name} must be an integer from ${min} to ${max}, got ${value}`);
    }
  };
  integer('batchSize', source.batchSize, 1, 10_000);
  integer('maxBatchingWindowSeconds', source.maxBatchingWindowSeconds, 0, 300);
  integer('retryAttempts', source.retryAttempts, -1, 10_000);
  if (source.startingPosition !== 'LATEST' && source.startingPosition !== 'TRIM_HORIZON') {
    throw new Error(`stream event source for ${source.function}: startingPosition must be LATEST or TRIM_HORIZON`);
  }
  if (source.filters.length > 10) throw new Error(`stream event source for ${source.function}: at most 10 filters`);
  source.filters.forEach((pattern, i) => validateFilterPattern(pattern, `filters[${i}]`));
}
