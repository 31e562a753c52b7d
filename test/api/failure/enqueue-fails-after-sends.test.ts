// createBooking when enqueue-booking fails after both sends and booking-processor has already
// written the PENDING record (test/fixtures/api/enqueue-sends-then-fails.ts): the compensate step
// gives the hold back and takes that record with it, so the caller told "released" finds no PENDING
// booking, and the HoldDeadline later records the attempt as EXPIRED without giving a count back twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CreateBookingDocument, GetBookingDocument, GetSlotDocument, MyBookingsDocument } from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { activeHolds, ok, providerWithSlots, send, subOf, userAuth, waitFor, type Auth, type ProviderWithSlots } from '../flows/fixture.ts';

let server: TestServer;
let schedule: ProviderWithSlots;
let alice: Auth;

beforeAll(async () => {
  server = await startTestServer({ env: { HOLD_SECONDS: '3' }, functionEntries: { 'enqueue-booking': 'test/fixtures/api/enqueue-sends-then-fails.ts' } });
  alice = await userAuth(server, 'late-fail-alice');
  schedule = await providerWithSlots(server, await userAuth(server, 'late-fail-owner', ['providers']));
});

afterAll(async () => {
  await server?.close();
});

it('a createBooking that fails after booking-processor wrote PENDING leaves no PENDING booking, then an EXPIRED one', { timeout: 60_000 }, async () => {
  const slot = schedule.slots[0];
  const answer = await send(server, alice, CreateBookingDocument, { input: { slotId: slot.id } });
  expect(answer.data?.createBooking ?? null).toBeNull();
  expect(answer.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled' });
  expect(answer.errors?.[0].message).toContain('the slot was released');
  expect(await activeHolds(server, subOf(alice))).toBe(0);
  expect((await ok(server, alice, GetSlotDocument, { id: slot.id })).getSlot).toMatchObject({ status: 'AVAILABLE' });
  expect((await ok(server, alice, MyBookingsDocument, {})).myBookings.items).toEqual([]);

  // The HoldDeadline, sent before the failure, records the attempt once the hold has passed.
  const [expired] = await waitFor(async () => {
    const { items } = (await ok(server, alice, MyBookingsDocument, {})).myBookings;
    return items.length > 0 && items.every((b) => b.status === 'EXPIRED') ? items : undefined;
  }, 'the attempt recorded EXPIRED', 30_000);
  expect((await ok(server, alice, GetBookingDocument, { id: expired.id })).getBooking).toMatchObject({ status: 'EXPIRED', slotId: slot.id });
  expect(await activeHolds(server, subOf(alice))).toBe(0);
  expect(await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: [], maxActiveHolds: 3 })).toEqual([]);
});
