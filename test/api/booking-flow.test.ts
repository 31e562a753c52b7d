// DESIGN §5 booking flow, end to end on the local platform through the generated typed documents:
// provider setup, hold, confirm, cancel; the slot's status at each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateBookingDocument,
  GetSlotDocument,
  MyBookingsDocument,
} from '../../client/generated/operations.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { dateInDays, ok, providerWithSlots, userAuth, waitFor, type Auth, type ProviderWithSlots } from './flows/fixture.ts';

let server: TestServer;
let alice: Auth;
let schedule: ProviderWithSlots;

beforeAll(async () => {
  server = await startTestServer();
  const owner = await userAuth(server, 'prov', ['providers']);
  alice = await userAuth(server, 'alice');
  schedule = await providerWithSlots(server, owner, { day: dateInDays(2), endTime: '12:00', slotMinutes: 60 });
  expect(schedule.slots.map((s) => s.status)).toEqual(['AVAILABLE', 'AVAILABLE', 'AVAILABLE']);
});

afterAll(async () => {
  await server?.close();
});

const slotStatus = async (id: string) => (await ok(server, alice, GetSlotDocument, { id })).getSlot?.status;

describe('booking flow', () => {
  it('holds, confirms and cancels a slot, which is HELD, BOOKED and AVAILABLE again', async () => {
    const slotId = schedule.slots[0].id;
    const held = (await ok(server, alice, CreateBookingDocument, { input: { slotId } })).createBooking;
    expect(held).toMatchObject({ slotId, status: 'PENDING' });
    expect(await slotStatus(slotId)).toBe('HELD');
    const confirmed = (await ok(server, alice, ConfirmBookingDocument, { id: held.id })).confirmBooking;
    expect(confirmed).toMatchObject({ id: held.id, status: 'CONFIRMED' });
    expect(await slotStatus(slotId)).toBe('BOOKED');
    const cancelled = (await ok(server, alice, CancelBookingDocument, { id: held.id })).cancelBooking;
    expect(cancelled).toMatchObject({ id: held.id, status: 'CANCELLED' });
    expect(await slotStatus(slotId)).toBe('AVAILABLE');
  });

  it('confirms after booking-processor has written the PENDING record, and keeps the cancel reason', async () => {
    const slotId = schedule.slots[1].id;
    const bookingId = (await ok(server, alice, CreateBookingDocument, { input: { slotId } })).createBooking.id;
    // myBookings reads GSI1, which only the written record populates.
    await waitFor(async () => {
      const mine = await ok(server, alice, MyBookingsDocument, {});
      return mine.myBookings.items.some((b) => b.id === bookingId) ? true : undefined;
    }, `booking ${bookingId} in myBookings`);
    const confirmed = (await ok(server, alice, ConfirmBookingDocument, { id: bookingId })).confirmBooking;
    expect(confirmed.status).toBe('CONFIRMED');
    const cancelled = (await ok(server, alice, CancelBookingDocument, { id: bookingId, reason: 'plans changed' })).cancelBooking;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelReason: 'plans changed' });
  });
});
