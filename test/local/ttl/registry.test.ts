// The TTL deletion registry's answers: by key and deleted image, waiting for a delete in flight,
// never consumed (two event sources read the same stream), bounded by age.
import { describe, expect, it } from 'vitest';
import { TtlDeletionRegistry } from '../../../local/ttl/registry.ts';

const key = { PK: { S: 'HOLD#b1' }, SK: { S: 'HOLD' } };
const sdkImage = { ...key, ttl: { N: '100' }, blob: { B: new Uint8Array([1, 2, 3]) }, tags: { SS: ['b', 'a'] } };
// The same image as a Lambda stream record carries it: binary as base64, set order not significant.
const streamImage = { tags: { SS: ['a', 'b'] }, blob: { B: 'AQID' }, ttl: { N: '100' }, SK: { S: 'HOLD' }, PK: { S: 'HOLD#b1' } };

describe('TtlDeletionRegistry', () => {
  it('answers by key and deleted image, the same for every asker', async () => {
    const registry = new TtlDeletionRegistry();
    registry.begin('t', key).settle(sdkImage);
    expect(await registry.isTtlDeletion('t', key, streamImage)).toBe(true);
    expect(await registry.isTtlDeletion('t', key, streamImage)).toBe(true);
    expect(await registry.isTtlDeletion('t', key)).toBe(true);
    // A later user delete of a re-created item with other content is not the TTL delete.
    expect(await registry.isTtlDeletion('t', key, { ...streamImage, ttl: { N: '999' } })).toBe(false);
    expect(await registry.isTtlDeletion('other-table', key, streamImage)).toBe(false);
  });

  it('waits for a delete in flight before answering', async () => {
    const registry = new TtlDeletionRegistry();
    const deleted = registry.begin('t', key);
    const kept = registry.begin('t', { PK: { S: 'HOLD#b2' }, SK: { S: 'HOLD' } });
    const answers = Promise.all([registry.isTtlDeletion('t', key), registry.isTtlDeletion('t', { PK: { S: 'HOLD#b2' }, SK: { S: 'HOLD' } })]);
    deleted.settle(sdkImage);
    kept.settle(undefined);
    expect(await answers).toEqual([true, false]);
  });

  it('forgets deletions after the retention time and beyond the maximum count', async () => {
    let now = 0;
    const registry = new TtlDeletionRegistry({ retentionMs: 1000, maxEntries: 2, now: () => now });
    registry.begin('t', key).settle(sdkImage);
    now = 2000;
    expect(await registry.isTtlDeletion('t', key)).toBe(false);
    const keys = [1, 2, 3].map((i) => ({ PK: { S: `HOLD#${i}` }, SK: { S: 'HOLD' } }));
    for (const k of keys) registry.begin('t', k).settle(k);
    expect(await registry.isTtlDeletion('t', keys[0])).toBe(false);
    expect(await registry.isTtlDeletion('t', keys[2])).toBe(true);
  });

  it('keeps its deletions across a snapshot taken back by another registry (a restart): made ones only, newest first under the cap', async () => {
    let now = 10_000;
    const before = new TtlDeletionRegistry({ now: () => now });
    before.begin('t', key).settle(sdkImage);
    const other = { PK: { S: 'HOLD#b2' }, SK: { S: 'HOLD' } };
    before.begin('t', other).settle(undefined);
    before.begin('t', { PK: { S: 'HOLD#b3' }, SK: { S: 'HOLD' } }); // in flight: its outcome is unknown
    const saved = JSON.parse(JSON.stringify(before.snapshot()));
    expect(saved).toHaveLength(1);

    const after = new TtlDeletionRegistry({ now: () => now });
    expect(after.restore(saved)).toBe(1);
    expect(await after.isTtlDeletion('t', key, streamImage)).toBe(true);
    expect(await after.isTtlDeletion('t', key, { ...streamImage, ttl: { N: '999' } })).toBe(false);
    expect(await after.isTtlDeletion('t', other)).toBe(false);

    now += 20 * 60_000;
    expect(new TtlDeletionRegistry({ now: () => now }).restore(saved)).toBe(0);
    const many = [1, 2, 3].map((i) => ({ id: `t\u0000k${i}`, createdAt: now - i }));
    const capped = new TtlDeletionRegistry({ now: () => now, maxEntries: 2 });
    expect(capped.restore(many)).toBe(2);
    expect(capped.snapshot().map((d) => d.id)).toEqual(['t\u0000k1', 't\u0000k2']);
  });
});

