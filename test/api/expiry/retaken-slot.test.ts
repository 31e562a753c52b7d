// Effective status (DESIGN §4) meets a late expiry (§5): a hold whose time is up reads and books as
// AVAILABLE before anything has cleaned it up. Another user takes and confirms the slot; when the
// old hold's expiry finally runs (here the TTL backstop: the deadline message is dropped and the
// TTL sweeper runs only every 15 s), it expires the old booking and gives its user's count back,
// but must not release the slot that now belongs to someone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmBookingDocument, CreateBookingDocument, GetBookingDocument, GetSlotDocument } from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { createSchedule, ok, userAuth, waitFor, type Schedule } from '../../fixtures/api/schedule.ts';
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
  schedule = await createSchedule(server, 1);
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

    const expired = await waitFor(
      "alice's booking to be EXPIRED by the backstop",
      async () => {
        const { getBooking } = await ok(server, alice, GetBookingDocument, { id: stale.id });
        return getBooking?.status === 'EXPIRED' ? getBooking : undefined;
      },
      TTL_INTERVAL_MS + 20_000,
    );
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
