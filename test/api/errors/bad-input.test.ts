// Bad input at the edge (DESIGN §6 ValidationError, §5 "no partial write"): each refused with a
// message that starts with the field to fix, and the table exactly as it was before the call.
// Ids of another provider are refused as Unauthorized, also without a write.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  CreateAvailabilityDocument,
  CreateBookingDocument,
  CreateProviderDocument,
  DeleteSlotDocument,
  GetBookingDocument,
  GetProviderDocument,
  GetSlotDocument,
  ListProvidersDocument,
  ListSlotsDocument,
  ProviderBookingsDocument,
  type CreateAvailabilityMutationVariables,
} from '../../../client/generated/operations.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import {
  dateInDays,
  EVERY_DAY,
  ok,
  post,
  providerWithSlots,
  refusal,
  send,
  recordWritten,
  tableSnapshot,
  userAuth,
  type Auth,
  type GraphqlError,
  type ProviderWithSlots,
} from '../flows/fixture.ts';

let server: TestServer;
let owner: Auth;
let rival: Auth;
let alice: Auth;
/** The owner's provider and the rival's, each with a day of slots. */
let mine: ProviderWithSlots;
let theirs: ProviderWithSlots;

beforeAll(async () => {
  server = await startTestServer();
  [owner, rival, alice] = await Promise.all([
    userAuth(server, 'input-owner', ['providers']),
    userAuth(server, 'input-rival', ['providers']),
    userAuth(server, 'input-alice'),
  ]);
  mine = await providerWithSlots(server, owner, { day: dateInDays(3), name: 'Mine' });
  theirs = await providerWithSlots(server, rival, { day: dateInDays(3), name: 'Theirs' });
});

afterAll(async () => {
  await server?.close();
});

/** The call's one error, after checking that it left the table exactly as it was. */
async function refusedWithoutWrite<T, V extends Record<string, unknown>>(auth: Auth, document: TypedDocumentNode<T, V>, variables: V): Promise<GraphqlError> {
  const before = await tableSnapshot(server);
  const error = await refusal(server, auth, document, variables);
  expect(await tableSnapshot(server)).toEqual(before);
  return error;
}

/** A valid rule for the owner's provider on a day with no slots yet, with `change` applied. */
function rule(change: Partial<CreateAvailabilityMutationVariables['input']>): CreateAvailabilityMutationVariables {
  const day = dateInDays(5);
  return {
    input: { providerId: mine.providerId, daysOfWeek: [...EVERY_DAY], startTime: '09:00', endTime: '12:00', slotDurationMinutes: 60, validFrom: day, validTo: day, ...change },
  };
}

/** A ValidationError that names the field in its message and in errorInfo.field (for clients). */
function expectInvalid(error: GraphqlError, field: string): void {
  expect(error.errorType).toBe('ValidationError');
  expect(error.message.startsWith(`${field} `)).toBe(true);
  expect(error.errorInfo).toEqual({ field });
}

const LONG_NAME = 'n'.repeat(121);

describe('createProvider', () => {
  it.each([
    ['an unknown time zone', { name: 'Clinic', timeZone: 'Mars/Olympus_Mons' }, 'input.timeZone', 'input.timeZone "Mars/Olympus_Mons" is not an IANA time zone such as Europe/London'],
    ['an offset instead of a zone', { name: 'Clinic', timeZone: '+02:00' }, 'input.timeZone', null],
    ['an empty name', { name: '', timeZone: 'UTC' }, 'input.name', 'input.name must not be empty'],
    ['a blank name', { name: '   ', timeZone: 'UTC' }, 'input.name', 'input.name must not be empty'],
    ['a name over 120 characters', { name: LONG_NAME, timeZone: 'UTC' }, 'input.name', 'input.name must be at most 120 characters'],
    ['a description over 1000 characters', { name: 'Clinic', description: 'd'.repeat(1001), timeZone: 'UTC' }, 'input.description', null],
  ])('refuses %s', async (_what, input, field, message) => {
    const error = await refusedWithoutWrite(owner, CreateProviderDocument, { input });
    expectInvalid(error, field);
    if (message) expect(error.message).toBe(message);
  });
});

describe('createAvailability', () => {
  it.each([
    ['an end before the start', { startTime: '10:00', endTime: '09:00' }, 'input.endTime'],
    ['an end equal to the start', { startTime: '10:00', endTime: '10:00' }, 'input.endTime'],
    ['a slot shorter than 5 minutes', { slotDurationMinutes: 4 }, 'input.slotDurationMinutes'],
    ['a slot longer than 480 minutes', { startTime: '00:00', endTime: '23:00', slotDurationMinutes: 481 }, 'input.slotDurationMinutes'],
    ['a slot longer than its window', { slotDurationMinutes: 200 }, 'input.slotDurationMinutes'],
    ['a negative buffer', { bufferMinutes: -5 }, 'input.bufferMinutes'],
    ['reversed dates', { validFrom: dateInDays(6), validTo: dateInDays(5) }, 'input.validTo'],
    ['a date with an offset', { validFrom: `${dateInDays(5)}Z` }, 'input.validFrom'],
    ['a start date in the past', { validFrom: dateInDays(-2) }, 'input.validFrom'],
    ['a range over 90 days', { validFrom: dateInDays(5), validTo: dateInDays(5 + 90) }, 'input.validTo'],
    ['a wall time with an offset', { startTime: '09:00Z' }, 'input.startTime'],
    ['a wall time off the minute', { startTime: '09:00:30' }, 'input.startTime'],
    ['no days', { daysOfWeek: [] }, 'input.daysOfWeek'],
    ['a malformed provider id', { providerId: 'provider-1' }, 'input.providerId'],
  ])('refuses %s', async (_what, change, field) => {
    const error = await refusedWithoutWrite(owner, CreateAvailabilityDocument, rule(change as Partial<CreateAvailabilityMutationVariables['input']>));
    expectInvalid(error, field);
  });

  it('refuses a date the AWSDate scalar cannot parse before any resolver runs, naming it', async () => {
    // AppSync's own request validation (APPSYNC-NOTES §6): no errorType, the variable named.
    for (const date of ['2027-02-30', 'next monday']) {
      const before = await tableSnapshot(server);
      const answer = await send(server, owner, CreateAvailabilityDocument, rule({ validFrom: date }));
      expect(answer.data).toBeNull();
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors?.[0].message).toBe(`Variable 'validFrom' has an invalid value. Unable to parse \`${date}\` as a valid date.`);
      expect(await tableSnapshot(server)).toEqual(before);
    }
  });

  it('refuses availability for another owner\'s provider as Unauthorized', async () => {
    const error = await refusedWithoutWrite(owner, CreateAvailabilityDocument, rule({ providerId: theirs.providerId }));
    expect(error).toMatchObject({ errorType: 'Unauthorized', message: "Only the provider's owner or an admin may do this" });
  });
});

describe('createBooking', () => {
  const slot = () => mine.slots[0].id;
  it.each([
    ['notes over 500 characters', () => ({ slotId: slot(), notes: 'x'.repeat(501) }), 'input.notes', 'input.notes must be at most 500 characters'],
    ['an idempotencyKey over 64 characters', () => ({ slotId: slot(), idempotencyKey: 'k'.repeat(65) }), 'input.idempotencyKey', 'input.idempotencyKey must be 1 to 64 characters'],
    ['an empty idempotencyKey', () => ({ slotId: slot(), idempotencyKey: '' }), 'input.idempotencyKey', 'input.idempotencyKey must be 1 to 64 characters'],
    ['an idempotencyKey with spaces', () => ({ slotId: slot(), idempotencyKey: 'my key' }), 'input.idempotencyKey', null],
    ['a malformed slot id', () => ({ slotId: 'slot-1' }), 'input.slotId', 'input.slotId is not a valid slot id'],
    ['a slot id with an impossible start', () => ({ slotId: `${mine.providerId}_20271345T0900Z` }), 'input.slotId', 'input.slotId is not a valid slot id'],
  ])('refuses %s', async (_what, input, field, message) => {
    const error = await refusedWithoutWrite(alice, CreateBookingDocument, { input: input() });
    expectInvalid(error, field);
    if (message) expect(error.message).toBe(message);
  });
});

describe('ids and ranges in reads', () => {
  it('refuses malformed ids, dates, ranges and page sizes, naming the argument', async () => {
    const day = mine.day;
    const cases: Array<[GraphqlError, string]> = [
      [await refusal(server, alice, GetBookingDocument, { id: 'booking-1' }), 'id'],
      [await refusal(server, alice, GetSlotDocument, { id: 'slot-1' }), 'id'],
      [await refusal(server, alice, GetProviderDocument, { id: 'not-a-ulid' }), 'id'],
      [await refusal(server, alice, ListSlotsDocument, { providerId: 'x', from: day, to: day }), 'providerId'],
      [await refusal(server, alice, ListSlotsDocument, { providerId: mine.providerId, from: `${day}+02:00`, to: day }), 'from'],
      [await refusal(server, alice, ListSlotsDocument, { providerId: mine.providerId, from: day, to: dateInDays(1) }), 'to'],
      [await refusal(server, alice, ListSlotsDocument, { providerId: mine.providerId, from: day, to: dateInDays(3 + 93) }), 'to'],
      [await refusal(server, alice, ListSlotsDocument, { providerId: mine.providerId, from: day, to: day, limit: 0 }), 'limit'],
      [await refusal(server, alice, ListProvidersDocument, { limit: 101 }), 'limit'],
      [await refusal(server, owner, ProviderBookingsDocument, { providerId: mine.providerId, from: '2027-01-02T00:00:00Z', to: '2027-01-01T00:00:00Z' }), 'to'],
    ];
    for (const [error, field] of cases) {
      expectInvalid(error, field);
    }
  });

  it('refuses a slot id whose provider part is another owner\'s, and reads of another provider\'s bookings', async () => {
    const error = await refusedWithoutWrite(owner, DeleteSlotDocument, { id: theirs.slots[0].id });
    expect(error.errorType).toBe('Unauthorized');
    expect((await refusal(server, owner, ProviderBookingsDocument, { providerId: theirs.providerId })).errorType).toBe('Unauthorized');
    // The provider part decides: the owner's start time under the rival's provider is not the owner's slot.
    const grafted = `${theirs.providerId}${mine.slots[1].id.slice(26)}`;
    expect((await refusedWithoutWrite(owner, DeleteSlotDocument, { id: grafted })).errorType).toBe('Unauthorized');
  });

  it('refuses a malformed id in a mutation without reading anything', async () => {
    for (const document of [CancelBookingDocument, DeleteSlotDocument]) {
      const error = await refusedWithoutWrite(owner, document as TypedDocumentNode<unknown, { id: string }>, { id: '../../etc' });
      expectInvalid(error, 'id');
    }
  });
});

describe('the limits themselves are allowed', () => {
  it('accepts a 120-character name, 500-character notes, a 64-character key and 5- and 480-minute slots', async () => {
    const { createProvider: p } = await ok(server, owner, CreateProviderDocument, { input: { name: 'n'.repeat(120), timeZone: 'UTC' } });
    expect(p.name).toHaveLength(120);
    const day = dateInDays(8);
    const short = await ok(server, owner, CreateAvailabilityDocument, {
      input: { providerId: p.id, daysOfWeek: [...EVERY_DAY], startTime: '08:00', endTime: '08:10', slotDurationMinutes: 5, validFrom: day, validTo: day },
    });
    expect(short.createAvailability.slotCount).toBe(2);
    const long = await ok(server, owner, CreateAvailabilityDocument, {
      input: { providerId: p.id, daysOfWeek: [...EVERY_DAY], startTime: '09:00', endTime: '17:00', slotDurationMinutes: 480, validFrom: day, validTo: day },
    });
    expect(long.createAvailability.slotCount).toBe(1);

    const booking = (await ok(server, alice, CreateBookingDocument, { input: { slotId: mine.slots[2].id, notes: 'x'.repeat(500), idempotencyKey: 'k'.repeat(64) } })).createBooking;
    expect(booking.notes).toHaveLength(500);

    // A cancel reason over 500 characters is refused too, leaving the booking as it was.
    await recordWritten(server, booking.id);
    const error = await refusedWithoutWrite(alice, CancelBookingDocument, { id: booking.id, reason: 'r'.repeat(501) });
    expect(error).toMatchObject({ errorType: 'ValidationError', message: 'reason must be at most 500 characters' });
  });

  it('lists slots over a range of exactly 92 days', async () => {
    const { listSlots } = await ok(server, alice, ListSlotsDocument, { providerId: mine.providerId, from: mine.day, to: dateInDays(3 + 92) });
    expect(listSlots.items.length).toBeGreaterThan(0);
  });
});

describe('raw GraphQL', () => {
  it('refuses an input field the schema does not have, before any resolver runs', async () => {
    const before = await tableSnapshot(server);
    const answer = await post(server, owner, 'mutation { createProvider(input: {name: "X", timeZone: "UTC", ownerId: "someone-else"}) { id } }');
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0].message).toContain('ownerId');
    expect(await tableSnapshot(server)).toEqual(before);
  });
});
