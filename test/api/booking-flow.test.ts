// DESIGN §5 booking flow, end to end on the local platform: provider setup, hold, confirm, cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
let provider: Record<string, string>;
let alice: Record<string, string>;
let providerId: string;

function dayAfterTomorrow(): string {
  return new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  server = await startTestServer();
  provider = { authorization: await server.token('prov', ['providers']) };
  alice = { authorization: await server.token('alice') };
  const created = await server.gql(provider, `mutation { createProvider(input: {name: "Clinic", timeZone: "Europe/London"}) { id } }`);
  providerId = created.data.createProvider.id;
  const day = dayAfterTomorrow();
  const avail = await server.gql(
    provider,
    `mutation($input: CreateAvailabilityInput!) { createAvailability(input: $input) { id slotCount } }`,
    { input: { providerId, daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'], startTime: '09:00', endTime: '12:00', slotDurationMinutes: 60, validFrom: day, validTo: day } },
  );
  expect(avail.errors).toBeUndefined();
  expect(avail.data.createAvailability.slotCount).toBe(3);
});

afterAll(async () => {
  await server?.close();
});

describe('booking flow', () => {
  it('holds, confirms and cancels a slot', async () => {
    const day = dayAfterTomorrow();
    const slots = await server.gql(alice, `{ listSlots(providerId: "${providerId}", from: "${day}", to: "${day}") { items { id status } } }`);
    const slotId = slots.data.listSlots.items[0].id;
    const held = await server.gql(alice, `mutation { createBooking(input: {slotId: "${slotId}"}) { id status } }`);
    expect(held.errors).toBeUndefined();
    const bookingId = held.data.createBooking.id;
    const confirmed = await server.gql(alice, `mutation { confirmBooking(id: "${bookingId}") { id status } }`);
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data.confirmBooking.status).toBe('CONFIRMED');
  });

  it('confirms after booking-processor has written the PENDING record', async () => {
    const day = dayAfterTomorrow();
    const slots = await server.gql(alice, `{ listSlots(providerId: "${providerId}", from: "${day}", to: "${day}", status: AVAILABLE) { items { id } } }`);
    const held = await server.gql(alice, `mutation { createBooking(input: {slotId: "${slots.data.listSlots.items[0].id}"}) { id } }`);
    const bookingId = held.data.createBooking.id;
    // myBookings reads GSI1, which only the written record populates.
    await waitFor(async () => {
      const mine = await server.gql(alice, `{ myBookings { items { id } } }`);
      return mine.data.myBookings.items.some((b: { id: string }) => b.id === bookingId);
    });
    const confirmed = await server.gql(alice, `mutation { confirmBooking(id: "${bookingId}") { id status } }`);
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data.confirmBooking.status).toBe('CONFIRMED');
    const cancelled = await server.gql(alice, `mutation { cancelBooking(id: "${bookingId}", reason: "plans changed") { status cancelReason } }`);
    expect(cancelled.data.cancelBooking).toEqual({ status: 'CANCELLED', cancelReason: 'plans changed' });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}
