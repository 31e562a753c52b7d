// DESIGN §5 expiry with HOLD_SECONDS=2: an unconfirmed hold becomes EXPIRED, its slot is given back
// (stored AVAILABLE, not only read so) and watchers hear onSlotReleased over the real-time socket;
// confirming afterwards is HoldExpired. A deadline that finds its booking already settled changes
// nothing: a hold is released once.
//
// This is the precise path, the HoldDeadline message: the local TTL sweeper is held off for the
// whole file (as DynamoDB's TTL may take days), so nothing else can expire a hold here. The TTL
// backstop has its own test (ttl-backstop.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateBookingDocument,
  GetBookingDocument,
  GetSlotDocument,
  OnSlotReleasedDocument,
} from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { drained, sqsClient } from '../../fixtures/api/queues.ts';
import { subscribe } from '../../fixtures/api/realtime.ts';
import { createSchedule, expiredBooking, ok, outcome, send, userAuth, waitFor, type Schedule } from '../../fixtures/api/schedule.ts';
import { storedHold } from '../../fixtures/api/table.ts';
import { settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

/** Longer than the file runs: the TTL sweeper never gets to the hold markers. */
const TTL_HELD_OFF_MS = 10 * 60_000;

let server: TestServer;
let schedule: Schedule;
const accepted: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { HOLD_SECONDS: '2', MAX_ACTIVE_HOLDS: '3' }, ttlIntervalMs: TTL_HELD_OFF_MS });
  schedule = await createSchedule(server, 2);
});

afterAll(async () => {
  await server?.close();
});

describe('an unconfirmed hold', () => {
  it('expires, gives the slot back, tells watchers, and cannot be confirmed afterwards', async () => {
    const slotId = schedule.slotIds[0];
    const alice = await userAuth(server, 'alice');
    const watcher = await subscribe(server, OnSlotReleasedDocument, { providerId: schedule.providerId, date: schedule.date });
    try {
      const { createBooking: hold } = await ok(server, alice, CreateBookingDocument, { input: { slotId } });
      accepted.push(hold.id);
      expect(hold.status).toBe('PENDING');

      // The slot's own GENERATED event (AVAILABLE too) may still be on its way: wait for the release.
      const released = await watcher.next(
        (e) => e.onSlotReleased?.slotId === slotId && e.onSlotReleased.previousStatus !== null,
        `onSlotReleased for ${slotId}`,
        30_000,
      );
      expect(released.onSlotReleased).toMatchObject({
        providerId: schedule.providerId,
        date: schedule.date,
        slotId,
        status: 'AVAILABLE',
        previousStatus: 'HELD',
        reason: 'EXPIRED',
      });

      const expired = await expiredBooking(server, alice, hold.id);
      expect(expired.expiredAt).not.toBeNull();
      expect(expired.expiredAt! >= hold.holdExpiresAt!).toBe(true);

      const { getSlot } = await ok(server, alice, GetSlotDocument, { id: slotId });
      expect(getSlot).toMatchObject({ status: 'AVAILABLE', holdExpiresAt: null });
      const stored = await storedHold(server, hold);
      expect(stored.slot).toMatchObject({ status: 'AVAILABLE', releasedBookingId: hold.id, releaseReason: 'EXPIRED' });
      expect(stored.slot?.bookingId).toBeUndefined();
      // The deadline deleted the marker itself (its TTL had not been swept) and gave the count back.
      expect(stored.marker).toBeUndefined();
      expect(stored.booking).toMatchObject({ status: 'EXPIRED', holdCountReleased: true });
      expect(stored.counter).toBe(0);

      const confirm = await send(server, alice, ConfirmBookingDocument, { id: hold.id });
      expect(outcome(confirm)).toBe('HoldExpired');
      expect(confirm.errors?.[0].message).toContain(hold.id);

      // The slot is bookable again.
      const { createBooking: next } = await ok(server, await userAuth(server, 'bob'), CreateBookingDocument, { input: { slotId } });
      accepted.push(next.id);
    } finally {
      watcher.close();
    }
    expect(await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: accepted })).toEqual([]);
  });
});

describe('a deadline that arrives after the hold was settled', () => {
  it('does not release the slot a second time', async () => {
    const slotId = schedule.slotIds[1];
    const carol = await userAuth(server, 'carol');
    const dave = await userAuth(server, 'dave');
    const { createBooking: first } = await ok(server, carol, CreateBookingDocument, { input: { slotId } });
    accepted.push(first.id);
    await ok(server, carol, CancelBookingDocument, { id: first.id, reason: 'changed my mind' });
    // Dave takes and confirms the slot before carol's HoldDeadline message comes due.
    const { createBooking: second } = await ok(server, dave, CreateBookingDocument, { input: { slotId } });
    accepted.push(second.id);
    await ok(server, dave, ConfirmBookingDocument, { id: second.id });

    const sqs = sqsClient(server);
    await waitFor('both HoldDeadline messages to be consumed', () => drained(sqs, server.queueUrl('bookings')), 30_000);
    sqs.destroy();

    const { getBooking: cancelled } = await ok(server, carol, GetBookingDocument, { id: first.id });
    expect(cancelled?.status).toBe('CANCELLED');
    const { getBooking: booked } = await ok(server, dave, GetBookingDocument, { id: second.id });
    expect(booked?.status).toBe('CONFIRMED');
    const stored = await storedHold(server, second);
    expect(stored.slot).toMatchObject({ status: 'BOOKED', bookingId: second.id });
    expect((await storedHold(server, first)).counter).toBe(0);
    expect(stored.counter).toBe(0);
    expect(await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: accepted })).toEqual([]);
  });
});
