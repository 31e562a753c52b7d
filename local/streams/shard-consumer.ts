// Reads one shard of a DynamoDB stream in order (GetShardIterator, then GetRecords until the
// shard closes), filters each record, gathers batches (batch size, batching window) and hands
// each batch to runBatch. Memory is bounded: one GetRecords page plus one batch. It keeps a
// checkpoint, the position after the last record fully processed, which the event source saves
// across restarts as Lambda's event source mapping keeps its own.
import type { ShardIteratorType } from '@aws-sdk/client-dynamodb-streams';
import type { FilterPattern } from '../../infra/wiring.ts';
import { isDynamoDbError, type DynamoDbStreamsWire } from '../dynamodb/wire.ts';
import { matchesFilterCriteria } from './filter.ts';
import { toLambdaRecord, type LambdaStreamRecord, type StreamApiRecord } from './record.ts';

const GET_RECORDS_LIMIT = 1000;

export interface ShardContext {
  streams: DynamoDbStreamsWire;
  streamArn: string;
  region: string;
  batchSize: number;
  batchingWindowMs: number;
  pollIntervalMs: number;
  filters: readonly FilterPattern[];
  isTtlDeletion(record: StreamApiRecord): Promise<boolean>;
  /** Resolves true once the batch is processed (or sent to the on-failure destination), false if
   * the source stopped first. */
  processBatch(shardId: string, records: LambdaStreamRecord[]): Promise<boolean>;
  pause(ms: number): Promise<void>;
  stopped(): boolean;
  log(message: string): void;
}

/** Where a shard is read from: a GetShardIterator request. */
export interface Position {
  type: ShardIteratorType;
  sequenceNumber?: string;
  /**
   * With TRIM_HORIZON: records created before this epoch second are skipped. A shard a mapping
   * opened at LATEST and read nothing from goes on this way, from the minute it was opened.
   */
  sinceSeconds?: number;
}

/** What a stopped consumer leaves behind: where to read from next time, or that it is done. */
export type ShardCheckpoint = Position | 'done';

export class ShardConsumer {
  private iterator: string | undefined;
  private lastReadSequence: string | undefined;
  /** The first record read, while none is processed yet: a restart must read it again. */
  private firstReadSequence: string | undefined;
  /** The last record taken from the buffer (into the batch, or filtered out). */
  private lastTakenSequence: string | undefined;
  /** The last record processed: everything up to it is done. */
  private processedSequence: string | undefined;
  private finished = false;
  /** When a LATEST start took its iterator, to the minute: what "latest" meant, in epoch seconds. */
  private openedAtSeconds: number | undefined;
  /** Where the next read must take a fresh iterator from; set until GetShardIterator succeeds. */
  private reposition: Position | undefined;
  private ended = false;
  private readonly buffer: StreamApiRecord[] = [];

  constructor(
    private readonly ctx: ShardContext,
    readonly shardId: string,
    readonly startsAt: Position,
  ) {
    this.reposition = startsAt;
  }

  /** Takes the starting iterator now, so that LATEST means "after this call". */
  async open(): Promise<void> {
    // Creation times may be rounded down to the minute (DynamoDB Local's are): so is this one, and
    // a record of the same minute from before the start is delivered again rather than one skipped.
    const openedAt = Math.floor(Date.now() / 60_000) * 60;
    this.iterator = await this.getIterator(this.startsAt);
    if (this.startsAt.type === 'LATEST') this.openedAtSeconds = openedAt;
    this.reposition = undefined;
  }

  /** Where a later consumer of this shard must start so that nothing is skipped or done twice. */
  checkpoint(): ShardCheckpoint {
    if (this.finished) return 'done';
    if (this.processedSequence) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.processedSequence };
    if (this.firstReadSequence) return { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: this.firstReadSequence };
    // Nothing read since a LATEST start: a record written before the stop may not have been polled
    // yet, so the next run reads from the horizon what was created from that start on.
    if (this.openedAtSeconds !== undefined) return { type: 'TRIM_HORIZON', sinceSeconds: this.openedAtSeconds };
    return this.startsAt;
  }

  /** Resolves when the shard is closed and fully processed ('done') or the source stops. */
  async run(): Promise<'done' | 'stopped' | 'gone'> {
    const { ctx } = this;
    const batch: LambdaStreamRecord[] = [];
    let batchStartedAt = 0;
    while (!ctx.stopped()) {
      let fetched = 0;
      if (this.buffer.length === 0 && !this.ended) {
        const result = await this.fetch();
        if (result === 'gone') {
          // Records already read are still delivered, as Lambda does before it drops the shard.
          if (batch.length > 0) await ctx.processBatch(this.shardId, batch.splice(0));
          this.finished = true;
          return 'gone';
        }
        fetched = result;
      }
      while (this.buffer.length > 0 && batch.length < ctx.batchSize) {
        const raw = this.buffer.shift() as StreamApiRecord;
        this.lastTakenSequence = raw.dynamodb?.SequenceNumber ?? this.lastTakenSequence;
        const record = this.beforeStart(raw) ? undefined : await this.toMatchingRecord(raw);
        if (!record) {
          // Filtered out: processed, unless it sits behind records still waiting in the batch.
          if (batch.length === 0) this.processedSequence = this.lastTakenSequence;
          continue;
        }
        if (batch.length === 0) batchStartedAt = Date.now();
        batch.push(record);
      }
      const drained = this.ended && this.buffer.length === 0;
      const windowOver = Date.now() - batchStartedAt >= ctx.batchingWindowMs;
      if (batch.length > 0 && (batch.length >= ctx.batchSize || windowOver || drained)) {
        const upTo = this.lastTakenSequence;
        if (await ctx.processBatch(this.shardId, batch.splice(0))) this.processedSequence = upTo;
        continue;
      }
      if (drained && batch.length === 0) {
        this.finished = true;
        return 'done';
      }
      if (fetched === 0 && this.buffer.length === 0) {
        const windowLeft = batch.length > 0 ? ctx.batchingWindowMs - (Date.now() - batchStartedAt) : ctx.pollIntervalMs;
        await ctx.pause(Math.max(1, Math.min(ctx.pollIntervalMs, windowLeft)));
      }
    }
    return 'stopped';
  }

  /** Created before the moment this mapping's reading began (a LATEST start carried over a restart). */
  private beforeStart(raw: StreamApiRecord): boolean {
    const since = this.startsAt.sinceSeconds;
    const created = raw.dynamodb?.ApproximateCreationDateTime;
    return since !== undefined && typeof created === 'number' && created < since;
  }

  private async toMatchingRecord(raw: StreamApiRecord): Promise<LambdaStreamRecord | undefined> {
    const { ctx } = this;
    try {
      const ttlDeletion = raw.eventName === 'REMOVE' && (await ctx.isTtlDeletion(raw));
      const record = toLambdaRecord(raw, { region: ctx.region, streamArn: ctx.streamArn, ttlDeletion });
      return matchesFilterCriteria(ctx.filters, record) ? record : undefined;
    } catch (err) {
      ctx.log(`shard ${this.shardId}: skipping unreadable record ${raw.eventID ?? '?'}: ${(err as Error).message}`);
      return undefined;
    }
  }

  /**
   * One GetRecords call (after taking a fresh iterator if one is due); returns how many records it
   * added, or 'gone' if the stream is deleted. It never throws: a batch gathering in run() must
   * not be lost to a failed call, and the position to resume from is kept until a call succeeds.
   */
  private async fetch(): Promise<number | 'gone'> {
    const { ctx } = this;
    try {
      if (this.reposition) {
        this.iterator = await this.getIterator(this.reposition);
        this.reposition = undefined;
        if (this.ended) return 0;
      }
      const out = await ctx.streams.call('GetRecords', { ShardIterator: this.iterator, Limit: GET_RECORDS_LIMIT });
      const records = out.Records ?? [];
      this.buffer.push(...records);
      if (records.length > 0) {
        this.lastReadSequence = records[records.length - 1].dynamodb?.SequenceNumber;
        this.firstReadSequence ??= records[0].dynamodb?.SequenceNumber;
      }
      this.iterator = out.NextShardIterator;
      // No next iterator: the shard is closed and everything in it has been read.
      if (!this.iterator) this.ended = true;
      return records.length;
    } catch (err) {
      if (isDynamoDbError(err, 'ResourceNotFoundException')) {
        ctx.log(`shard ${this.shardId}: stream ${ctx.streamArn} no longer exists`);
        return 'gone';
      }
      if (isDynamoDbError(err, 'ExpiredIteratorException')) {
        this.reposition = this.lastReadSequence ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.lastReadSequence } : this.startsAt;
        return 0;
      }
      if (isDynamoDbError(err, 'TrimmedDataAccessException')) {
        // From GetRecords, or from GetShardIterator when the position kept is past retention.
        ctx.log(`shard ${this.shardId}: records past the stream's retention were trimmed; continuing from the oldest`);
        this.reposition = { type: 'TRIM_HORIZON' };
        return 0;
      }
      const operation = this.reposition ? 'GetShardIterator' : 'GetRecords';
      ctx.log(`shard ${this.shardId}: ${operation} failed: ${(err as Error).message}`);
      await ctx.pause(Math.max(ctx.pollIntervalMs, 500));
      return 0;
    }
  }

  private async getIterator(position: Position): Promise<string | undefined> {
    const out = await this.ctx.streams.call('GetShardIterator', {
      StreamArn: this.ctx.streamArn,
      ShardId: this.shardId,
      ShardIteratorType: position.type,
      SequenceNumber: position.sequenceNumber,
    });
    if (!out.ShardIterator) this.ended = true;
    return out.ShardIterator;
  }
}
