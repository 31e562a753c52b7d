// The stream checkpoint file: saved whole, read back once (then removed), and a file that is not
// one is moved aside rather than lost or half-used.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { saveStreamState, takeStreamState, type StreamState } from '../../../local/streams/checkpoint-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'slotsync-stream-checkpoints-'));
const file = join(dir, 'stream-checkpoints.json');
afterEach(() => {
  rmSync(file, { force: true });
  rmSync(`${file}.unreadable`, { force: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const state: StreamState = {
  mappings: {
    'change-publisher': {
      streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2030-01-01T00:00:00.000',
      shards: {
        'shardId-1': 'done',
        'shardId-2': { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '000000000000000000200' },
        'shardId-3': { type: 'LATEST' },
        'shardId-4': { type: 'TRIM_HORIZON', sinceSeconds: 1_900_000_000 },
        'shardId-5': { type: 'TRIM_HORIZON' },
      },
    },
  },
  ttlDeletions: [{ id: 't\u0000{"PK":{"S":"HOLD#1"}}', image: '{"PK":{"S":"HOLD#1"}}', createdAt: 1_900_000_000_000 }],
};

describe('stream checkpoint file', () => {
  it('gives back what was saved, once', () => {
    saveStreamState(file, state);
    expect(existsSync(`${file}.tmp`)).toBe(false);
    expect(takeStreamState(file)).toEqual(state);
    expect(existsSync(file)).toBe(false);
    expect(takeStreamState(file)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{'],
    ['another version', JSON.stringify({ ...state, version: 2 })],
    ['a checkpoint without its sequence number', JSON.stringify({ version: 1, ...state, mappings: { f: { streamArn: 'a', shards: { s: { type: 'AFTER_SEQUENCE_NUMBER' } } } } })],
    ['an unknown iterator type', JSON.stringify({ version: 1, ...state, mappings: { f: { streamArn: 'a', shards: { s: { type: 'AT_TIMESTAMP' } } } } })],
    ['a malformed TTL deletion', JSON.stringify({ version: 1, ...state, ttlDeletions: [{ id: 1 }] })],
    ['a TTL deletion without its time', JSON.stringify({ version: 1, ...state, ttlDeletions: [{ id: 't' }] })],
    ['a mapping without its stream', JSON.stringify({ version: 1, ...state, mappings: { f: { shards: {} } } })],
    ['a sequence number that is not one', JSON.stringify({ version: 1, ...state, mappings: { f: { streamArn: 'a', shards: { s: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: 'x1' } } } } })],
    ['a sequence checkpoint with a start time', JSON.stringify({ version: 1, ...state, mappings: { f: { streamArn: 'a', shards: { s: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '1', sinceSeconds: 5 } } } } })],
    ['a start time that is not a whole second', JSON.stringify({ version: 1, ...state, mappings: { f: { streamArn: 'a', shards: { s: { type: 'TRIM_HORIZON', sinceSeconds: 'soon' } } } } })],
    ['a start time of a fraction of a second', JSON.stringify({ version: 1, ...state, mappings: { f: { streamArn: 'a', shards: { s: { type: 'TRIM_HORIZON', sinceSeconds: 1.5 } } } } })],
    ['a LATEST checkpoint with a start time', JSON.stringify({ version: 1, ...state, mappings: { f: { streamArn: 'a', shards: { s: { type: 'LATEST', sinceSeconds: 60 } } } } })],
    ['a TRIM_HORIZON checkpoint with a sequence number', JSON.stringify({ version: 1, ...state, mappings: { f: { streamArn: 'a', shards: { s: { type: 'TRIM_HORIZON', sequenceNumber: '1' } } } } })],
    ['a LATEST checkpoint with a sequence number', JSON.stringify({ version: 1, ...state, mappings: { f: { streamArn: 'a', shards: { s: { type: 'LATEST', sequenceNumber: '1' } } } } })],
  ])('moves a file holding %s aside and says where', (_, text) => {
    writeFileSync(file, text);
    expect(() => takeStreamState(file)).toThrow(`moved to ${file}.unreadable`);
    expect(readFileSync(`${file}.unreadable`, 'utf8')).toBe(text);
    expect(existsSync(file)).toBe(false);
  });
});
