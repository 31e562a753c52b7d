// DESIGN §6 HoldExpired and the EXPIRED side of InvalidBookingState, with 1-second holds: confirming
// after the hold passed is refused whether or not the expiry has been processed yet, and an
// EXPIRED booking cannot be cancelled.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateBookingDocument,
  GetBookingDocument,
  GetSlotDocument,
} from '../../../client/generated/operations.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { activeHolds, dateInDays, ok, providerWithSlots, refusal, subOf, userAuth, waitFor, type ProviderWithSlots } from '../flows/fixture.ts';

let server: TestServer;
let schedule: ProviderWithSlots;

beforeAll(async () => {
  server = await startTestServer({ env: { HOLD_SECONDS: '1' } });
  const owner = await userAuth(server, 'expired-owner', ['providers']);
  schedule = await providerWithSlots(server, owner, { day: dateInDays(3) });
});

afterAll(async () => {
  await server?.close();
});

/** Resolves once the wall clock is past `iso` (plus a margin for clock granularity). */
async function until(iso: string): Promise<void> {
  await sleep(Math.max(0, Date.parse(iso) - Date.now()) + 50);
}

describe('HoldExpired', () => {
  it('refuses to confirm a booking whose hold has passed, and the slot is AVAILABLE again', async () => {
    const alice = await userAuth(server, 'expired-alice');
    const slot = schedule.slots[0];
    const booking = (await ok(server, alice, CreateBookingDocument, { input: { slotId: slot.id } })).createBooking;
    expect(Date.parse(booking.holdExpiresAt!) - Date.parse(booking.createdAt)).toBe(1000);
    await until(booking.holdExpiresAt!);

    const refused = await refusal(server, alice, ConfirmBookingDocument, { id: booking.id });
    expect(refused.errorType).toBe('HoldExpired');
    expect(refused.message).toContain(`The hold on booking ${booking.id} expired`);
    expect((await ok(server, alice, GetSlotDocument, { id: slot.id })).getSlot?.status).toBe('AVAILABLE');

    // Once the expiry ran: EXPIRED, still HoldExpired on confirm, the hold given back.
    const expired = await waitFor(async () => {
      const read = (await ok(server, alice, GetBookingDocument, { id: booking.id })).getBooking;
      return read?.status === 'EXPIRED' ? read : undefined;
    }, 'the booking to expire');
    expect(expired.expiredAt).not.toBeNull();
    expect((await refusal(server, alice, ConfirmBookingDocument, { id: booking.id })).errorType).toBe('HoldExpired');
    await waitFor(async () => ((await activeHolds(server, subOf(alice))) === 0 ? true : undefined), 'the hold counter to come back to 0');
  });

  it('refuses to cancel an EXPIRED booking (InvalidBookingState)', async () => {
    const alice = await userAuth(server, 'expired-cancel-alice');
    const booking = (await ok(server, alice, CreateBookingDocument, { input: { slotId: schedule.slots[1].id } })).createBooking;
    await waitFor(async () => {
      const read = (await ok(server, alice, GetBookingDocument, { id: booking.id })).getBooking;
      return read?.status === 'EXPIRED' ? true : undefined;
    }, 'the booking to expire');
    const refused = await refusal(server, alice, CancelBookingDocument, { id: booking.id });
    expect(refused).toMatchObject({ errorType: 'InvalidBookingState', message: `Booking ${booking.id} has expired; there is nothing to cancel` });
  });
});
