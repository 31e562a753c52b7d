// What subscribers receive when a mutation result is published: argument filtering, only the
// fields the mutation selected, the payload and subscription limits, publish order, and a slow
// client that is cut off without holding up the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ackedClient,
  PROVIDER_A,
  PROVIDER_B,
  SLOT_FIELDS,
  slotChange,
  start,
  startHarness,
  subscribe,
  type Harness,
} from './harness.ts';
import type { Frame, RawClient } from './ws-client.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const slotIdOf = (frame: Frame) => (frame.payload!.data as { onSlotChanged: { slotId: string } }).onSlotChanged.slotId;

/** Publishes a sentinel that `id` is sure to receive and returns the data frames `id` got up to it. */
async function framesUntilSentinel(client: RawClient, id: string, sentinel: Record<string, unknown>): Promise<unknown[]> {
  h.realtime.publish('publishSlotChange', sentinel);
  const got: unknown[] = [];
  for (let i = 0; i < 1000; i += 1) {
    const frame = await client.nextOfType('data', id);
    const value = (frame.payload!.data as Record<string, Record<string, unknown>>).onSlotChanged;
    if (value?.slotId === sentinel.slotId) return got;
    got.push(value);
  }
  throw new Error('sentinel never arrived');
}

describe('argument filtering', () => {
  let client: RawClient;
  beforeAll(async () => {
    client = await ackedClient(h);
  });
  afterAll(() => client.close());

  it('arguments match top-level fields of the result by equality; an omitted or null argument matches all', async () => {
    const query = 'subscription W($p: ID!, $d: AWSDate) { onSlotChanged(providerId: $p, date: $d) { slotId } }';
    const aAnyDay = await subscribe(h, client, query, { variables: { p: PROVIDER_A } });
    const aNullDay = await subscribe(h, client, query, { variables: { p: PROVIDER_A, d: null } });
    const aMonday = await subscribe(h, client, query, { variables: { p: PROVIDER_A, d: '2030-01-07' } });
    const bAnyDay = await subscribe(h, client, query, { variables: { p: PROVIDER_B } });
    const events = [
      slotChange({ slotId: 'a-mon', providerId: PROVIDER_A, date: '2030-01-07' }),
      slotChange({ slotId: 'a-tue', providerId: PROVIDER_A, date: '2030-01-08' }),
      slotChange({ slotId: 'b-mon', providerId: PROVIDER_B, date: '2030-01-07' }),
    ];
    for (const e of events) h.realtime.publish('publishSlotChange', e);
    const sentinel = slotChange({ slotId: 'end', providerId: PROVIDER_A, date: '2030-01-07' });
    h.realtime.publish('publishSlotChange', sentinel);
    h.realtime.publish('publishSlotChange', { ...sentinel, providerId: PROVIDER_B });
    const received = async (id: string) => {
      const ids: string[] = [];
      for (;;) {
        const frame = await client.nextOfType('data', id);
        const slotId = slotIdOf(frame);
        if (slotId === 'end') return ids;
        ids.push(slotId);
      }
    };
    expect(await received(aAnyDay)).toEqual(['a-mon', 'a-tue']);
    expect(await received(aNullDay)).toEqual(['a-mon', 'a-tue']);
    expect(await received(aMonday)).toEqual(['a-mon']);
    expect(await received(bAnyDay)).toEqual(['b-mon']);
  });

  it('an argument whose field the mutation did not select matches nothing', async () => {
    const id = await subscribe(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } }`);
    const { providerId: _omitted, ...withoutProvider } = slotChange({ slotId: 'no-provider' });
    expect(h.realtime.publish('publishSlotChange', withoutProvider)).toBe(0);
    expect(await framesUntilSentinel(client, id, slotChange({ slotId: 'sentinel-1' }))).toEqual([]);
  });
});

describe('only the fields the mutation selected', () => {
  let client: RawClient;
  beforeAll(async () => {
    client = await ackedClient(h);
  });
  afterAll(() => client.close());

  // The mutation selected providerId, date, slotId and status only.
  const selected = { providerId: PROVIDER_A, date: '2030-01-07', slotId: 'partial', status: 'HELD' };

  it('a nullable field the mutation did not select is null', async () => {
    const id = await subscribe(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId status previousStatus } }`);
    h.realtime.publish('publishSlotChange', selected);
    expect(await client.nextOfType('data', id)).toEqual({
      type: 'data',
      id,
      payload: { data: { onSlotChanged: { slotId: 'partial', status: 'HELD', previousStatus: null } } },
    });
  });

  it('a non-null field the mutation did not select: the subscription field is null and the payload has an error', async () => {
    const id = await subscribe(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId reason } }`);
    h.realtime.publish('publishSlotChange', selected);
    const frame = await client.nextOfType('data', id);
    expect(frame.payload).toEqual({
      data: { onSlotChanged: null },
      errors: [
        {
          path: ['onSlotChanged', 'reason'],
          locations: null,
          message: "Cannot return null for non-nullable type: 'SlotChangeReason' within parent 'SlotChange' (/onSlotChanged/reason)",
        },
      ],
    });
  });

  it('subscribers with different selections each get their own shape from one publish', async () => {
    const narrow = await subscribe(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } }`);
    const wide = await subscribe(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { ${SLOT_FIELDS} } }`);
    h.realtime.publish('publishSlotChange', slotChange({ slotId: 'full' }));
    expect((await client.nextOfType('data', narrow)).payload).toEqual({ data: { onSlotChanged: { slotId: 'full' } } });
    expect((await client.nextOfType('data', wide)).payload).toEqual({ data: { onSlotChanged: slotChange({ slotId: 'full' }) } });
  });

  it('the same operation with different variables gets each its own shape (@include)', async () => {
    const query = 'subscription S($p: ID!, $full: Boolean!) { onSlotChanged(providerId: $p) { slotId status @include(if: $full) } }';
    const full = await subscribe(h, client, query, { variables: { p: PROVIDER_A, full: true } });
    const lean = await subscribe(h, client, query, { variables: { p: PROVIDER_A, full: false } });
    h.realtime.publish('publishSlotChange', slotChange({ slotId: 'vars' }));
    expect((await client.nextOfType('data', full)).payload).toEqual({ data: { onSlotChanged: { slotId: 'vars', status: 'AVAILABLE' } } });
    expect((await client.nextOfType('data', lean)).payload).toEqual({ data: { onSlotChanged: { slotId: 'vars' } } });
  });
});

describe('limits', () => {
  it('100 subscriptions per connection, then MaxSubscriptionsReachedError; a stop frees a place', async () => {
    const client = await ackedClient(h);
    const query = `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } }`;
    const ids: string[] = [];
    for (let i = 0; i < 100; i += 1) ids.push(await subscribe(h, client, query));
    const { id, reply } = await start(h, client, query);
    expect(reply).toEqual({
      type: 'error',
      id,
      payload: { errors: [{ errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 100 subscriptions reached' }] },
    });
    // All 100 are live.
    expect(h.realtime.publish('publishSlotChange', slotChange())).toBeGreaterThanOrEqual(100);
    client.send({ type: 'stop', id: ids[0] });
    await client.nextOfType('complete', ids[0]);
    expect((await start(h, client, query)).reply.type).toBe('start_ack');
    client.close();
  });

  it('a payload over 240 KB is dropped, one at the limit is delivered', async () => {
    const client = await ackedClient(h);
    const id = await subscribe(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } }`);
    const overhead = Buffer.byteLength(JSON.stringify({ data: { onSlotChanged: { slotId: '' } } }));
    const atLimit = 'x'.repeat(240 * 1024 - overhead);
    h.realtime.publish('publishSlotChange', slotChange({ slotId: `${atLimit}y` }));
    h.realtime.publish('publishSlotChange', slotChange({ slotId: atLimit }));
    const first = await client.nextOfType('data', id);
    expect(slotIdOf(first)).toBe(atLimit);
    client.close();
  });
});

describe('ordering and slow clients', () => {
  it('delivers in publish order, per subscription', async () => {
    const client = await ackedClient(h);
    const first = await subscribe(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } }`);
    const second = await subscribe(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId status } }`);
    const sent = Array.from({ length: 300 }, (_, i) => `seq-${i}`);
    for (const slotId of sent) h.realtime.publish('publishSlotChange', slotChange({ slotId }));
    for (const id of [first, second]) {
      const got: string[] = [];
      for (let i = 0; i < sent.length; i += 1) {
        got.push(slotIdOf(await client.nextOfType('data', id)));
      }
      expect(got).toEqual(sent);
    }
    client.close();
  });

  it('a client that stops reading is disconnected; the others keep receiving everything', async () => {
    const small = await startHarness({ maxBufferedBytes: 64 * 1024 });
    try {
      const query = `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } }`;
      const fast = await ackedClient(small);
      const slow = await ackedClient(small);
      const fastId = await subscribe(small, fast, query);
      await subscribe(small, slow, query);
      slow.ws.pause();
      const big = 'z'.repeat(200 * 1024);
      let published = 0;
      // Bounded: the kernel's socket buffers absorb a few MB before the server's own buffer grows.
      for (let i = 0; i < 400 && small.realtime.connectionCount === 2; i += 1) {
        small.realtime.publish('publishSlotChange', slotChange({ slotId: `${i}:${big}` }));
        published += 1;
        const frame = await fast.nextOfType('data', fastId);
        expect(slotIdOf(frame).startsWith(`${i}:`)).toBe(true);
      }
      expect(small.realtime.connectionCount).toBe(1);
      expect(small.realtime.subscriptionCount).toBe(1);
      // The fast client still gets new events after the slow one is gone.
      small.realtime.publish('publishSlotChange', slotChange({ slotId: 'after' }));
      expect((await fast.nextOfType('data', fastId)).payload).toEqual({ data: { onSlotChanged: { slotId: 'after' } } });
      expect(published).toBeGreaterThan(1);
      slow.ws.resume();
      await slow.closed();
      expect(slow.closeCode).toBe(1006);
      fast.close();
    } finally {
      await small.close();
    }
  });
});
