// Races on one booking or one user (DESIGN §5, §7): confirm against cancel, two confirms or two
// cancels of one booking, retries of one idempotency key, and one user grabbing more slots than
// MAX_ACTIVE_HOLDS allows, all at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateBookingDocument,
  GetBookingDocument,
  GetSlotDocument,
} from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { createSchedule, ok, outcome, send, tally, userAuth, type GraphqlAnswer, type Schedule } from '../../fixtures/api/schedule.ts';
import { bookingsOnTable, settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

const MAX_ACTIVE_HOLDS = 3;
const CONFIRM_CANCEL_ROUNDS = 8;
const TWIN_ROUNDS = 8;
const IDEMPOTENT_RETRIES = 20;
const GREEDY_SLOTS = 5;

let server: TestServer;
let schedule: Schedule;
/** The twin confirm and twin cancel rounds' slots: more than one schedule's day holds. */
let twinSchedule: Schedule;
const accepted: string[] = [];
/** Slots handed out to the tests one by one, so no two tests share a slot. */
let nextSlot = 0;
const takeSlots = (n: number) => schedule.slotIds.slice(nextSlot, (nextSlot += n));
let nextTwinSlot = 0;
const takeTwinSlots = (n: number) => twinSchedule.slotIds.slice(nextTwinSlot, (nextTwinSlot += n));

beforeAll(async () => {
  server = await startTestServer({ env: { HOLD_SECONDS: '300', MAX_ACTIVE_HOLDS: String(MAX_ACTIVE_HOLDS) } });
  schedule = await createSchedule(server, CONFIRM_CANCEL_ROUNDS + 1 + GREEDY_SLOTS + 1);
  twinSchedule = await createSchedule(server, 2 * TWIN_ROUNDS);
});

afterAll(async () => {
  await server?.close();
});

function invariants() {
  return settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: accepted, maxActiveHolds: MAX_ACTIVE_HOLDS });
}

describe('confirm and cancel of one booking at the same moment', () => {
  it('ends in the state the successful calls describe, every round', async () => {
    const results: string[] = [];
    for (const [round, slotId] of takeSlots(CONFIRM_CANCEL_ROUNDS).entries()) {
      const user = await userAuth(server, `decider-${round}`);
      const { createBooking } = await ok(server, user, CreateBookingDocument, { input: { slotId } });
      accepted.push(createBooking.id);
      const [confirm, cancel] = await Promise.all([
        send(server, user, ConfirmBookingDocument, { id: createBooking.id }),
        send(server, user, CancelBookingDocument, { id: createBooking.id, reason: 'race' }),
      ]);
      const pair = `confirm ${outcome(confirm)} / cancel ${outcome(cancel)}`;
      results.push(pair);
      expect(['OK', 'InvalidBookingState', 'SlotUnavailable']).toContain(outcome(confirm));
      expect(['OK', 'InvalidBookingState', 'SlotUnavailable']).toContain(outcome(cancel));

      const { getBooking } = await ok(server, user, GetBookingDocument, { id: createBooking.id });
      const { getSlot } = await ok(server, user, GetSlotDocument, { id: slotId });
      // A successful cancel is the last word (it may cancel the confirmed booking); else a successful confirm.
      if (cancel.data) {
        expect(getBooking?.status, pair).toBe('CANCELLED');
        expect(getSlot?.status, pair).toBe('AVAILABLE');
      } else if (confirm.data) {
        expect(getBooking?.status, pair).toBe('CONFIRMED');
        expect(getSlot?.status, pair).toBe('BOOKED');
      } else {
        // Both lost to each other's conflict: the hold is untouched.
        expect(getBooking?.status, pair).toBe('PENDING');
        expect(getSlot?.status, pair).toBe('HELD');
      }
    }
    console.info(`confirm/cancel races: ${JSON.stringify(tally(results))}`);
    expect(await invariants()).toEqual([]);
  });
});

/**
 * Sends the same transition twice at once, and again (once) for an answer that lost to a bare
 * transaction conflict (SlotUnavailable: retry). Answers the final outcome of each of the two.
 */
async function twice<T>(first: () => Promise<GraphqlAnswer<T>>, second: () => Promise<GraphqlAnswer<T>>, results: string[]) {
  const raced = await Promise.all([first(), second()]);
  results.push(raced.map(outcome).join(' / '));
  return Promise.all(raced.map((answer, i) => (outcome(answer) === 'SlotUnavailable' ? (i === 0 ? first() : second()) : answer)));
}

describe('the same transition of one booking twice at the same moment', () => {
  // The loser of the transaction finds the record already in the target state and must answer it
  // (confirm.2 / cancel.3 response), not HoldExpired or InvalidBookingState: a client retrying a
  // timed-out call would otherwise be told its successful confirm or cancel failed.
  it('answers both confirms with the one CONFIRMED booking, every round', async () => {
    const results: string[] = [];
    for (const [round, slotId] of takeTwinSlots(TWIN_ROUNDS).entries()) {
      const user = await userAuth(server, `double-confirm-${round}`);
      const { createBooking } = await ok(server, user, CreateBookingDocument, { input: { slotId } });
      accepted.push(createBooking.id);
      const confirm = () => send(server, user, ConfirmBookingDocument, { id: createBooking.id });

      const answers = await twice(confirm, confirm, results);

      expect(answers.map(outcome), `round ${round}: ${JSON.stringify(answers.map((a) => a.errors))}`).toEqual(['OK', 'OK']);
      const [a, b] = answers.map((x) => x.data!.confirmBooking);
      expect(a).toMatchObject({ id: createBooking.id, status: 'CONFIRMED' });
      expect(b).toEqual(a);
      expect((await ok(server, user, GetBookingDocument, { id: createBooking.id })).getBooking).toEqual(a);
      expect((await ok(server, user, GetSlotDocument, { id: slotId })).getSlot?.status).toBe('BOOKED');
    }
    console.info(`confirm/confirm races: ${JSON.stringify(tally(results))}`);
    expect(await invariants()).toEqual([]);
  });

  it('answers both cancels with the one CANCELLED booking, every round', async () => {
    const results: string[] = [];
    for (const [round, slotId] of takeTwinSlots(TWIN_ROUNDS).entries()) {
      const user = await userAuth(server, `double-cancel-${round}`);
      const { createBooking } = await ok(server, user, CreateBookingDocument, { input: { slotId } });
      accepted.push(createBooking.id);
      // Different reasons: both answers must be the one cancel that won, with its reason.
      const cancel = (reason: string) => () => send(server, user, CancelBookingDocument, { id: createBooking.id, reason });

      const answers = await twice(cancel('first'), cancel('second'), results);

      expect(answers.map(outcome), `round ${round}: ${JSON.stringify(answers.map((a) => a.errors))}`).toEqual(['OK', 'OK']);
      const [a, b] = answers.map((x) => x.data!.cancelBooking);
      expect(a).toMatchObject({ id: createBooking.id, status: 'CANCELLED' });
      expect(['first', 'second']).toContain(a.cancelReason);
      expect(b).toEqual(a);
      expect((await ok(server, user, GetBookingDocument, { id: createBooking.id })).getBooking).toEqual(a);
      expect((await ok(server, user, GetSlotDocument, { id: slotId })).getSlot?.status).toBe('AVAILABLE');
    }
    console.info(`cancel/cancel races: ${JSON.stringify(tally(results))}`);
    expect(await invariants()).toEqual([]);
  });
});

describe('one idempotency key sent many times at once', () => {
  it('places one hold; every call answers that booking, or, while the hold is still being placed, to retry', async () => {
    const [slotId] = takeSlots(1);
    const user = await userAuth(server, 'retrier');
    const input = { slotId, idempotencyKey: 'checkout-42' };

    const answers = await Promise.all(Array.from({ length: IDEMPOTENT_RETRIES }, () => send(server, user, CreateBookingDocument, { input })));

    console.info(`idempotent retries: ${JSON.stringify(tally(answers.map(outcome)))}`);
    // A call that finds the key's record before its request has queued the booking is told to
    // retry: the enqueue could still fail and give that booking back (lib/bookings.ts requirePlaced).
    for (const answer of answers) {
      if (answer.data) continue;
      expect(answer.errors?.[0]).toMatchObject({ errorType: 'SlotUnavailable', message: 'A request with this idempotencyKey is still placing its hold; retry in a moment' });
    }
    const ids = new Set(answers.filter((a) => a.data).map((a) => a.data?.createBooking.id));
    expect(ids.size).toBe(1);
    const [bookingId] = [...ids] as string[];
    accepted.push(bookingId);
    const mine = (await bookingsOnTable(localDynamoDb(server.dynamodbEndpoint), server.tableName)).filter((b) => b.slotId === slotId);
    expect(mine.map((b) => [b.id, b.status])).toEqual([[bookingId, 'PENDING']]);
    // A later retry still answers with that booking.
    const again = await ok(server, user, CreateBookingDocument, { input });
    expect(again.createBooking.id).toBe(bookingId);
    expect(await invariants()).toEqual([]);
  });
});

describe('one user racing for more slots than MAX_ACTIVE_HOLDS', () => {
  it('never holds more than the cap, and the counter matches the live holds', async () => {
    const slots = takeSlots(GREEDY_SLOTS);
    const user = await userAuth(server, 'greedy');

    const answers = await Promise.all(slots.map((slotId) => send(server, user, CreateBookingDocument, { input: { slotId } })));

    const outcomes = answers.map(outcome);
    console.info(`${GREEDY_SLOTS} slots, cap ${MAX_ACTIVE_HOLDS}: ${JSON.stringify(tally(outcomes))}`);
    for (const o of outcomes) expect(['OK', 'TooManyHolds', 'SlotUnavailable']).toContain(o);
    const won = answers.filter((a) => a.data).map((a) => a.data!.createBooking.id);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.length).toBeLessThanOrEqual(MAX_ACTIVE_HOLDS);
    accepted.push(...won);

    // Asked one by one, the rest fill the cap and no more.
    for (const [i, slotId] of slots.entries()) {
      if (answers[i].data) continue;
      const retry = await send(server, user, CreateBookingDocument, { input: { slotId } });
      if (retry.data) accepted.push(retry.data.createBooking.id);
      else expect(outcome(retry)).toBe('TooManyHolds');
    }
    const holds = (await bookingsOnTable(localDynamoDb(server.dynamodbEndpoint), server.tableName)).filter(
      (b) => b.status === 'PENDING' && slots.includes(b.slotId),
    );
    expect(holds).toHaveLength(MAX_ACTIVE_HOLDS);

    // Giving one back makes room for exactly one more.
    await ok(server, user, CancelBookingDocument, { id: holds[0].id });
    const [spare] = takeSlots(1);
    const extra = await ok(server, user, CreateBookingDocument, { input: { slotId: spare } });
    accepted.push(extra.createBooking.id);
    expect(await invariants()).toEqual([]);
  });
});
