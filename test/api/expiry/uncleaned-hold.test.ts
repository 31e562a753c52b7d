// Effective status (DESIGN §4) meets a late expiry (§5): a hold whose time is up reads, books and
// deletes as AVAILABLE before anything has cleaned it up. Here the expiry comes late on purpose:
// the deadline message is dropped and the TTL sweeper runs only every 15 s, so the backstop is
// what finally expires the old booking.
// - Another user takes and confirms the slot: the expiry gives the old user's count back but must
//   not release the slot that now belongs to someone else.
// - The provider deletes the slot: the expiry settles the booking without a slot and must not
//   bring the slot back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmBookingDocument, CreateBookingDocument, DeleteSlotDocument, GetBookingDocument, GetSlotDocument } from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { createSchedule, expiredBooking, ok, userAuth, waitFor, type Schedule } from '../../fixtures/api/schedule.ts';
import { storedHold } from '../../fixtures/api/table.ts';
import { settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

const TTL_INTERVAL_MS = 15_000;

let server: TestServer;
let schedule: Schedule;

beforeAll(async () => {
  server = await startTestServer({
    env: { HOLD_SECONDS: '2', MAX_ACTIVE_HOLDS: '3' },
    functionEntries: { 'enqueue-booking': 'test/fixtures/api/enqueue-without-deadline.ts' },
    ttlIntervalMs: TTL_INTERVAL_MS,
  });
  schedule = await createSchedule(server, 2);
});

afterAll(async () => {
  await server?.close();
});

describe('a slot taken over an expired hold that nothing has cleaned up yet', () => {
  it('stays with its new owner when the old hold is finally expired', { timeout: 60_000 }, async () => {
    const slotId = schedule.slotIds[0];
    const alice = await userAuth(server, 'alice');
    const bob = await userAuth(server, 'bob');
    const { createBooking: stale } = await ok(server, alice, CreateBookingDocument, { input: { slotId } });
    await waitFor('the hold to read as AVAILABLE', async () => {
      const { getSlot } = await ok(server, bob, GetSlotDocument, { id: slotId });
      return getSlot?.status === 'AVAILABLE' ? true : undefined;
    });

    const { createBooking: fresh } = await ok(server, bob, CreateBookingDocument, { input: { slotId } });
    // The point of the scenario: alice's hold was still on the table, uncleaned, when bob took the slot.
    const before = await storedHold(server, stale);
    expect(before.marker, 'the TTL sweep came before the re-hold; the scenario did not happen').toBeDefined();
    expect(before.booking).toMatchObject({ status: 'PENDING' });
    expect(before.counter).toBe(1);
    const { confirmBooking } = await ok(server, bob, ConfirmBookingDocument, { id: fresh.id });
    expect(confirmBooking.status).toBe('CONFIRMED');

    const expired = await expiredBooking(server, alice, stale.id, TTL_INTERVAL_MS + 20_000);
    expect(expired.id).toBe(stale.id);
    const after = await storedHold(server, stale);
    expect(after.marker).toBeUndefined();
    expect(after.counter).toBe(0);
    expect(after.slot).toMatchObject({ status: 'BOOKED', bookingId: fresh.id });
    expect((await ok(server, bob, GetBookingDocument, { id: fresh.id })).getBooking?.status).toBe('CONFIRMED');

    const violations = await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: [stale.id, fresh.id] });
    expect(violations).toEqual([]);
  });
});

describe('a slot whose hold lapsed, deleted before anything cleaned the hold up', () => {
  it('is deleted, and the late expiry settles the booking without bringing the slot back', { timeout: 60_000 }, async () => {
    const slotId = schedule.slotIds[1];
    const carol = await userAuth(server, 'carol');
    const { createBooking: lapsed } = await ok(server, carol, CreateBookingDocument, { input: { slotId } });
    await waitFor('the hold to read as AVAILABLE', async () => {
      const { getSlot } = await ok(server, schedule.providerAuth, GetSlotDocument, { id: slotId });
      return getSlot?.status === 'AVAILABLE' ? true : undefined;
    });
    const before = await storedHold(server, lapsed);
    expect(before.slot, 'the TTL sweep came before the delete; the scenario did not happen').toMatchObject({ status: 'HELD', bookingId: lapsed.id });
    expect(before.marker).toBeDefined();

    const { deleteSlot } = await ok(server, schedule.providerAuth, DeleteSlotDocument, { id: slotId });
    expect(deleteSlot).toMatchObject({ id: slotId, status: 'AVAILABLE', holdExpiresAt: null });
    expect((await ok(server, carol, GetSlotDocument, { id: slotId })).getSlot).toBeNull();

    const expired = await expiredBooking(server, carol, lapsed.id, TTL_INTERVAL_MS + 20_000);
    expect(expired.slotId).toBe(slotId);
    const after = await storedHold(server, lapsed);
    expect(after.slot).toBeUndefined();
    expect(after.marker).toBeUndefined();
    expect(after.counter).toBe(0);
    expect(after.booking).toMatchObject({ status: 'EXPIRED', holdCountReleased: true });

    const violations = await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: [lapsed.id] });
    expect(violations).toEqual([]);
  });
});
