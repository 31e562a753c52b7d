// The checkpoint keeper: takes back what the last run kept, once; writes while the checkpoints
// move (so a crash repeats records rather than skipping them), not while they stand still; a last
// write at close; a mapping that did not run this time keeps what it was given.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { saveStreamState, takeStreamState } from '../../../local/streams/checkpoint-file.ts';
import type { StreamCheckpoints } from '../../../local/streams/index.ts';
import { keepStreamCheckpoints, type CheckpointKeeper } from '../../../local/streams/keeper.ts';
import { TtlDeletionRegistry } from '../../../local/ttl/registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'slotsync-keeper-'));
const file = join(dir, 'stream-checkpoints.json');
const keepers: CheckpointKeeper[] = [];
afterEach(() => {
  keepers.splice(0).forEach((k) => k.close());
  rmSync(file, { force: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STREAM = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2030-01-01T00:00:00.000';
const at = (sequenceNumber: string): StreamCheckpoints => ({ streamArn: STREAM, shards: { s1: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber } } });

function keeper(logs: string[] = [], ttlDeletions = new TtlDeletionRegistry()) {
  const k = keepStreamCheckpoints({ file, ttlDeletions, log: (line) => logs.push(line), intervalMs: 20 });
  keepers.push(k);
  return k;
}

describe('stream checkpoint keeper', () => {
  it('takes back the last run’s checkpoints and TTL deletions once, and says so', async () => {
    saveStreamState(file, { mappings: { 'change-publisher': at('100') }, ttlDeletions: [{ id: 't\u0000k', createdAt: Date.now() }] });
    const logs: string[] = [];
    const ttlDeletions = new TtlDeletionRegistry();
    const k = keeper(logs, ttlDeletions);
    expect(k.resume).toEqual({ 'change-publisher': at('100') });
    expect(existsSync(file)).toBe(false);
    expect(ttlDeletions.snapshot().map((d) => d.id)).toEqual(['t\u0000k']);
    expect(logs).toEqual(['streams: going on from the checkpoints of the last run (change-publisher)']);
  });

  it('writes while the checkpoints move, not while they stand still, and a last time at close', async () => {
    const k = keeper();
    let current = at('100');
    k.track('change-publisher', { checkpoints: () => current });
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 2000, interval: 10 });
    // Without a stop (a crash), the file already holds where the mapping had got to.
    expect(JSON.parse(readFileSync(file, 'utf8')).mappings['change-publisher']).toEqual(at('100'));
    rmSync(file);
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(file)).toBe(false);
    current = at('200');
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 2000, interval: 10 });
    current = at('300');
    k.close();
    expect(takeStreamState(file)?.mappings).toEqual({ 'change-publisher': at('300') });
  });

  it('keeps the given checkpoints of a mapping that did not run this time', () => {
    saveStreamState(file, { mappings: { 'expiry-processor': at('50'), 'change-publisher': at('100') }, ttlDeletions: [] });
    const k = keeper();
    k.track('change-publisher', { checkpoints: () => at('150') });
    k.close();
    expect(takeStreamState(file)?.mappings).toEqual({ 'expiry-processor': at('50'), 'change-publisher': at('150') });
  });

  it('starts every mapping at its starting position when the file is unusable, keeping the file aside', () => {
    saveStreamState(file, { mappings: { f: { streamArn: STREAM, shards: { s: { type: 'AT_TIMESTAMP' } } } } as never, ttlDeletions: [] });
    const logs: string[] = [];
    expect(keeper(logs).resume).toBeUndefined();
    expect(logs).toEqual([expect.stringMatching(/moved to .*\.unreadable; each mapping starts at its starting position$/)]);
    rmSync(`${file}.unreadable`);
  });

  it('writes nothing when no mapping ran', () => {
    keeper().close();
    expect(existsSync(file)).toBe(false);
  });

  it('gives the taken checkpoints back at close when no mapping ran (a start that failed loses nothing)', () => {
    const ttlDeletions = [{ id: 't\u0000k', createdAt: Date.now() }];
    saveStreamState(file, { mappings: { 'change-publisher': at('100') }, ttlDeletions });
    keeper().close();
    expect(takeStreamState(file)).toEqual({ mappings: { 'change-publisher': at('100') }, ttlDeletions });
  });

  it('writes a TTL deletion made while the checkpoints stand still: its stream record is still unread', () => {
    const ttlDeletions = new TtlDeletionRegistry();
    const k = keeper([], ttlDeletions);
    k.track('expiry-processor', { checkpoints: () => at('100') });
    k.save();
    ttlDeletions.begin('t', { PK: { S: 'HOLD#1' } }).settle({ PK: { S: 'HOLD#1' } });
    k.close();
    expect(takeStreamState(file)?.ttlDeletions.map((d) => d.id)).toEqual(['t\u0000{"PK":{"S":"HOLD#1"}}']);
  });

  it('says when a write fails and tries it again at the next save', () => {
    const missing = join(dir, 'not-yet');
    const later = join(missing, 'stream-checkpoints.json');
    const logs: string[] = [];
    const k = keepStreamCheckpoints({ file: later, ttlDeletions: new TtlDeletionRegistry(), log: (line) => logs.push(line), intervalMs: 60_000 });
    keepers.push(k);
    k.track('change-publisher', { checkpoints: () => at('100') });
    k.save();
    expect(logs).toEqual([expect.stringMatching(/^streams: could not keep the checkpoints: /)]);
    mkdirSync(missing);
    k.save();
    expect(takeStreamState(later)?.mappings).toEqual({ 'change-publisher': at('100') });
  });

  it('writes no more once closed, though the checkpoints still move', async () => {
    const k = keeper();
    let current = at('100');
    k.track('change-publisher', { checkpoints: () => current });
    k.close();
    rmSync(file);
    current = at('200');
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(file)).toBe(false);
  });
});
