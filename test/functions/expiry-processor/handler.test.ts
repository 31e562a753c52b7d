// expiry-processor on stream records of the real shape (TTL deletions of hold markers), and the
// race with booking-processor's HoldDeadline: whichever order, a hold is released exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freshTable } from '../../support/dynamodb.ts';
import { documentClient, getItem, lambdaContext, placeHold, putItem, sqsRecord, stubFunctionEnv, ttlRemoveRecord, type HeldBooking } from '../support.ts';
import { availabilityLockKey, bookingIndexKeys, bookingKey, holdCounterKey, holdKey, type BookingItem, type SlotItem } from '../../../functions/shared/model.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let doc: DynamoDBDocumentClient;
let expiry: (event: DynamoDBStreamEvent, context?: typeof lambdaContext) => Promise<DynamoDBBatchResponse>;
let bookings: (event: SQSEvent, context?: typeof lambdaContext) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  table = await freshTable('exp');
  stubFunctionEnv({ TABLE_NAME: table.tableName });
  doc = documentClient();
  ({ handler: expiry } = await import('../../../functions/expiry-processor/handler.ts'));
  ({ handler: bookings } = await import('../../../functions/booking-processor/handler.ts'));
});
afterAll(async () => {
  await table?.drop();
});

/** What TTL does: deletes the marker on its own, and the stream reports it. */
async function ttlDeletes(held: HeldBooking): Promise<DynamoDBRecord> {
  await doc.send(new DeleteCommand({ TableName: table.tableName, Key: holdKey(held.booking.id) }));
  return ttlRemoveRecord(held.marker);
}

async function state(held: HeldBooking) {
  const [booking, slot, counter, marker] = await Promise.all([
    getItem<BookingItem>(doc, table.tableName, bookingKey(held.booking.id)),
    getItem<SlotItem>(doc, table.tableName, { PK: held.slot.PK, SK: held.slot.SK }),
    getItem<{ count: number }>(doc, table.tableName, holdCounterKey(held.booking.userId)),
    getItem(doc, table.tableName, holdKey(held.booking.id)),
  ]);
  return { booking: booking?.status, slot: slot?.status, version: slot?.version, count: counter?.count, marker: !!marker };
}

const released = (held: HeldBooking, countBefore: number) => ({
  booking: 'EXPIRED',
  slot: 'AVAILABLE',
  version: held.slot.version + 1,
  count: countBefore - 1,
  marker: false,
});

describe('expiry-processor', () => {
  it('expires the booking and releases the slot for a TTL deletion, idempotently', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 1000, counter: 2 });
    await putItem(doc, table.tableName, { ...held.booking, ...bookingKey(held.booking.id), ...bookingIndexKeys(held.booking), entity: 'BOOKING' });
    const record = await ttlDeletes(held);
    expect(await expiry({ Records: [record] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await state(held)).toEqual(released(held, 2));
    // The stream delivers again after a partial failure elsewhere: nothing moves twice.
    expect(await expiry({ Records: [record] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await state(held)).toEqual(released(held, 2));
  });

  it('ignores deletions that were not TTL (confirm, cancel and the deadline settle their own holds)', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 1000 });
    const record = ttlRemoveRecord(held.marker);
    delete record.userIdentity;
    expect(await expiry({ Records: [record] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await state(held)).toMatchObject({ booking: undefined, slot: 'HELD', count: 1 });
  });

  it('ignores the TTL deletion of an item that is not a hold marker (an availability lock also carries a ttl)', async () => {
    // The deployed filter passes HOLD# keys only; the handler does not rely on it.
    const lock = { ...availabilityLockKey('prov-expiry'), entity: 'AVAILABILITY_LOCK', ttl: Math.floor(Date.now() / 1000) - 5 };
    const record = ttlRemoveRecord(lock as unknown as HeldBooking['marker']);
    expect(await expiry({ Records: [record] }, lambdaContext)).toEqual({ batchItemFailures: [] });
  });

  it('reports a record it cannot process by SequenceNumber, and processes the rest', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 1000 });
    const good = await ttlDeletes(held);
    const bad = ttlRemoveRecord({ ...held.marker, slotId: 'not-a-slot', booking: undefined });
    const result = await expiry({ Records: [bad, good] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: bad.dynamodb!.SequenceNumber }]);
    expect(await state(held)).toEqual(released(held, 1));
  });

  it('retries a hold that TTL removed before its expiry (skewed clocks) instead of expiring it early', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 120_000 });
    const record = await ttlDeletes(held);
    expect((await expiry({ Records: [record] }, lambdaContext)).batchItemFailures).toHaveLength(1);
    expect(await state(held)).toMatchObject({ booking: undefined, slot: 'HELD' });
  });
});

describe('HoldDeadline and the TTL backstop racing', () => {
  const deadline = (held: HeldBooking) => bookings({ Records: [sqsRecord('HoldDeadline', JSON.stringify(held.booking))] }, lambdaContext);

  it('release once when both arrive together, the booking written or not', async () => {
    for (let round = 0; round < 8; round++) {
      const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 500, counter: 3 });
      if (round % 2 === 0) {
        await putItem(doc, table.tableName, { ...held.booking, ...bookingKey(held.booking.id), ...bookingIndexKeys(held.booking), entity: 'BOOKING' });
      }
      const record = await ttlDeletes(held);
      const [fromQueue, fromStream] = await Promise.all([deadline(held), expiry({ Records: [record] }, lambdaContext)]);
      expect(fromQueue.batchItemFailures).toEqual([]);
      expect(fromStream.batchItemFailures).toEqual([]);
      expect(await state(held)).toEqual(released(held, 3));
    }
  });

  it('release once when the deadline comes after TTL took the marker, then the stream record (or never: lost to stream-failures)', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 500, counter: 2 });
    const record = await ttlDeletes(held);
    await deadline(held);
    // The slot still held by this booking says TTL took the marker: the deadline gives the count back.
    expect(await state(held)).toEqual(released(held, 2));
    await expiry({ Records: [record] }, lambdaContext);
    await expiry({ Records: [record] }, lambdaContext);
    expect(await state(held)).toEqual(released(held, 2));
  });

  it('release once when the deadline deleted the marker itself (TTL never fires then)', async () => {
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() - 500, counter: 2 });
    await deadline(held);
    await deadline(held);
    expect(await state(held)).toEqual(released(held, 2));
  });
});
