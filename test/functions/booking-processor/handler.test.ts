// booking-processor against DynamoDB Local: idempotent PENDING writes that never overwrite a later
// state, precise deadline expiry in one transaction, and poison messages failing alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freshTable } from '../../support/dynamodb.ts';
import { documentClient, getItem, lambdaContext, placeHold, putItem, sqsRecord, stubFunctionEnv } from '../support.ts';
import {
  bookingIndexKeys,
  bookingKey,
  holdCounterKey,
  holdKey,
  type BookingItem,
  type BookingRecord,
  type SlotItem,
} from '../../../functions/shared/model.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let doc: DynamoDBDocumentClient;
let handler: (event: SQSEvent, context?: typeof lambdaContext) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  table = await freshTable('bp');
  stubFunctionEnv({ TABLE_NAME: table.tableName });
  doc = documentClient();
  ({ handler } = await import('../../../functions/booking-processor/handler.ts'));
});
afterAll(async () => {
  await table?.drop();
});

const requested = (booking: BookingRecord) => sqsRecord('BookingRequested', JSON.stringify(booking));
const deadline = (booking: BookingRecord) => sqsRecord('HoldDeadline', JSON.stringify(booking));
const run = (...records: ReturnType<typeof sqsRecord>[]) => handler({ Records: records }, lambdaContext);
const booking = (id: string) => getItem<BookingItem & { holdCountReleased?: boolean }>(doc, table.tableName, bookingKey(id));

describe('BookingRequested', () => {
  it('writes the PENDING booking with its index keys, once', async () => {
    const { booking: b } = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 300_000 });
    expect(await run(requested(b))).toEqual({ batchItemFailures: [] });
    const stored = await booking(b.id);
    expect(stored).toEqual({ ...b, ...bookingKey(b.id), ...bookingIndexKeys(b), entity: 'BOOKING' });
    expect(stored?.GSI1PK).toBe(`USER#${b.userId}`);
    expect(stored?.GSI2SK).toBe(`${b.startTime}#${b.id}`);
    // A redelivery changes nothing.
    await putItem(doc, table.tableName, { ...stored, notes: 'marker of the first write' });
    expect(await run(requested(b))).toEqual({ batchItemFailures: [] });
    expect((await booking(b.id))?.notes).toBe('marker of the first write');
  });

  it('never overwrites a booking another path already moved on', async () => {
    for (const status of ['CONFIRMED', 'CANCELLED', 'EXPIRED'] as const) {
      const { booking: b } = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 300_000 });
      const later = { ...b, ...bookingKey(b.id), ...bookingIndexKeys(b), entity: 'BOOKING', status, updatedAt: new Date().toISOString() };
      await putItem(doc, table.tableName, later);
      expect(await run(requested(b))).toEqual({ batchItemFailures: [] });
      expect((await booking(b.id))?.status).toBe(status);
    }
  });

  it('writes nothing for a hold already given back: a failed createBooking leaves no PENDING booking', async () => {
    // The pipeline's compensate step released the slot and deleted the marker after both messages
    // were sent (enqueue-booking timed out on its second send's reply).
    const { booking: b } = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 300_000 });
    await doc.send(new DeleteCommand({ TableName: table.tableName, Key: holdKey(b.id) }));
    expect(await run(requested(b))).toEqual({ batchItemFailures: [] });
    expect(await booking(b.id)).toBeUndefined();
  });
});

describe('HoldDeadline', () => {
  it('expires a PENDING booking whose hold passed: booking, slot, marker and counter in one go', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 10, counter: 2 });
    await run(requested(held.booking));
    expect(await run(deadline(held.booking))).toEqual({ batchItemFailures: [] });
    const stored = await booking(held.booking.id);
    expect(stored).toMatchObject({ status: 'EXPIRED', holdCountReleased: true });
    expect(stored?.expiredAt).toBe(stored?.updatedAt);
    const slot = await getItem<SlotItem>(doc, table.tableName, { PK: held.slot.PK, SK: held.slot.SK });
    expect(slot).toMatchObject({ status: 'AVAILABLE', version: held.slot.version + 1, releaseReason: 'EXPIRED', releasedBookingId: held.booking.id });
    expect(slot).not.toHaveProperty('holdExpiresAt');
    expect(slot).not.toHaveProperty('bookingId');
    expect(slot).not.toHaveProperty('heldBy');
    expect(await getItem(doc, table.tableName, holdKey(held.booking.id))).toBeUndefined();
    expect((await getItem<{ count: number }>(doc, table.tableName, holdCounterKey(held.booking.userId)))?.count).toBe(1);
    // A second deadline (redelivery) releases nothing twice.
    expect(await run(deadline(held.booking))).toEqual({ batchItemFailures: [] });
    expect((await getItem<SlotItem>(doc, table.tableName, { PK: held.slot.PK, SK: held.slot.SK }))?.version).toBe(held.slot.version + 1);
    expect((await getItem<{ count: number }>(doc, table.tableName, holdCounterKey(held.booking.userId)))?.count).toBe(1);
  });

  it('writes a never-written booking as EXPIRED, so nothing is lost', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 10 });
    expect(await run(deadline(held.booking))).toEqual({ batchItemFailures: [] });
    expect(await booking(held.booking.id)).toMatchObject({ ...bookingIndexKeys(held.booking), status: 'EXPIRED', notes: 'window seat' });
    // booking-processor's late first write does not resurrect it.
    await run(requested(held.booking));
    expect((await booking(held.booking.id))?.status).toBe('EXPIRED');
    expect((await getItem<{ count: number }>(doc, table.tableName, holdCounterKey(held.booking.userId)))?.count).toBe(0);
  });

  it('waits out a deadline due within a second, then expires on time', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 400 });
    expect(await run(deadline(held.booking))).toEqual({ batchItemFailures: [] });
    const stored = await booking(held.booking.id);
    expect(stored?.status).toBe('EXPIRED');
    expect(Date.parse(stored!.expiredAt!)).toBeGreaterThanOrEqual(Date.parse(held.booking.holdExpiresAt));
  });

  it('fails a deadline that arrived early, so it is retried, and changes nothing', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 120_000 });
    const record = deadline(held.booking);
    expect(await run(record)).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(await booking(held.booking.id)).toBeUndefined();
    expect((await getItem<SlotItem>(doc, table.tableName, { PK: held.slot.PK, SK: held.slot.SK }))?.status).toBe('HELD');
  });

  it('gives no count back for a hold createBooking already gave back (marker gone, counter already down)', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 10, counter: 2 });
    // What the compensate step wrote: slot released, marker deleted, counter decremented.
    const released = { ...held.slot, status: 'AVAILABLE', version: held.slot.version + 1, holdExpiresAt: undefined, bookingId: undefined, heldBy: undefined };
    await putItem(doc, table.tableName, released);
    await doc.send(new DeleteCommand({ TableName: table.tableName, Key: holdKey(held.booking.id) }));
    await putItem(doc, table.tableName, { ...holdCounterKey(held.booking.userId), entity: 'HOLD_COUNTER', count: 1 });
    expect(await run(deadline(held.booking))).toEqual({ batchItemFailures: [] });
    expect(await booking(held.booking.id)).toMatchObject({ status: 'EXPIRED', holdCountReleased: false });
    expect((await getItem<{ count: number }>(doc, table.tableName, holdCounterKey(held.booking.userId)))?.count).toBe(1);
    expect((await getItem<SlotItem>(doc, table.tableName, { PK: held.slot.PK, SK: held.slot.SK }))?.version).toBe(released.version);
  });

  it('gives the count back for a hold TTL took before its deadline (marker gone, slot still held by it), once', async () => {
    for (const written of [false, true]) {
      const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 10, counter: 2 });
      if (written) await run(requested(held.booking));
      // What TTL did: the marker deleted, nothing else; the backstop's record is late (or lost).
      await doc.send(new DeleteCommand({ TableName: table.tableName, Key: holdKey(held.booking.id) }));
      expect(await run(deadline(held.booking))).toEqual({ batchItemFailures: [] });
      expect(await booking(held.booking.id)).toMatchObject({ status: 'EXPIRED', holdCountReleased: true });
      expect((await getItem<{ count: number }>(doc, table.tableName, holdCounterKey(held.booking.userId)))?.count).toBe(1);
      expect((await getItem<SlotItem>(doc, table.tableName, { PK: held.slot.PK, SK: held.slot.SK }))?.status).toBe('AVAILABLE');
      // A redelivery gives nothing back twice.
      expect(await run(deadline(held.booking))).toEqual({ batchItemFailures: [] });
      expect((await getItem<{ count: number }>(doc, table.tableName, holdCounterKey(held.booking.userId)))?.count).toBe(1);
    }
  });

  it('leaves a confirmed booking and its slot alone', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 10 });
    await putItem(doc, table.tableName, { ...held.booking, ...bookingKey(held.booking.id), ...bookingIndexKeys(held.booking), entity: 'BOOKING', status: 'CONFIRMED' });
    await putItem(doc, table.tableName, { ...held.slot, status: 'BOOKED', holdExpiresAt: undefined, heldBy: undefined });
    expect(await run(deadline(held.booking))).toEqual({ batchItemFailures: [] });
    expect((await booking(held.booking.id))?.status).toBe('CONFIRMED');
    expect((await getItem<SlotItem>(doc, table.tableName, { PK: held.slot.PK, SK: held.slot.SK }))?.status).toBe('BOOKED');
  });
});

describe('poison messages', () => {
  it('fail alone; the rest of the batch is processed', async () => {
    const { booking: b } = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 300_000 });
    const good = requested(b);
    const poison = [
      sqsRecord('BookingRequested', '{not json'),
      sqsRecord(undefined, JSON.stringify(b)),
      sqsRecord('Surprise', JSON.stringify(b)),
      sqsRecord('BookingRequested', JSON.stringify({ ...b, slotId: 'nope' })),
      sqsRecord('HoldDeadline', JSON.stringify({ ...b, holdExpiresAt: 'soon' })),
    ];
    const result = await run(poison[0], good, ...poison.slice(1));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(poison.map((p) => p.messageId).sort());
    expect((await booking(b.id))?.status).toBe('PENDING');
  });

  it('an unknown or missing type fails and changes nothing, even when the hold has passed', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 10, counter: 2 });
    const poison = [sqsRecord('Surprise', JSON.stringify(held.booking)), sqsRecord(undefined, JSON.stringify(held.booking))];
    for (const record of poison) expect(await run(record)).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(await booking(held.booking.id)).toBeUndefined();
    expect(await getItem<SlotItem>(doc, table.tableName, { PK: held.slot.PK, SK: held.slot.SK })).toEqual(held.slot);
    expect(await getItem(doc, table.tableName, holdKey(held.booking.id))).toEqual(held.marker);
    expect((await getItem<{ count: number }>(doc, table.tableName, holdCounterKey(held.booking.userId)))?.count).toBe(2);
  });

  it('a batch of only poison reports each message rather than failing whole', async () => {
    const poison = sqsRecord('BookingRequested', '[]');
    expect(await run(poison)).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
  });
});
