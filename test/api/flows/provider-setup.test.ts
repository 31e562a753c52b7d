// DESIGN §5 provider setup through the API: createProvider (providers and admins groups),
// createAvailability (owner and admin), the generated slots read back with listSlots (pages,
// status filter, effective status), getSlot, and deleteSlot of AVAILABLE / HELD / BOOKED slots.
import { UpdateCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfirmBookingDocument,
  CreateAvailabilityDocument,
  CreateBookingDocument,
  CreateProviderDocument,
  DeleteSlotDocument,
  GetProviderDocument,
  GetSlotDocument,
  ListProvidersDocument,
  ListSlotsDocument,
  type SlotFieldsFragment,
} from '../../../client/generated/operations.ts';
import { slotKeyOfId } from '../../../functions/shared/model.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { apiKeyAuth, dateInDays, EVERY_DAY, ok, providerWithSlots, refusal, storedItem, subOf, userAuth, type Auth } from './fixture.ts';

let server: TestServer;
let owner: Auth;
let admin: Auth;
let alice: Auth;

beforeAll(async () => {
  server = await startTestServer();
  [owner, admin, alice] = await Promise.all([
    userAuth(server, 'setup-owner', ['providers']),
    userAuth(server, 'setup-admin', ['admins']),
    userAuth(server, 'setup-alice'),
  ]);
});

afterAll(async () => {
  await server?.close();
});

/** Every page of a listing, following nextToken (bounded). */
async function allSlotPages(providerId: string, day: string, limit: number, status?: 'AVAILABLE' | 'HELD' | 'BOOKED') {
  const pages: SlotFieldsFragment[][] = [];
  let nextToken: string | null | undefined;
  do {
    const page = await ok(server, apiKeyAuth(server), ListSlotsDocument, { providerId, from: day, to: day, limit, status, nextToken });
    pages.push(page.listSlots.items);
    nextToken = page.listSlots.nextToken;
  } while (nextToken && pages.length < 20);
  expect(nextToken ?? null).toBeNull();
  return pages;
}

describe('createProvider', () => {
  it('makes a member of the providers group the owner of a new provider, readable by anyone', async () => {
    const { createProvider: created } = await ok(server, owner, CreateProviderDocument, {
      input: { name: '  Harbour Dental  ', description: 'Check-ups', timeZone: 'Europe/London' },
    });
    expect(created).toMatchObject({ name: 'Harbour Dental', description: 'Check-ups', timeZone: 'Europe/London', ownerId: subOf(owner) });
    expect(created.createdAt).toBe(created.updatedAt);
    const read = await ok(server, apiKeyAuth(server), GetProviderDocument, { id: created.id });
    expect(read.getProvider).toEqual(created);
  });

  it('lets an admin create a provider, owned by the admin', async () => {
    const { createProvider: created } = await ok(server, admin, CreateProviderDocument, { input: { name: 'Admin Clinic', timeZone: 'Asia/Kolkata' } });
    expect(created.ownerId).toBe(subOf(admin));
    expect(created.description).toBeNull();
  });

  it('lists providers by name regardless of case, a page at a time', async () => {
    for (const name of ['Zeta Physio', 'Alpha Physio', 'alpha lower']) {
      await ok(server, owner, CreateProviderDocument, { input: { name, timeZone: 'UTC' } });
    }
    const names: string[] = [];
    let nextToken: string | null | undefined;
    let pages = 0;
    do {
      const page = await ok(server, alice, ListProvidersDocument, { limit: 2, nextToken });
      expect(page.listProviders.items.length).toBeLessThanOrEqual(2);
      names.push(...page.listProviders.items.map((p) => p.name));
      nextToken = page.listProviders.nextToken;
      pages++;
    } while (nextToken && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('Alpha Physio');
    expect(names).toContain('Zeta Physio');
    expect(names.indexOf('Alpha Physio')).toBeLessThan(names.indexOf('Zeta Physio'));
    // Case-insensitive (ARCHITECTURE: GSI1SK holds the lower-cased name): not 'Z' before 'a'.
    expect(names.indexOf('alpha lower')).toBeLessThan(names.indexOf('Zeta Physio'));
    const lower = names.map((n) => n.toLowerCase());
    expect(lower).toEqual([...lower].sort());
  });
});

describe('createAvailability', () => {
  it('expands the owner\'s weekly rule into slots in the provider\'s zone', async () => {
    const day = dateInDays(4);
    const { createProvider: p } = await ok(server, owner, CreateProviderDocument, { input: { name: 'Rule Clinic', timeZone: 'America/New_York' } });
    const { createAvailability: rule } = await ok(server, owner, CreateAvailabilityDocument, {
      input: { providerId: p.id, daysOfWeek: [...EVERY_DAY], startTime: '09:00', endTime: '11:00', slotDurationMinutes: 30, bufferMinutes: 10, validFrom: day, validTo: day },
    });
    // 09:00–09:30, 09:40–10:10, 10:20–10:50 (a 10-minute buffer after each).
    expect(rule).toMatchObject({ providerId: p.id, slotCount: 3, slotDurationMinutes: 30, bufferMinutes: 10, validFrom: day, validTo: day });
    const [slots] = await allSlotPages(p.id, day, 100);
    const utc = (wall: string) => DateTime.fromISO(`${day}T${wall}`, { zone: 'America/New_York' }).toUTC().toMillis();
    expect(slots.map((s) => Date.parse(s.startTime))).toEqual([utc('09:00'), utc('09:40'), utc('10:20')]);
    expect(slots.map((s) => Date.parse(s.endTime))).toEqual([utc('09:30'), utc('10:10'), utc('10:50')]);
    expect(slots.every((s) => s.status === 'AVAILABLE' && s.date === day && s.providerId === p.id && s.holdExpiresAt === null)).toBe(true);
  });

  it('takes the fixed-offset Etc/ zones (POSIX signs: Etc/GMT-5 is five hours ahead of UTC)', async () => {
    const day = dateInDays(4);
    const { createProvider: p } = await ok(server, owner, CreateProviderDocument, { input: { name: 'Offset Clinic', timeZone: 'Etc/GMT-5' } });
    await ok(server, owner, CreateAvailabilityDocument, {
      input: { providerId: p.id, daysOfWeek: [...EVERY_DAY], startTime: '09:00', endTime: '10:00', slotDurationMinutes: 60, validFrom: day, validTo: day },
    });
    const [slots] = await allSlotPages(p.id, day, 100);
    expect(slots.map((s) => s.startTime)).toEqual([`${day}T04:00:00Z`]);
  });

  it('lets an admin add availability to a provider someone else owns', async () => {
    const { providerId } = await providerWithSlots(server, owner, { day: dateInDays(5) });
    const day = dateInDays(6);
    const { createAvailability: rule } = await ok(server, admin, CreateAvailabilityDocument, {
      input: { providerId, daysOfWeek: [...EVERY_DAY], startTime: '14:00', endTime: '16:00', slotDurationMinutes: 60, validFrom: day, validTo: day },
    });
    expect(rule.slotCount).toBe(2);
    const [slots] = await allSlotPages(providerId, day, 100);
    expect(slots).toHaveLength(2);
  });

  it('answers a repeated rule with the same availability and no new slots', async () => {
    const day = dateInDays(7);
    const { providerId } = await providerWithSlots(server, owner, { day });
    const input = { providerId, daysOfWeek: [...EVERY_DAY], startTime: '09:00' as const, endTime: '12:00', slotDurationMinutes: 60, validFrom: day, validTo: day };
    const first = await ok(server, owner, CreateAvailabilityDocument, { input });
    const again = await ok(server, owner, CreateAvailabilityDocument, { input });
    expect(again.createAvailability).toEqual(first.createAvailability);
    const [slots] = await allSlotPages(providerId, day, 100);
    expect(slots).toHaveLength(3);
  });
});

describe('listSlots and getSlot', () => {
  it('pages through a day of slots with nextToken, in start order, each slot once', async () => {
    const { providerId, day, slots } = await providerWithSlots(server, owner, { day: dateInDays(8), endTime: '12:00', slotMinutes: 30 });
    expect(slots).toHaveLength(6);
    const pages = await allSlotPages(providerId, day, 4);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toHaveLength(4);
    expect(pages.flat().map((s) => s.id)).toEqual(slots.map((s) => s.id));
    expect([...slots].sort((a, b) => a.startTime.localeCompare(b.startTime))).toEqual(slots);
  });

  it.each([
    ['Pacific/Kiritimati', dateInDays(21)],
    ['Pacific/Pago_Pago', dateInDays(21)],
    // Chile changes its clocks at local midnight: 2027-09-05 has no 00:00, 2027-04-03 has 23:00 twice.
    ['America/Santiago', '2027-09-05'],
    ['America/Santiago', '2027-04-04'],
  ])('a page of limit n holds the first n slots of the date asked, none lost to a neighbouring day (%s, %s)', async (timeZone, middle) => {
    // Slots around the provider's local midnight on three days in a row: in UTC each day's slots
    // sit next to its neighbours'.
    const { createProvider } = await ok(server, owner, CreateProviderDocument, { input: { name: `Night ${timeZone}`, timeZone } });
    const shift = (days: number) => DateTime.fromISO(middle, { zone: 'utc' }).plus({ days }).toISODate() as string;
    for (const [startTime, endTime] of [['00:00', '01:00'], ['22:00', '23:30']]) {
      await ok(server, owner, CreateAvailabilityDocument, {
        input: { providerId: createProvider.id, daysOfWeek: [...EVERY_DAY], startTime, endTime, slotDurationMinutes: 30, validFrom: shift(-1), validTo: shift(1) },
      });
    }
    const page = (limit: number, nextToken?: string | null) =>
      ok(server, owner, ListSlotsDocument, { providerId: createProvider.id, from: middle, to: middle, limit, nextToken });
    const all = (await page(100)).listSlots.items;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all.map((s) => s.date))).toEqual(new Set([middle]));
    expect((await page(1)).listSlots.items).toEqual(all.slice(0, 1));
    const three = (await page(3)).listSlots;
    expect(three.items).toEqual(all.slice(0, 3));
    expect((await page(100, three.nextToken)).listSlots.items).toEqual(all.slice(3));
    // A limit one above the day's slots reads to the end of the range: no next day's slot (its
    // midnight included) is in it, so no nextToken.
    expect((await page(all.length + 1)).listSlots).toEqual({ items: all, nextToken: null });
  });

  it('filters by effective status: held, booked, and a passed hold reading AVAILABLE before any cleanup', async () => {
    const { providerId, day, slots } = await providerWithSlots(server, owner, { day: dateInDays(9), endTime: '13:00' });
    const [held, booked, lapsed] = slots;
    const hold = await ok(server, alice, CreateBookingDocument, { input: { slotId: held.id } });
    const toBook = await ok(server, alice, CreateBookingDocument, { input: { slotId: booked.id } });
    await ok(server, alice, ConfirmBookingDocument, { id: toBook.createBooking.id });
    // A HELD slot whose hold passed, as the table looks before any expiry path has run.
    const past = new Date(Date.now() - 60_000).toISOString();
    await DynamoDBDocumentClient.from(localDynamoDb(server.dynamodbEndpoint)).send(
      new UpdateCommand({
        TableName: server.tableName,
        Key: slotKeyOfId(lapsed.id) ?? undefined,
        UpdateExpression: 'SET #s = :held, holdExpiresAt = :past, heldBy = :who',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':held': 'HELD', ':past': past, ':who': 'someone-gone' },
      }),
    );

    const ids = async (status?: 'AVAILABLE' | 'HELD' | 'BOOKED') => (await allSlotPages(providerId, day, 100, status)).flat().map((s) => s.id);
    expect(await ids('HELD')).toEqual([held.id]);
    expect(await ids('BOOKED')).toEqual([booked.id]);
    expect(await ids('AVAILABLE')).toEqual(slots.slice(2).map((s) => s.id));
    expect(await ids()).toEqual(slots.map((s) => s.id));

    const getSlot = async (id: string) => (await ok(server, apiKeyAuth(server), GetSlotDocument, { id })).getSlot;
    expect(await getSlot(held.id)).toMatchObject({ status: 'HELD', holdExpiresAt: hold.createBooking.holdExpiresAt, version: held.version + 1 });
    expect(await getSlot(booked.id)).toMatchObject({ status: 'BOOKED', holdExpiresAt: null });
    expect(await getSlot(lapsed.id)).toMatchObject({ status: 'AVAILABLE', holdExpiresAt: null });
    expect((await storedItem(server, slotKeyOfId(lapsed.id)!))?.status).toBe('HELD');

    // The passed hold also books as AVAILABLE.
    const rebooked = await ok(server, alice, CreateBookingDocument, { input: { slotId: lapsed.id } });
    expect(rebooked.createBooking.status).toBe('PENDING');
  });

  it('reads one slot by id, and null for a slot id nobody generated', async () => {
    const { slots, providerId } = await providerWithSlots(server, owner, { day: dateInDays(10) });
    const { getSlot } = await ok(server, apiKeyAuth(server), GetSlotDocument, { id: slots[1].id });
    expect(getSlot).toEqual(slots[1]);
    const unknown = `${providerId}_${dateInDays(10).replaceAll('-', '')}T0317Z`;
    expect((await ok(server, alice, GetSlotDocument, { id: unknown })).getSlot).toBeNull();
  });
});

describe('deleteSlot', () => {
  it('deletes an AVAILABLE slot, and refuses a HELD one (SlotHeld) and a BOOKED one (SlotTaken), keeping them', async () => {
    const { providerId, day, slots } = await providerWithSlots(server, owner, { day: dateInDays(11) });
    const [free, held, booked] = slots;
    // Another booker: every user may hold only MAX_ACTIVE_HOLDS slots at once.
    const bob = await userAuth(server, 'setup-bob');
    await ok(server, bob, CreateBookingDocument, { input: { slotId: held.id } });
    const b = await ok(server, bob, CreateBookingDocument, { input: { slotId: booked.id } });
    await ok(server, bob, ConfirmBookingDocument, { id: b.createBooking.id });

    const deleted = await ok(server, owner, DeleteSlotDocument, { id: free.id });
    expect(deleted.deleteSlot).toMatchObject({ id: free.id, status: 'AVAILABLE' });
    expect((await ok(server, owner, GetSlotDocument, { id: free.id })).getSlot).toBeNull();
    expect(await storedItem(server, slotKeyOfId(free.id)!)).toBeUndefined();

    const heldError = await refusal(server, owner, DeleteSlotDocument, { id: held.id });
    expect(heldError.errorType).toBe('SlotHeld');
    expect(heldError.message).toContain(held.id);
    const bookedError = await refusal(server, admin, DeleteSlotDocument, { id: booked.id });
    expect(bookedError.errorType).toBe('SlotTaken');
    expect(bookedError.message).toContain(booked.id);

    const left = (await allSlotPages(providerId, day, 100)).flat();
    expect(left.map((s) => [s.id, s.status])).toEqual([
      [held.id, 'HELD'],
      [booked.id, 'BOOKED'],
    ]);
  });

  it('lets an admin delete a slot of a provider someone else owns; a deleted slot is NotFound', async () => {
    const { slots } = await providerWithSlots(server, owner, { day: dateInDays(12) });
    await ok(server, admin, DeleteSlotDocument, { id: slots[0].id });
    const again = await refusal(server, owner, DeleteSlotDocument, { id: slots[0].id });
    expect(again.errorType).toBe('NotFound');
    expect(again.message).toContain(slots[0].id);
  });
});
