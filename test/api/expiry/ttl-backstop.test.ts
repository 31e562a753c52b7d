// DESIGN §5 "TTL + Streams": with the HoldDeadline message lost (enqueue-booking replaced by a
// handler that sends only BookingRequested), the hold marker's TTL deletion reaches
// expiry-processor through the stream, which expires the booking and gives the slot and the
// user's hold count back. TTL has one-second granularity and the sweeper runs every second, so
// the waits are generous and bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfirmBookingDocument,
  CreateBookingDocument,
  OnSlotReleasedDocument,
} from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { drained, sqsClient } from '../../fixtures/api/queues.ts';
import { subscribe } from '../../fixtures/api/realtime.ts';
import { createSchedule, expiredBooking, ok, outcome, send, userAuth, waitFor, type Schedule } from '../../fixtures/api/schedule.ts';
import { storedHold } from '../../fixtures/api/table.ts';
import { settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

let server: TestServer;
let schedule: Schedule;

beforeAll(async () => {
  server = await startTestServer({
    env: { HOLD_SECONDS: '2', MAX_ACTIVE_HOLDS: '3' },
    functionEntries: { 'enqueue-booking': 'test/fixtures/api/enqueue-without-deadline.ts' },
  });
  schedule = await createSchedule(server, 1);
});

afterAll(async () => {
  await server?.close();
});

describe('a hold whose deadline message was lost', () => {
  it('is still expired and released by the TTL + stream backstop', async () => {
    const slotId = schedule.slotIds[0];
    const erin = await userAuth(server, 'erin');
    const watcher = await subscribe(server, OnSlotReleasedDocument, { providerId: schedule.providerId, date: schedule.date });
    try {
      const { createBooking: hold } = await ok(server, erin, CreateBookingDocument, { input: { slotId } });

      // Only BookingRequested was queued: once it is consumed nothing else is coming from SQS.
      const sqs = sqsClient(server);
      await waitFor('BookingRequested to be consumed', () => drained(sqs, server.queueUrl('bookings')));
      sqs.destroy();

      const expired = await expiredBooking(server, erin, hold.id, 45_000);
      expect(expired.expiredAt! >= hold.holdExpiresAt!).toBe(true);

      const stored = await storedHold(server, hold);
      expect(stored.slot).toMatchObject({ status: 'AVAILABLE', releasedBookingId: hold.id, releaseReason: 'EXPIRED' });
      expect(stored.marker).toBeUndefined();
      // The TTL path gives the count back itself (the marker went without a decrement).
      expect(stored.booking).toMatchObject({ status: 'EXPIRED', holdCountReleased: true });
      expect(stored.counter).toBe(0);

      const released = await watcher.next(
        (e) => e.onSlotReleased?.slotId === slotId && e.onSlotReleased.previousStatus !== null,
        `onSlotReleased for ${slotId}`,
      );
      expect(released.onSlotReleased).toMatchObject({ status: 'AVAILABLE', previousStatus: 'HELD', reason: 'EXPIRED' });

      expect(outcome(await send(server, erin, ConfirmBookingDocument, { id: hold.id }))).toBe('HoldExpired');
      expect(await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: [hold.id] })).toEqual([]);
    } finally {
      watcher.close();
    }
  });
});
