// A retry with an idempotency key while the request that placed the key's hold is still queueing
// it (test/fixtures/api/enqueue-slow-by-key.ts keeps it there): the retry is told to retry, never
// answered a booking the first request may still give back. Once that request has settled, the key
// answers its booking (enqueued) or makes a new attempt (given back).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CreateBookingDocument, GetBookingDocument } from '../../../client/generated/operations.ts';
import { idempotencyKeyOf } from '../../../resolvers/lib/keys.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { ok, providerWithSlots, send, storedItem, subOf, userAuth, waitFor, type Auth, type ProviderWithSlots } from '../flows/fixture.ts';

let server: TestServer;
let schedule: ProviderWithSlots;
let alice: Auth;

beforeAll(async () => {
  server = await startTestServer({ functionEntries: { 'enqueue-booking': 'test/fixtures/api/enqueue-slow-by-key.ts' } });
  alice = await userAuth(server, 'in-flight-alice');
  schedule = await providerWithSlots(server, await userAuth(server, 'in-flight-owner', ['providers']));
});

afterAll(async () => {
  await server?.close();
});

const STILL_PLACING = { errorType: 'SlotUnavailable', message: 'A request with this idempotencyKey is still placing its hold; retry in a moment' };

/** Sends createBooking and, once the key's record is on the table (the hold placed), a retry of it. */
async function retryWhilePlacing(slotId: string, idempotencyKey: string) {
  const input = { slotId, idempotencyKey };
  const first = send(server, alice, CreateBookingDocument, { input });
  const record = await waitFor(async () => storedItem(server, idempotencyKeyOf(subOf(alice), idempotencyKey)), 'the hold placed');
  expect(record).toMatchObject({ enqueued: false });
  const retry = await send(server, alice, CreateBookingDocument, { input });
  return { first: await first, retry, input };
}

it('a retry while the enqueue is failing is told to retry, and after the failure the key makes a new attempt', { timeout: 60_000 }, async () => {
  const { first, retry, input } = await retryWhilePlacing(schedule.slots[0].id, 'slow-fail-1');
  expect(retry.data?.createBooking ?? null).toBeNull();
  expect(retry.errors?.[0]).toMatchObject(STILL_PLACING);
  expect(first.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled' });
  expect(first.errors?.[0].message).toContain('the slot was released');
  // The key's record went with the hold: the next retry is a new attempt (and fails the same way).
  const again = await send(server, alice, CreateBookingDocument, { input });
  expect(again.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled' });
  expect(await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: [], maxActiveHolds: 3 })).toEqual([]);
});

it('a retry while the enqueue is slow but succeeds is told to retry, and after it the key answers that booking', { timeout: 60_000 }, async () => {
  const { first, retry, input } = await retryWhilePlacing(schedule.slots[1].id, 'slow-ok-1');
  expect(retry.errors?.[0]).toMatchObject(STILL_PLACING);
  const booking = first.data?.createBooking;
  expect(booking).toMatchObject({ status: 'PENDING', slotId: input.slotId });
  expect(await storedItem(server, idempotencyKeyOf(subOf(alice), input.idempotencyKey))).toMatchObject({ bookingId: booking?.id, enqueued: true });
  expect((await ok(server, alice, CreateBookingDocument, { input })).createBooking.id).toBe(booking?.id);
  expect((await ok(server, alice, GetBookingDocument, { id: booking?.id as string })).getBooking).toMatchObject({ id: booking?.id, status: 'PENDING' });
});
