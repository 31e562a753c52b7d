// DESIGN §6 through the API: each errorType where it arises, as a GraphQL field error (HTTP 200,
// the field null) with a message that says what to do. HoldExpired (needs a short hold),
// RateLimited (needs a small limit) and TooManyHolds (test/api/flows/holds-cap.test.ts) have their
// own servers; bad input in all its forms is in bad-input.test.ts. A data source's own failure keeps
// AppSync's errorType for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateAvailabilityDocument,
  CreateBookingDocument,
  CreateProviderDocument,
  DeleteSlotDocument,
  GetBookingDocument,
  ListSlotsDocument,
  MyBookingsDocument,
  ProviderBookingsDocument,
} from '../../../client/generated/operations.ts';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { epochMsToSecondIso, slotIdOf, slotKey, slotKeyOfId } from '../../../functions/shared/model.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { dateInDays, EVERY_DAY, ok, providerWithSlots, refusal, send, userAuth, type Auth, type ProviderWithSlots,
  slotDispenser,
} from '../flows/fixture.ts';

/** A well-formed id that names nothing. */
const UNKNOWN_ID = '01HZZZZZZZZZZZZZZZZZZZZZZZ';

let server: TestServer;
let owner: Auth;
let schedule: ProviderWithSlots;

beforeAll(async () => {
  server = await startTestServer();
  owner = await userAuth(server, 'errors-owner', ['providers']);
  schedule = await providerWithSlots(server, owner, { day: dateInDays(3), endTime: '21:00', slotMinutes: 30 });
});

afterAll(async () => {
  await server?.close();
});

const freshSlot = slotDispenser(() => schedule);

async function hold(auth: Auth, slotId: string) {
  return (await ok(server, auth, CreateBookingDocument, { input: { slotId } })).createBooking;
}

describe('NotFound', () => {
  it('names what does not exist: booking, slot, provider', async () => {
    const alice = await userAuth(server, 'nf-alice');
    const unknownSlot = `${schedule.providerId}_${schedule.day.replaceAll('-', '')}T0301Z`;
    const cases = [
      [await refusal(server, alice, GetBookingDocument, { id: UNKNOWN_ID }), `Booking ${UNKNOWN_ID} does not exist`],
      [await refusal(server, alice, ConfirmBookingDocument, { id: UNKNOWN_ID }), `Booking ${UNKNOWN_ID} does not exist`],
      [await refusal(server, alice, CancelBookingDocument, { id: UNKNOWN_ID }), `Booking ${UNKNOWN_ID} does not exist`],
      [await refusal(server, alice, CreateBookingDocument, { input: { slotId: unknownSlot } }), `Slot ${unknownSlot} does not exist`],
      [await refusal(server, owner, DeleteSlotDocument, { id: unknownSlot }), `Slot ${unknownSlot} does not exist`],
      [await refusal(server, alice, ListSlotsDocument, { providerId: UNKNOWN_ID, from: schedule.day, to: schedule.day }), `Provider ${UNKNOWN_ID} does not exist`],
      [await refusal(server, owner, ProviderBookingsDocument, { providerId: UNKNOWN_ID }), `Provider ${UNKNOWN_ID} does not exist`],
      [
        await refusal(server, owner, CreateAvailabilityDocument, {
          input: { providerId: UNKNOWN_ID, daysOfWeek: ['MONDAY'], startTime: '09:00', endTime: '10:00', slotDurationMinutes: 30, validFrom: schedule.day, validTo: schedule.day },
        }),
        `Provider ${UNKNOWN_ID} does not exist`,
      ],
    ] as const;
    for (const [error, message] of cases) {
      expect(error).toMatchObject({ errorType: 'NotFound', message });
    }
  });
});

describe('SlotHeld and SlotTaken', () => {
  it('refuses a slot another user holds (until when) and a booked slot', async () => {
    const [alice, bob] = await Promise.all([userAuth(server, 'held-alice'), userAuth(server, 'held-bob')]);
    const slot = freshSlot();
    const booking = await hold(alice, slot.id);
    const held = await refusal(server, bob, CreateBookingDocument, { input: { slotId: slot.id } });
    expect(held).toMatchObject({ errorType: 'SlotHeld', message: `Slot ${slot.id} is held by another booking until ${booking.holdExpiresAt}` });

    await ok(server, alice, ConfirmBookingDocument, { id: booking.id });
    const taken = await refusal(server, bob, CreateBookingDocument, { input: { slotId: slot.id } });
    expect(taken).toMatchObject({ errorType: 'SlotTaken', message: `Slot ${slot.id} is already booked` });
    // The holder's own second request is refused the same way.
    expect((await refusal(server, alice, CreateBookingDocument, { input: { slotId: slot.id } })).errorType).toBe('SlotTaken');
  });
});

describe('SlotUnavailable', () => {
  it('is the answer of a lost race: many users at once for one slot, one hold, the rest SlotHeld or SlotUnavailable', async () => {
    const users = await Promise.all(Array.from({ length: 16 }, (_, i) => userAuth(server, `racer-${i}`)));
    const seen: Record<string, number> = {};
    const accepted: string[] = [];
    // Which of the two a loser gets depends on timing; race fresh slots until a loser got past the
    // read and lost at the transaction (bounded).
    for (let round = 0; round < 6 && !seen.SlotUnavailable; round++) {
      const slot = freshSlot();
      const answers = await Promise.all(users.map((u) => send(server, u, CreateBookingDocument, { input: { slotId: slot.id } })));
      const outcomes = answers.map((a) => a.errors?.[0]?.errorType ?? 'OK');
      expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
      for (const a of answers) if (a.data?.createBooking) accepted.push(a.data.createBooking.id);
      for (const [i, o] of outcomes.entries()) {
        seen[o] = (seen[o] ?? 0) + 1;
        // Lost on the slot's condition (taken), or a bare conflict at the same moment (retry).
        if (o === 'SlotUnavailable') {
          expect([
            `Slot ${slot.id} was taken while your hold was being placed; pick another slot`,
            `Slot ${slot.id} changed at the same moment as your hold; try again`,
          ]).toContain(answers[i].errors?.[0].message);
        }
      }
      expect(outcomes.every((o) => ['OK', 'SlotHeld', 'SlotUnavailable'].includes(o))).toBe(true);
    }
    expect(seen.SlotUnavailable).toBeGreaterThan(0);
    // DESIGN §7 on the table after the races: one hold per raced slot, counters true.
    expect(await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: accepted, maxActiveHolds: 3 })).toEqual([]);
  });
});

describe('InvalidBookingState', () => {
  it('refuses to confirm a cancelled booking', async () => {
    const alice = await userAuth(server, 'state-alice');
    const booking = await hold(alice, freshSlot().id);
    await ok(server, alice, CancelBookingDocument, { id: booking.id });
    const refused = await refusal(server, alice, ConfirmBookingDocument, { id: booking.id });
    expect(refused).toMatchObject({ errorType: 'InvalidBookingState', message: `Booking ${booking.id} is cancelled and cannot be confirmed` });
  });
});

describe('AvailabilityConflict', () => {
  it('refuses a rule whose slots overlap existing ones, naming the first overlap, and writes nothing', async () => {
    const day = dateInDays(4);
    const { providerId, slots } = await providerWithSlots(server, owner, { day, endTime: '12:00' });
    const refused = await refusal(server, owner, CreateAvailabilityDocument, {
      input: { providerId, daysOfWeek: [...EVERY_DAY], startTime: '11:30', endTime: '13:00', slotDurationMinutes: 45, validFrom: day, validTo: day },
    });
    expect(refused.errorType).toBe('AvailabilityConflict');
    expect(refused.message).toContain(`overlaps 1 existing slot(s) of provider ${providerId}`);
    expect(refused.message).toContain(slots[2].id);
    const listed = await ok(server, owner, ListSlotsDocument, { providerId, from: day, to: day });
    expect(listed.listSlots.items.map((s) => s.id)).toEqual(slots.map((s) => s.id));
  });
});

describe('Unauthorized', () => {
  it('refuses to let anyone but the booking\'s user confirm it, and outsiders to manage a provider', async () => {
    const [alice, bob] = await Promise.all([userAuth(server, 'unauth-alice'), userAuth(server, 'unauth-bob')]);
    const booking = await hold(alice, freshSlot().id);
    for (const other of [bob, owner]) {
      const refused = await refusal(server, other, ConfirmBookingDocument, { id: booking.id });
      expect(refused).toMatchObject({ errorType: 'Unauthorized', message: 'Only the user who made a booking may confirm it' });
    }
    const intruder = await userAuth(server, 'unauth-provider', ['providers']);
    const refused = await refusal(server, intruder, DeleteSlotDocument, { id: freshSlot().id });
    expect(refused).toMatchObject({ errorType: 'Unauthorized', message: "Only the provider's owner or an admin may do this" });
  });
});

describe('data source errors', () => {
  it('keep the data source\'s own errorType: a forged nextToken is DynamoDB:UserIllegalArgumentException', async () => {
    const alice = await userAuth(server, 'token-alice');
    const refused = [
      await refusal(server, alice, MyBookingsDocument, { nextToken: 'garbage' }),
      await refusal(server, alice, ListSlotsDocument, { providerId: schedule.providerId, from: schedule.day, to: schedule.day, nextToken: 'garbage' }),
    ];
    for (const error of refused) {
      expect(error).toMatchObject({ errorType: 'DynamoDB:UserIllegalArgumentException', message: expect.stringContaining('Invalid pagination token given.') });
    }
  });
});

describe('ValidationError', () => {
  it('refuses a slot that has already started', async () => {
    // createAvailability makes no slot that has begun, but every slot begins in time: copy a
    // generated slot to a start an hour ago, as the table holds it then.
    const { createProvider: p } = await ok(server, owner, CreateProviderDocument, { input: { name: 'Early Clinic', timeZone: 'UTC' } });
    const tomorrow = dateInDays(1);
    await ok(server, owner, CreateAvailabilityDocument, {
      input: { providerId: p.id, daysOfWeek: [...EVERY_DAY], startTime: '09:00', endTime: '09:30', slotDurationMinutes: 30, validFrom: tomorrow, validTo: tomorrow },
    });
    const [slot] = (await ok(server, owner, ListSlotsDocument, { providerId: p.id, from: tomorrow, to: tomorrow })).listSlots.items;
    const doc = DynamoDBDocumentClient.from(localDynamoDb(server.dynamodbEndpoint));
    const { Item: item } = await doc.send(new GetCommand({ TableName: server.tableName, Key: slotKeyOfId(slot.id) ?? undefined, ConsistentRead: true }));
    const startMs = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
    const startTime = epochMsToSecondIso(startMs);
    const pastId = slotIdOf(p.id, startTime) as string;
    await doc.send(
      new PutCommand({
        TableName: server.tableName,
        Item: { ...item, ...slotKey(p.id, startTime), slotId: pastId, startTime, endTime: epochMsToSecondIso(startMs + 1_800_000), date: startTime.slice(0, 10) },
      }),
    );
    const alice = await userAuth(server, 'past-alice');
    const refused = await refusal(server, alice, CreateBookingDocument, { input: { slotId: pastId } });
    expect(refused).toMatchObject({ errorType: 'ValidationError', message: 'input.slotId is a slot in the past' });
  });
});
