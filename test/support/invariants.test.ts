// The invariant checker itself: it passes a consistent table and names each broken invariant of
// DESIGN §7 on tables written to break exactly one.
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bookingKey, epochMsToIso, holdCounterKey, holdKey, slotIdOf, slotKey } from '../../functions/shared/model.ts';
import { localDynamoDb } from '../../local/dynamodb/client.ts';
import { checkInvariants } from './invariants.ts';
import { dynamodbEndpoint, freshTable } from './dynamodb.ts';

const PROVIDER = '01JAAAAAAAAAAAAAAAAAAAAAAA';
const START = '2030-01-07T09:00:00Z';
const SLOT_ID = slotIdOf(PROVIDER, START) as string;
const NOW = Date.parse('2030-01-01T12:00:00.000Z');
const client = localDynamoDb(dynamodbEndpoint());
const doc = DynamoDBDocumentClient.from(client);

let table: Awaited<ReturnType<typeof freshTable>>;
beforeEach(async () => {
  table = await freshTable('inv');
});
afterEach(async () => {
  await table.drop();
});

const put = (item: Record<string, unknown>) => doc.send(new PutCommand({ TableName: table.tableName, Item: item }));

function slot(status: string, extra: Record<string, unknown> = {}) {
  return put({ ...slotKey(PROVIDER, START), entity: 'SLOT', slotId: SLOT_ID, providerId: PROVIDER, status, version: 2, ...extra });
}

function booking(id: string, status: string, holdExpiresMs: number, extra: Record<string, unknown> = {}) {
  const stamps: Record<string, string> = { CONFIRMED: 'confirmedAt', CANCELLED: 'cancelledAt', EXPIRED: 'expiredAt' };
  return {
    id,
    slotId: SLOT_ID,
    providerId: PROVIDER,
    userId: 'u1',
    status,
    holdExpiresAt: epochMsToIso(holdExpiresMs),
    ...(stamps[status] ? { [stamps[status]]: epochMsToIso(NOW) } : {}),
    ...extra,
  };
}

const record = (b: ReturnType<typeof booking>) => put({ ...bookingKey(b.id), entity: 'BOOKING', ...b });
const marker = (b: ReturnType<typeof booking>) =>
  put({ ...holdKey(b.id), entity: 'HOLD', bookingId: b.id, slotId: b.slotId, userId: b.userId, providerId: PROVIDER, ttl: Math.ceil(Date.parse(b.holdExpiresAt) / 1000), booking: b });
const counter = (count: number) => put({ ...holdCounterKey('u1'), entity: 'HOLD_COUNTER', count });

const A = '01JBBBBBBBBBBBBBBBBBBBBBBB';
const B = '01JCCCCCCCCCCCCCCCCCCCCCCC';

async function live(id: string) {
  const b = booking(id, 'PENDING', NOW + 60_000);
  await Promise.all([record(b), marker(b)]);
  return b;
}

describe('checkInvariants', () => {
  it('passes a live hold, its slot, marker and counter', async () => {
    const b = await live(A);
    await Promise.all([slot('HELD', { bookingId: A, heldBy: 'u1', holdExpiresAt: b.holdExpiresAt }), counter(1)]);
    expect(await checkInvariants(client, table.tableName, { now: NOW, acceptedBookingIds: [A], maxActiveHolds: 3 })).toEqual([]);
  });

  it('reports two live bookings on one slot (§7.1)', async () => {
    const a = await live(A);
    await Promise.all([live(B), slot('HELD', { bookingId: A, heldBy: 'u1', holdExpiresAt: a.holdExpiresAt }), counter(2)]);
    const violations = await checkInvariants(client, table.tableName, { now: NOW });
    expect(violations.some((v) => v.startsWith('§7.1') && v.includes('2 live bookings'))).toBe(true);
  });

  it('reports a BOOKED slot without its CONFIRMED booking (§7.2)', async () => {
    await Promise.all([slot('BOOKED', { bookingId: A }), record(booking(A, 'CANCELLED', NOW - 60_000))]);
    expect(await checkInvariants(client, table.tableName, { now: NOW })).toContain(`§7.2: slot ${SLOT_ID} is BOOKED with 0 CONFIRMED bookings`);
  });

  it('reports a hold kept past its deadline beyond the grace, and tolerates it within (§7.3)', async () => {
    const b = booking(A, 'PENDING', NOW - 10_000);
    await Promise.all([record(b), marker(b), slot('HELD', { bookingId: A, heldBy: 'u1', holdExpiresAt: b.holdExpiresAt }), counter(1)]);
    const strict = await checkInvariants(client, table.tableName, { now: NOW, graceMs: 5_000 });
    expect(strict.filter((v) => v.startsWith('§7.3'))).toHaveLength(3);
    expect(await checkInvariants(client, table.tableName, { now: NOW, graceMs: 15_000 })).toEqual([]);
  });

  it('reports a hold marker left behind by a settled booking (§7.3)', async () => {
    const b = booking(A, 'EXPIRED', NOW - 10_000);
    await Promise.all([record(b), marker({ ...b, status: 'PENDING' }), slot('AVAILABLE'), counter(1)]);
    expect(await checkInvariants(client, table.tableName, { now: NOW, graceMs: 60_000 })).toContain(
      `§7.3: hold marker of booking ${A} outlived its hold: the booking is EXPIRED`,
    );
  });

  it('reports a counter that does not match the live holds (§7.4)', async () => {
    const b = await live(A);
    await Promise.all([slot('HELD', { bookingId: A, heldBy: 'u1', holdExpiresAt: b.holdExpiresAt }), counter(2)]);
    expect(await checkInvariants(client, table.tableName, { now: NOW })).toEqual([
      "§7.4: user u1's active-hold counter is 2, but 1 holds are live (1 hold markers, 0 TTL expiries pending)",
    ]);
  });

  it('accepts settled bookings of a deleted slot, and reports an unsettled one (§7.5)', async () => {
    await record(booking(A, 'CANCELLED', NOW - 60_000));
    expect(await checkInvariants(client, table.tableName, { now: NOW, acceptedBookingIds: [A] })).toEqual([]);
    await record(booking(B, 'CONFIRMED', NOW - 60_000));
    expect(await checkInvariants(client, table.tableName, { now: NOW, acceptedBookingIds: [A, B] })).toEqual([
      `§7.5: bookings ${B} CONFIRMED point at slot ${SLOT_ID}, which does not exist`,
    ]);
  });

  it('reports an accepted booking that was lost or never recorded (§7.5)', async () => {
    const b = booking(A, 'PENDING', NOW + 60_000);
    await Promise.all([marker(b), slot('HELD', { bookingId: A, heldBy: 'u1', holdExpiresAt: b.holdExpiresAt }), counter(1)]);
    expect(await checkInvariants(client, table.tableName, { now: NOW, acceptedBookingIds: [A, B] })).toEqual([
      `§7.5: accepted booking ${A} has no booking record yet`,
      `§7.5: accepted booking ${B} is lost: no record and no hold`,
    ]);
    expect(await checkInvariants(client, table.tableName, { now: NOW, acceptedBookingIds: [A], requireRecords: false })).toEqual([]);
  });
});
