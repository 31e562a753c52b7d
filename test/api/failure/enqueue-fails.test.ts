// createBooking when enqueue-booking fails (DESIGN §5 step 4): the compensate step gives the hold
// back in one transaction, so the failed call leaves the table as it was, apart from the slot's
// version (each write to a slot counts, and the hold and its release are two) and the user's
// active-hold counter, written and given back (0), and says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBookingDocument, GetSlotDocument } from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { activeHolds, ok, providerWithSlots, send, subOf, tableSnapshot, userAuth, type Auth, type ProviderWithSlots } from '../flows/fixture.ts';

let server: TestServer;
let schedule: ProviderWithSlots;
let alice: Auth;

beforeAll(async () => {
  server = await startTestServer({ functionEntries: { 'enqueue-booking': 'test/fixtures/api/enqueue-booking-failing.ts' } });
  const owner = await userAuth(server, 'enqueue-owner', ['providers']);
  alice = await userAuth(server, 'enqueue-alice');
  schedule = await providerWithSlots(server, owner);
});

afterAll(async () => {
  await server?.close();
});

/** The table without slot versions (and their update times), which every write moves on, and without counters at 0. */
async function comparableSnapshot(): Promise<Map<string, Record<string, unknown>>> {
  const items = await tableSnapshot(server);
  for (const [key, item] of items) {
    if (item.entity === 'SLOT') {
      delete item.version;
      delete item.updatedAt;
    }
    if (item.entity === 'HOLD_COUNTER' && item.count === 0) items.delete(key);
  }
  return items;
}

describe('enqueue-booking failing', () => {
  it('releases the hold, leaves nothing behind, and answers with the Lambda error and what happened', async () => {
    const slot = schedule.slots[0];
    const before = await comparableSnapshot();
    for (const input of [{ slotId: slot.id }, { slotId: slot.id, idempotencyKey: 'enqueue-try-1' }, { slotId: slot.id, idempotencyKey: 'enqueue-try-1' }]) {
      const answer = await send(server, alice, CreateBookingDocument, { input });
      expect(answer.data?.createBooking ?? null).toBeNull();
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors?.[0].errorType).toBe('Lambda:Unhandled');
      expect(answer.errors?.[0].message).toBe(
        'The booking could not be queued (SQS SendMessage failed: the bookings queue is unreachable); the slot was released. Try again.',
      );
      // No hold marker, no counted hold, no idempotency record, no booking: a retry of the same key
      // tries again rather than answering a booking that never was.
      expect(await comparableSnapshot()).toEqual(before);
      expect(await activeHolds(server, subOf(alice))).toBe(0);
      expect((await ok(server, alice, GetSlotDocument, { id: slot.id })).getSlot).toMatchObject({ status: 'AVAILABLE', holdExpiresAt: null });
    }
    expect(await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: [], maxActiveHolds: 3 })).toEqual([]);
  });
});
