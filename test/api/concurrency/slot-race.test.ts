// DESIGN §5 step 3 under load: 200 users ask for the same slot at once. One transaction wins the
// hold; every other caller is told why it lost (SlotHeld after reading the hold, SlotUnavailable
// when its transaction lost the race), and the table keeps every invariant of §7.
//
// Most losers stop at the slot read (SlotHeld) and never reach the transaction, so a round alone
// does not prove the hold transaction's condition refuses a second hold. Rounds on fresh slots
// repeat (bounded) until a loser got past the read and was refused by that condition ("was taken
// while your hold was being placed"); a bare conflict ("changed at the same moment") does not
// count, since it does not exercise the condition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBookingDocument, GetBookingDocument, GetSlotDocument } from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { createSchedule, ok, outcome, send, tally, userAuth, type Auth, type Schedule } from '../../fixtures/api/schedule.ts';
import { bookingsOnTable, settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

const CALLERS = 200;
const MAX_ROUNDS = 6;

let server: TestServer;
let schedule: Schedule;

beforeAll(async () => {
  server = await startTestServer();
  schedule = await createSchedule(server, MAX_ROUNDS);
});

afterAll(async () => {
  await server?.close();
});

describe('200 concurrent createBooking calls for one slot', () => {
  it('holds the slot exactly once and tells every loser SlotHeld or SlotUnavailable', { timeout: 60_000 }, async () => {
    const client = localDynamoDb(server.dynamodbEndpoint);
    const winners: string[] = [];
    const seen: Record<string, number> = {};
    let refusedByCondition = 0;
    for (let round = 0; round < MAX_ROUNDS && refusedByCondition === 0; round++) {
      const slotId = schedule.slotIds[round];
      // Fresh users each round: a winner's earlier holds must not make it TooManyHolds.
      const users: Auth[] = await Promise.all(Array.from({ length: CALLERS }, (_, i) => userAuth(server, `racer-${round}-${i}`)));

      const answers = await Promise.all(users.map((auth) => send(server, auth, CreateBookingDocument, { input: { slotId } })));

      const outcomes = answers.map(outcome);
      const counts = tally(outcomes);
      console.info(`slot race round ${round}, ${CALLERS} callers: ${JSON.stringify(counts)}`);
      expect(counts.OK, `round ${round}`).toBe(1);
      for (const o of outcomes) expect(['OK', 'SlotHeld', 'SlotUnavailable']).toContain(o);
      for (const a of answers.filter((x) => x.errors)) expect(a.data).toBeNull();
      for (const o of outcomes) seen[o] = (seen[o] ?? 0) + 1;
      for (const a of answers.filter((x) => outcome(x) === 'SlotUnavailable')) {
        const message = a.errors![0].message;
        expect([
          `Slot ${slotId} was taken while your hold was being placed; pick another slot`,
          `Slot ${slotId} changed at the same moment as your hold; try again`,
        ]).toContain(message);
        if (message.includes('was taken')) refusedByCondition++;
      }

      const winnerIndex = outcomes.indexOf('OK');
      const held = answers[winnerIndex].data!.createBooking;
      winners.push(held.id);
      expect(held).toMatchObject({ slotId, status: 'PENDING', userId: expect.any(String) });

      const { getSlot } = await ok(server, users[winnerIndex], GetSlotDocument, { id: slotId });
      expect(getSlot).toMatchObject({ status: 'HELD', holdExpiresAt: held.holdExpiresAt });
      const { getBooking } = await ok(server, users[winnerIndex], GetBookingDocument, { id: held.id });
      expect(getBooking).toMatchObject({ id: held.id, status: 'PENDING' });
      const onSlot = (await bookingsOnTable(client, server.tableName)).filter((b) => b.slotId === slotId);
      expect(onSlot.map((b) => [b.id, b.status])).toEqual([[held.id, 'PENDING']]);
    }
    console.info(`slot race, ${winners.length} round(s): ${JSON.stringify(seen)}, ${refusedByCondition} refused by the hold condition`);
    expect(refusedByCondition, 'no loser reached the hold transaction and lost on its condition').toBeGreaterThan(0);

    const violations = await settledInvariants(client, server.tableName, { acceptedBookingIds: winners });
    expect(violations).toEqual([]);
  });
});
