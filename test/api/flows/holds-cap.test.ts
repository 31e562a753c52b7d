// DESIGN §5 active-hold cap (MAX_ACTIVE_HOLDS, here 2): the next hold is TooManyHolds and leaves
// nothing behind; confirming or cancelling gives a hold back, and the counter follows. HOLD_SECONDS
// over its maximum is cut to 900.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateBookingDocument,
  GetSlotDocument,
} from '../../../client/generated/operations.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { activeHolds, dateInDays, ok, providerWithSlots, recordWritten, refusal, subOf, tableSnapshot, userAuth, type Auth, type ProviderWithSlots } from './fixture.ts';

let server: TestServer;
let schedule: ProviderWithSlots;

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_ACTIVE_HOLDS: '2', HOLD_SECONDS: '900' } });
  const owner = await userAuth(server, 'cap-owner', ['providers']);
  schedule = await providerWithSlots(server, owner, { day: dateInDays(3), endTime: '15:00' });
});

afterAll(async () => {
  await server?.close();
});

describe('MAX_ACTIVE_HOLDS', () => {
  it('refuses a hold over the cap with TooManyHolds, and lets one more in after each confirm or cancel', async () => {
    const alice: Auth = await userAuth(server, 'cap-alice');
    const userId = subOf(alice);
    const [s1, s2, s3, s4, s5] = schedule.slots;
    const book = async (slotId: string) => (await ok(server, alice, CreateBookingDocument, { input: { slotId } })).createBooking;

    const first = await book(s1.id);
    const second = await book(s2.id);
    expect(await activeHolds(server, userId)).toBe(2);

    // booking-processor writes the PENDING records in the background: let it finish first, so the
    // snapshot below changes only if the refused call wrote something.
    await Promise.all([first, second].map((b) => recordWritten(server, b.id)));
    const before = await tableSnapshot(server);
    const refused = await refusal(server, alice, CreateBookingDocument, { input: { slotId: s3.id, idempotencyKey: 'third' } });
    expect(refused.errorType).toBe('TooManyHolds');
    expect(refused.message).toBe('You already hold 2 slots; confirm or cancel one first');
    // The failed transaction left nothing: same items, same values (slot, counter, no marker, no key).
    expect(await tableSnapshot(server)).toEqual(before);
    expect((await ok(server, alice, GetSlotDocument, { id: s3.id })).getSlot?.status).toBe('AVAILABLE');

    // Another user is not affected by alice's cap.
    const bob = await userAuth(server, 'cap-bob');
    expect((await ok(server, bob, CreateBookingDocument, { input: { slotId: s5.id } })).createBooking.status).toBe('PENDING');

    await ok(server, alice, ConfirmBookingDocument, { id: first.id });
    expect(await activeHolds(server, userId)).toBe(1);
    const third = await book(s3.id);
    expect(await activeHolds(server, userId)).toBe(2);
    expect((await refusal(server, alice, CreateBookingDocument, { input: { slotId: s4.id } })).errorType).toBe('TooManyHolds');

    await ok(server, alice, CancelBookingDocument, { id: second.id });
    expect(await activeHolds(server, userId)).toBe(1);
    await book(s4.id);
    expect(await activeHolds(server, userId)).toBe(2);

    // Cancelling a CONFIRMED booking gives back no hold: it held none.
    await ok(server, alice, CancelBookingDocument, { id: first.id });
    expect(await activeHolds(server, userId)).toBe(2);
    await ok(server, alice, CancelBookingDocument, { id: third.id });
    expect(await activeHolds(server, userId)).toBe(1);
  });
});

describe('HOLD_SECONDS', () => {
  it('is held to at most 900 seconds (15 minutes), whatever the environment asks', async () => {
    const carol = await userAuth(server, 'cap-carol');
    const booking = (await ok(server, carol, CreateBookingDocument, { input: { slotId: schedule.slots[5].id } })).createBooking;
    expect(Date.parse(booking.holdExpiresAt!) - Date.parse(booking.createdAt)).toBe(900_000);
  });
});
