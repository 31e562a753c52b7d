// The stream mappings' checkpoints, kept across a clean restart of the local server as Lambda
// keeps an event source mapping's, with the TTL deletions their unread records may still need to
// be told apart from a user's deletes (DynamoDB Local marks none; see ttl/registry.ts).
import { takeStateFile, writeStateFile } from '../state-file.ts';
import type { SavedTtlDeletion } from '../ttl/registry.ts';
import type { StreamCheckpoints } from './index.ts';
import type { Position, ShardCheckpoint } from './shard-consumer.ts';

export interface StreamState {
  /** By function: one stream mapping per function in the wiring. */
  mappings: Record<string, StreamCheckpoints>;
  ttlDeletions: SavedTtlDeletion[];
}

const VERSION = 1;

export function saveStreamState(file: string, state: StreamState): void {
  writeStateFile(file, { version: VERSION, savedAt: new Date().toISOString(), ...state });
}

/** Reads the saved state once (the file is removed); undefined without a file, a throw if unusable. */
export function takeStreamState(file: string): StreamState | undefined {
  return takeStateFile(file, parseStreamState);
}

function parseStreamState(value: unknown): StreamState {
  const fail = (why: string): never => {
    throw new Error(`not a stream checkpoint file: ${why}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value) || value.version !== VERSION) fail(`version must be ${VERSION}`);
  const { mappings, ttlDeletions } = value as Record<string, unknown>;
  if (!isObject(mappings)) return fail('mappings must be an object');
  for (const [fn, mapping] of Object.entries(mappings)) {
    if (!isObject(mapping) || typeof mapping.streamArn !== 'string' || !isObject(mapping.shards)) fail(`mapping ${fn} is malformed`);
    for (const [shardId, checkpoint] of Object.entries((mapping as { shards: object }).shards)) {
      if (!isShardCheckpoint(checkpoint)) fail(`mapping ${fn}, shard ${shardId}: bad checkpoint`);
    }
  }
  if (!Array.isArray(ttlDeletions)) return fail('ttlDeletions must be a list');
  for (const d of ttlDeletions) {
    const ok = isObject(d) && typeof d.id === 'string' && Number.isFinite(d.createdAt) && (d.image === undefined || typeof d.image === 'string');
    if (!ok) fail('ttlDeletions holds a malformed entry');
  }
  return { mappings: mappings as Record<string, StreamCheckpoints>, ttlDeletions: ttlDeletions as SavedTtlDeletion[] };
}

/** A saved checkpoint as read back from a file: a known iterator type, a sequence number where one is needed. */
function isShardCheckpoint(value: unknown): value is ShardCheckpoint {
  if (value === 'done') return true;
  if (typeof value !== 'object' || value === null) return false;
  const { type, sequenceNumber, sinceSeconds } = value as Partial<Position>;
  if (type === 'LATEST') return sequenceNumber === undefined && sinceSeconds === undefined;
  if (type === 'TRIM_HORIZON') return sequenceNumber === undefined && (sinceSeconds === undefined || Number.isInteger(sinceSeconds));
  const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  return bySequence && sinceSeconds === undefined && typeof sequenceNumber === 'string' && /^\d{1,40}$/.test(sequenceNumber);
}
