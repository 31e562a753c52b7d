// DESIGN §5 booking flow through the API: createBooking answers the PENDING hold at once and an
// idempotencyKey retry never holds twice; who may read a booking; myBookings and providerBookings
// (filters, ranges, pages); confirm (idempotent) and cancel by the user, the provider's owner and
// an admin, of PENDING and of CONFIRMED bookings, each checked on the table as well.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateBookingDocument,
  GetBookingDocument,
  GetSlotDocument,
  MyBookingsDocument,
  ProviderBookingsDocument,
  type BookingFieldsFragment,
} from '../../../client/generated/operations.ts';
import type { BookingStatus } from '../../../client/generated/types.ts';
import { bookingKey, holdKey, slotKeyOfId } from '../../../functions/shared/model.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { activeHolds, dateInDays, ok, providerWithSlots, recordWritten, refusal, storedItem, subOf, userAuth, waitFor, type Auth, type ProviderWithSlots,
  slotDispenser,
} from './fixture.ts';

let server: TestServer;
let owner: Auth;
let otherOwner: Auth;
let admin: Auth;
let schedule: ProviderWithSlots;
/** Slots are handed out one per test so no two tests touch the same slot. */

beforeAll(async () => {
  server = await startTestServer();
  [owner, otherOwner, admin] = await Promise.all([
    userAuth(server, 'flow-owner', ['providers']),
    userAuth(server, 'flow-other-owner', ['providers']),
    userAuth(server, 'flow-admin', ['admins']),
  ]);
  // 09:00–17:00 London, 30-minute slots: 16 slots.
  schedule = await providerWithSlots(server, owner, { day: dateInDays(3), endTime: '17:00', slotMinutes: 30 });
});

afterAll(async () => {
  await server?.close();
});

const freshSlot = slotDispenser(() => schedule);

async function hold(auth: Auth, slotId: string, extra: { notes?: string; idempotencyKey?: string } = {}) {
  return (await ok(server, auth, CreateBookingDocument, { input: { slotId, ...extra } })).createBooking;
}

async function slotStatus(slotId: string) {
  return (await ok(server, owner, GetSlotDocument, { id: slotId })).getSlot?.status;
}

describe('createBooking', () => {
  it('answers at once with the PENDING hold and holds the slot in one transaction', async () => {
    const alice = await userAuth(server, 'hold-alice');
    const slot = freshSlot();
    const booking = await hold(alice, slot.id, { notes: 'first visit' });
    expect(booking).toMatchObject({
      slotId: slot.id,
      providerId: schedule.providerId,
      userId: subOf(alice),
      status: 'PENDING',
      startTime: slot.startTime,
      endTime: slot.endTime,
      notes: 'first visit',
      confirmedAt: null,
      cancelledAt: null,
      expiredAt: null,
      cancelReason: null,
    });
    // HOLD_SECONDS defaults to 300.
    expect(Date.parse(booking.holdExpiresAt!) - Date.parse(booking.createdAt)).toBe(300_000);

    const stored = await storedItem(server, slotKeyOfId(slot.id)!);
    expect(stored).toMatchObject({ status: 'HELD', bookingId: booking.id, heldBy: subOf(alice), holdExpiresAt: booking.holdExpiresAt, version: slot.version + 1 });
    const marker = await storedItem(server, holdKey(booking.id));
    expect(marker).toMatchObject({ bookingId: booking.id, ttl: Math.ceil(Date.parse(booking.holdExpiresAt!) / 1000) });
    expect(await activeHolds(server, subOf(alice))).toBe(1);
    expect((await ok(server, alice, GetBookingDocument, { id: booking.id })).getBooking).toEqual(booking);
  });

  it('answers a retry with the same idempotencyKey with the same booking and never a second hold', async () => {
    const alice = await userAuth(server, 'retry-alice');
    const slot = freshSlot();
    const first = await hold(alice, slot.id, { idempotencyKey: 'checkout-42' });
    const retry = await hold(alice, slot.id, { idempotencyKey: 'checkout-42' });
    expect(retry).toEqual(first);
    expect(await activeHolds(server, subOf(alice))).toBe(1);
    // The idempotency record (key layout: resolvers/lib/keys.ts idempotencyKeyOf) names the booking
    // and outlives any retry: its TTL is 24 h after the hold, not the hold's few minutes.
    const record = await storedItem(server, { PK: `IDEMPOTENCY#${subOf(alice)}#checkout-42`, SK: 'IDEMPOTENCY' });
    expect(record).toMatchObject({ entity: 'IDEMPOTENCY', bookingId: first.id, booking: { id: first.id, slotId: slot.id } });
    expect(Math.abs(Number(record?.ttl) - (Date.parse(first.createdAt) / 1000 + 86_400))).toBeLessThanOrEqual(2);

    // After confirming, the retry answers the booking as it is now, still without a new hold.
    const confirmed = (await ok(server, alice, ConfirmBookingDocument, { id: first.id })).confirmBooking;
    const late = await hold(alice, slot.id, { idempotencyKey: 'checkout-42' });
    expect(late).toEqual(confirmed);
    expect(await activeHolds(server, subOf(alice))).toBe(0);

    // The key belongs to its user: another user's same key is a new request (the slot is booked).
    const bob = await userAuth(server, 'retry-bob');
    const taken = await refusal(server, bob, CreateBookingDocument, { input: { slotId: slot.id, idempotencyKey: 'checkout-42' } });
    expect(taken.errorType).toBe('SlotTaken');
  });

  it('refuses a key already used for another slot, without a second hold', async () => {
    const alice = await userAuth(server, 'reuse-alice');
    const first = await hold(alice, freshSlot().id, { idempotencyKey: 'reused-key' });
    const other = freshSlot();
    const refused = await refusal(server, alice, CreateBookingDocument, { input: { slotId: other.id, idempotencyKey: 'reused-key' } });
    expect(refused.errorType).toBe('ValidationError');
    expect(refused.message).toContain('input.idempotencyKey');
    expect(refused.message).toContain(first.slotId);
    expect(await activeHolds(server, subOf(alice))).toBe(1);
    expect(await storedItem(server, { PK: `PROVIDER#${other.id.slice(0, 26)}`, SK: `SLOT#${other.startTime}` })).toMatchObject({ status: 'AVAILABLE' });
  });
});

describe('getBooking', () => {
  it('shows a booking to its user, the provider\'s owner and admins; to anyone else it does not exist', async () => {
    const alice = await userAuth(server, 'read-alice');
    const booking = await hold(alice, freshSlot().id);
    for (const reader of [alice, owner, admin]) {
      expect((await ok(server, reader, GetBookingDocument, { id: booking.id })).getBooking).toEqual(booking);
    }
    for (const stranger of [await userAuth(server, 'read-mallory'), otherOwner]) {
      const denied = await refusal(server, stranger, GetBookingDocument, { id: booking.id });
      expect(denied.errorType).toBe('NotFound');
      expect(denied.message).toBe(`Booking ${booking.id} does not exist`);
    }
  });
});

describe('myBookings and providerBookings', () => {
  let alice: Auth;
  let confirmed: BookingFieldsFragment;
  let pending: BookingFieldsFragment;
  let cancelled: BookingFieldsFragment;

  beforeAll(async () => {
    alice = await userAuth(server, 'list-alice');
    confirmed = await hold(alice, freshSlot().id);
    pending = await hold(alice, freshSlot().id);
    cancelled = await hold(alice, freshSlot().id);
    await Promise.all([pending, confirmed, cancelled].map((b) => recordWritten(server, b.id)));
    confirmed = (await ok(server, alice, ConfirmBookingDocument, { id: confirmed.id })).confirmBooking;
    cancelled = (await ok(server, alice, CancelBookingDocument, { id: cancelled.id, reason: 'double-booked' })).cancelBooking;
  });

  async function myBookings(auth: Auth, status: BookingStatus | undefined, limit: number) {
    const pages: BookingFieldsFragment[][] = [];
    let nextToken: string | null | undefined;
    do {
      const page = await ok(server, auth, MyBookingsDocument, { status, limit, nextToken });
      pages.push(page.myBookings.items);
      nextToken = page.myBookings.nextToken;
    } while (nextToken && pages.length < 20);
    expect(nextToken ?? null).toBeNull();
    return pages;
  }

  it('lists only the caller\'s bookings by start time, a page at a time, with a status filter', async () => {
    // The index is eventually consistent: wait until it shows the confirm and the cancel.
    await waitFor(async () => {
      const all = (await myBookings(alice, undefined, 100)).flat();
      return all.map((b) => b.status).join() === 'CONFIRMED,PENDING,CANCELLED' ? true : undefined;
    }, 'myBookings to show the three states');
    const pages = await myBookings(alice, undefined, 1);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((p) => p.length <= 1)).toBe(true);
    expect(pages.flat()).toEqual([confirmed, pending, cancelled]);

    expect((await myBookings(alice, 'PENDING', 100)).flat()).toEqual([pending]);
    expect((await myBookings(alice, 'CANCELLED', 1)).flat()).toEqual([cancelled]);
    expect((await myBookings(alice, 'EXPIRED', 100)).flat()).toEqual([]);
    const stranger = await userAuth(server, 'list-nobody');
    expect((await myBookings(stranger, undefined, 100)).flat()).toEqual([]);
  });

  it('lists a provider\'s bookings for its owner and admins, within a from/to range and by status', async () => {
    const mine = [confirmed.id, pending.id, cancelled.id];
    const list = async (auth: Auth, vars: { from?: string; to?: string; status?: BookingStatus } = {}) =>
      (await ok(server, auth, ProviderBookingsDocument, { providerId: schedule.providerId, limit: 100, ...vars })).providerBookings.items.filter((b) =>
        mine.includes(b.id),
      );
    await waitFor(async () => ((await list(owner, { status: 'CANCELLED' })).length === 1 ? true : undefined), 'providerBookings to show the cancel');
    expect(await list(owner)).toEqual([confirmed, pending, cancelled]);
    expect(await list(admin)).toEqual([confirmed, pending, cancelled]);
    expect(await list(owner, { status: 'CONFIRMED' })).toEqual([confirmed]);
    // from and to are inclusive bounds on the start time.
    expect(await list(owner, { from: pending.startTime, to: pending.startTime })).toEqual([pending]);
    expect(await list(owner, { from: pending.startTime })).toEqual([pending, cancelled]);
    expect(await list(owner, { to: pending.startTime })).toEqual([confirmed, pending]);
    // A bound with an offset is the same instant: it compares in UTC.
    const plusTwo = (iso: string) => `${new Date(Date.parse(iso) + 7_200_000).toISOString().slice(0, 19)}+02:00`;
    expect(await list(owner, { from: plusTwo(pending.startTime), to: plusTwo(pending.startTime) })).toEqual([pending]);

    const page = await ok(server, owner, ProviderBookingsDocument, { providerId: schedule.providerId, limit: 1 });
    expect(page.providerBookings.items).toHaveLength(1);
    expect(page.providerBookings.nextToken).toBeTruthy();
    const second = await ok(server, owner, ProviderBookingsDocument, { providerId: schedule.providerId, limit: 1, nextToken: page.providerBookings.nextToken });
    expect(second.providerBookings.items[0].id).not.toBe(page.providerBookings.items[0].id);

    const denied = await refusal(server, otherOwner, ProviderBookingsDocument, { providerId: schedule.providerId });
    expect(denied.errorType).toBe('Unauthorized');
  });
});

describe('confirmBooking', () => {
  it('books the held slot, gives the hold back, and answers a second confirm unchanged', async () => {
    const alice = await userAuth(server, 'confirm-alice');
    const slot = freshSlot();
    const booking = await hold(alice, slot.id);
    const { confirmBooking: confirmed } = await ok(server, alice, ConfirmBookingDocument, { id: booking.id });
    expect(confirmed).toMatchObject({ id: booking.id, status: 'CONFIRMED', holdExpiresAt: booking.holdExpiresAt, createdAt: booking.createdAt });
    expect(confirmed.confirmedAt).toBe(confirmed.updatedAt);
    expect(await slotStatus(slot.id)).toBe('BOOKED');
    expect(await storedItem(server, holdKey(booking.id))).toBeUndefined();
    expect(await activeHolds(server, subOf(alice))).toBe(0);
    expect(await storedItem(server, bookingKey(booking.id))).toMatchObject({ status: 'CONFIRMED', confirmedAt: confirmed.confirmedAt });

    const again = await ok(server, alice, ConfirmBookingDocument, { id: booking.id });
    expect(again.confirmBooking).toEqual(confirmed);
    expect(await activeHolds(server, subOf(alice))).toBe(0);
  });
});

describe('cancelBooking', () => {
  it('lets the user cancel a PENDING booking: slot AVAILABLE, marker gone, counter down; a second cancel answers it unchanged', async () => {
    const alice = await userAuth(server, 'cancel-alice');
    const slot = freshSlot();
    const booking = await hold(alice, slot.id);
    const { cancelBooking: cancelled } = await ok(server, alice, CancelBookingDocument, { id: booking.id, reason: 'found an earlier slot' });
    expect(cancelled).toMatchObject({ id: booking.id, status: 'CANCELLED', cancelReason: 'found an earlier slot', confirmedAt: null });
    expect(cancelled.cancelledAt).toBe(cancelled.updatedAt);
    expect(await slotStatus(slot.id)).toBe('AVAILABLE');
    expect(await storedItem(server, holdKey(booking.id))).toBeUndefined();
    expect(await activeHolds(server, subOf(alice))).toBe(0);

    const again = await ok(server, alice, CancelBookingDocument, { id: booking.id, reason: 'another reason' });
    expect(again.cancelBooking).toEqual(cancelled);
    expect(await activeHolds(server, subOf(alice))).toBe(0);
    // The slot can be held again at once.
    const bob = await userAuth(server, 'cancel-bob');
    expect((await hold(bob, slot.id)).status).toBe('PENDING');
  });

  it('lets the provider\'s owner cancel a CONFIRMED booking: the slot is AVAILABLE again', async () => {
    const alice = await userAuth(server, 'cancel-confirmed-alice');
    const slot = freshSlot();
    const booking = await hold(alice, slot.id);
    await ok(server, alice, ConfirmBookingDocument, { id: booking.id });
    const { cancelBooking: cancelled } = await ok(server, owner, CancelBookingDocument, { id: booking.id, reason: 'clinic closed' });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelReason: 'clinic closed' });
    expect(cancelled.confirmedAt).not.toBeNull();
    expect(await slotStatus(slot.id)).toBe('AVAILABLE');
    expect(await storedItem(server, slotKeyOfId(slot.id)!)).not.toHaveProperty('bookingId');
    expect(await activeHolds(server, subOf(alice))).toBe(0);
  });

  it('lets an admin cancel a PENDING and a CONFIRMED booking; another user may not', async () => {
    const alice = await userAuth(server, 'cancel-admin-alice');
    const [s1, s2] = [freshSlot(), freshSlot()];
    const pendingBooking = await hold(alice, s1.id);
    const confirmedBooking = await hold(alice, s2.id);
    await ok(server, alice, ConfirmBookingDocument, { id: confirmedBooking.id });

    const mallory = await userAuth(server, 'cancel-mallory');
    for (const outsider of [mallory, otherOwner]) {
      const denied = await refusal(server, outsider, CancelBookingDocument, { id: pendingBooking.id });
      expect(denied).toMatchObject({ errorType: 'Unauthorized', message: "Only the user who made a booking, the provider's owner or an admin may cancel it" });
    }
    expect(await slotStatus(s1.id)).toBe('HELD');

    for (const b of [pendingBooking, confirmedBooking]) {
      const { cancelBooking } = await ok(server, admin, CancelBookingDocument, { id: b.id });
      expect(cancelBooking).toMatchObject({ id: b.id, status: 'CANCELLED', cancelReason: null });
    }
    expect([await slotStatus(s1.id), await slotStatus(s2.id)]).toEqual(['AVAILABLE', 'AVAILABLE']);
    expect(await activeHolds(server, subOf(alice))).toBe(0);
  });
});
