// DESIGN §5 step 3 under load: 200 users ask for the same slot at once. One transaction wins the
// hold; every other caller is told why it lost (SlotHeld after reading the hold, SlotUnavailable
// when its transaction lost the race), and the table keeps every invariant of §7.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBookingDocument, GetBookingDocument, GetSlotDocument } from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { createSchedule, ok, outcome, send, tally, userAuth, type Auth, type Schedule } from '../../fixtures/api/schedule.ts';
import { bookingsOnTable, settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

const CALLERS = 200;

let server: TestServer;
let schedule: Schedule;

beforeAll(async () => {
  server = await startTestServer();
  schedule = await createSchedule(server, 1);
});

afterAll(async () => {
  await server?.close();
});

describe('200 concurrent createBooking calls for one slot', () => {
  it('holds the slot exactly once and tells every loser SlotHeld or SlotUnavailable', async () => {
    const slotId = schedule.slotIds[0];
    const users: Auth[] = await Promise.all(Array.from({ length: CALLERS }, (_, i) => userAuth(server, `racer-${i}`)));

    const answers = await Promise.all(users.map((auth) => send(server, auth, CreateBookingDocument, { input: { slotId } })));

    const outcomes = answers.map(outcome);
    const counts = tally(outcomes);
    console.info(`slot race, ${CALLERS} callers: ${JSON.stringify(counts)}`);
    expect(counts.OK).toBe(1);
    for (const o of outcomes) expect(['OK', 'SlotHeld', 'SlotUnavailable']).toContain(o);
    for (const a of answers.filter((x) => x.errors)) expect(a.data).toBeNull();

    const winnerIndex = outcomes.indexOf('OK');
    const held = answers[winnerIndex].data!.createBooking;
    expect(held).toMatchObject({ slotId, status: 'PENDING', userId: expect.any(String) });

    const { getSlot } = await ok(server, users[winnerIndex], GetSlotDocument, { id: slotId });
    expect(getSlot).toMatchObject({ status: 'HELD', holdExpiresAt: held.holdExpiresAt });
    const { getBooking } = await ok(server, users[winnerIndex], GetBookingDocument, { id: held.id });
    expect(getBooking).toMatchObject({ id: held.id, status: 'PENDING' });

    const client = localDynamoDb(server.dynamodbEndpoint);
    const onTable = await bookingsOnTable(client, server.tableName);
    expect(onTable.map((b) => [b.id, b.status])).toEqual([[held.id, 'PENDING']]);
    const violations = await settledInvariants(client, server.tableName, { acceptedBookingIds: [held.id] });
    expect(violations).toEqual([]);
  });
});
