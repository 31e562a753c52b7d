// generate-slots against DynamoDB Local: the DST matrix, every validation error, overlaps,
// idempotent re-runs and concurrent rules for one provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { DeleteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freshTable } from '../../support/dynamodb.ts';
import { sunday, utc, year } from '../../support/dst-days.ts';
import { documentClient, lambdaContext, newUlid, stubFunctionEnv } from '../support.ts';
import { availabilityKey, isoToEpochMs, providerKey, type ProviderItem, type SlotItem } from '../../../functions/shared/model.ts';
import type { GenerateSlotsEvent, Availability } from '../../../functions/generate-slots/handler.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let doc: DynamoDBDocumentClient;
let generateSlots: typeof import('../../../functions/generate-slots/handler.ts').handler;

beforeAll(async () => {
  table = await freshTable('gen');
  stubFunctionEnv({ TABLE_NAME: table.tableName });
  doc = documentClient();
  ({ handler: generateSlots } = await import('../../../functions/generate-slots/handler.ts'));
});

/** The handler, with a refused rule (returned as a rejection) turned into a thrown Error with its message. */
async function handler(event: GenerateSlotsEvent, context?: typeof lambdaContext): Promise<Availability> {
  const answer = await generateSlots(event, context);
  if ('rejection' in answer) throw new Error(answer.rejection.message);
  return answer;
}
afterAll(async () => {
  await table?.drop();
});

function provider(timeZone: string, ownerId = 'owner-1'): ProviderItem {
  const id = newUlid();
  return { ...providerKey(id), entity: 'PROVIDER', id, name: 'Clinic', timeZone, ownerId, createdAt: '', updatedAt: '', GSI1PK: 'PROVIDERS', GSI1SK: `Clinic#${id}` };
}

function event(p: ProviderItem, input: Record<string, unknown>, identity: GenerateSlotsEvent['identity'] = { sub: p.ownerId, groups: [] }): GenerateSlotsEvent {
  return {
    input: { providerId: p.id, daysOfWeek: ['SUNDAY'], startTime: '00:00', endTime: '04:00', slotDurationMinutes: 60, ...input },
    identity,
    provider: p,
  };
}

async function slotsOf(providerId: string): Promise<SlotItem[]> {
  const out = await doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :slot)',
      ExpressionAttributeValues: { ':pk': `PROVIDER#${providerId}`, ':slot': 'SLOT#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []) as SlotItem[];
}

async function itemsOf(providerId: string): Promise<Record<string, unknown>[]> {
  const out = await doc.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `PROVIDER#${providerId}` }, ConsistentRead: true }),
  );
  return out.Items ?? [];
}

async function generate(timeZone: string, date: string, input: Record<string, unknown>) {
  const p = provider(timeZone);
  const result = await handler(event(p, { validFrom: date, validTo: date, ...input }), lambdaContext);
  const slots = await slotsOf(p.id);
  return { p, result, slots, starts: slots.map((s) => s.startTime) };
}

describe('DST matrix', () => {
  it('America/New_York spring forward: the missing 02:00 is skipped', async () => {
    const day = sunday(3, 2);
    const { result, slots, starts } = await generate('America/New_York', day, {});
    expect(starts).toEqual([utc(day, '05:00'), utc(day, '06:00'), utc(day, '07:00')]);
    expect(slots.map((s) => s.endTime)).toEqual([utc(day, '06:00'), utc(day, '07:00'), utc(day, '08:00')]);
    expect(result.slotCount).toBe(3);
    expect(slots.every((s) => s.date === day && s.status === 'AVAILABLE' && s.version === 1 && s.availabilityId === result.id)).toBe(true);
  });

  it('America/New_York fall back: the repeated 01:00 yields two UTC slots', async () => {
    const day = sunday(11, 1);
    const { result, slots, starts } = await generate('America/New_York', day, {});
    expect(starts).toEqual([utc(day, '04:00'), utc(day, '05:00'), utc(day, '06:00'), utc(day, '07:00'), utc(day, '08:00')]);
    expect(new Set(slots.map((s) => s.slotId)).size).toBe(5);
    expect(result.slotCount).toBe(5);
  });

  it('America/New_York fall back with slots longer than the shift: no overlap', async () => {
    const day = sunday(11, 1);
    const { starts, slots } = await generate('America/New_York', day, { slotDurationMinutes: 90 });
    // 00:00 EDT and 01:30 EDT; 01:30 EST would overlap 01:30 EDT's slot.
    expect(starts).toEqual([utc(day, '04:00'), utc(day, '05:30')]);
    expect(slots.map((s) => s.endTime)).toEqual([utc(day, '05:30'), utc(day, '07:00')]);
  });

  it('Europe/London spring forward with slots longer than the gap leaves: no overlap', async () => {
    const spring = sunday(3, -1);
    const { starts } = await generate('Europe/London', spring, { startTime: '00:00', endTime: '04:00', slotDurationMinutes: 45 });
    // 00:00 and 00:45 GMT; 01:30 does not exist; 02:15 BST (01:15Z) starts inside 00:45's slot,
    // which ends at 01:30Z (02:30 BST); 03:00 BST (02:00Z) is next.
    expect(starts).toEqual([utc(spring, '00:00'), utc(spring, '00:45'), utc(spring, '02:00')]);
  });

  it('Europe/London spring forward and fall back (slots across the UTC date line keep the local date)', async () => {
    const spring = sunday(3, -1);
    const a = await generate('Europe/London', spring, { startTime: '00:00', endTime: '03:00', slotDurationMinutes: 30 });
    expect(a.starts).toEqual([utc(spring, '00:00'), utc(spring, '00:30'), utc(spring, '01:00'), utc(spring, '01:30')]);
    const fall = sunday(10, -1);
    const b = await generate('Europe/London', fall, { startTime: '00:30', endTime: '02:30', slotDurationMinutes: 30 });
    expect(b.starts.sort()).toEqual([utc(fall, '23:30', -1), utc(fall, '00:00'), utc(fall, '00:30'), utc(fall, '01:00'), utc(fall, '01:30'), utc(fall, '02:00')]);
    expect(b.slots.every((s) => s.date === fall)).toBe(true);
  });

  it('Australia/Lord_Howe: the 30-minute shift both ways', async () => {
    const spring = sunday(10, 1);
    const a = await generate('Australia/Lord_Howe', spring, { startTime: '01:00', endTime: '04:00', slotDurationMinutes: 30 });
    // 01:00 and 01:30 at +10:30, 02:00 does not exist, then 02:30 … 03:30 at +11.
    expect(a.starts).toEqual([utc(spring, '14:30', -1), utc(spring, '15:00', -1), utc(spring, '15:30', -1), utc(spring, '16:00', -1), utc(spring, '16:30', -1)]);
    const fall = sunday(4, 1);
    const b = await generate('Australia/Lord_Howe', fall, { startTime: '01:00', endTime: '03:00', slotDurationMinutes: 30 });
    // 01:30 happens twice (+11, then +10:30).
    expect(b.starts).toEqual([utc(fall, '14:00', -1), utc(fall, '14:30', -1), utc(fall, '15:00', -1), utc(fall, '15:30', -1), utc(fall, '16:00', -1)]);
  });

  it('Asia/Kolkata: no DST, weekdays over two weeks with a buffer', async () => {
    const monday = DateTime.fromISO(sunday(6, 1)).plus({ days: 1 }).toISODate()!;
    const friday2 = DateTime.fromISO(monday).plus({ days: 11 }).toISODate()!;
    const p = provider('Asia/Kolkata');
    const result = await handler(
      event(p, {
        daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
        startTime: '09:00',
        endTime: '12:00',
        slotDurationMinutes: 45,
        bufferMinutes: 15,
        validFrom: monday,
        validTo: friday2,
      }),
    );
    const slots = await slotsOf(p.id);
    expect(result).toMatchObject({ slotCount: 30, startTime: '09:00', endTime: '12:00', bufferMinutes: 15, validFrom: monday, validTo: friday2 });
    expect(result.daysOfWeek).toEqual(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY']);
    expect(slots).toHaveLength(30);
    expect(slots.filter((s) => s.date === monday).map((s) => s.startTime)).toEqual([utc(monday, '03:30'), utc(monday, '04:30'), utc(monday, '05:30')]);
    expect(slots.some((s) => DateTime.fromISO(s.date).weekday > 5)).toBe(false);
  });
});

describe('validation', () => {
  const day = sunday(6, 2);
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['end not after start', { startTime: '10:00', endTime: '10:00' }, 'ValidationError: input.endTime must be after input.startTime'],
    ['slot too short', { slotDurationMinutes: 4 }, 'ValidationError: input.slotDurationMinutes must be a whole number between 5 and 480'],
    ['slot too long', { slotDurationMinutes: 481 }, 'ValidationError: input.slotDurationMinutes must be a whole number between 5 and 480'],
    ['slot longer than the window', { slotDurationMinutes: 300 }, 'ValidationError: input.slotDurationMinutes is longer than the window'],
    ['fractional slot', { slotDurationMinutes: 30.5 }, 'ValidationError: input.slotDurationMinutes must be a whole number'],
    ['buffer too long', { bufferMinutes: 241 }, 'ValidationError: input.bufferMinutes must be a whole number between 0 and 240'],
    ['negative buffer', { bufferMinutes: -1 }, 'ValidationError: input.bufferMinutes must be a whole number between 0 and 240'],
    ['malformed time', { startTime: '9am' }, 'ValidationError: input.startTime must be a provider-local time'],
    ['time with seconds', { startTime: '09:00:30' }, 'ValidationError: input.startTime must be a provider-local time'],
    ['time with offset', { endTime: '10:00+01:00' }, 'ValidationError: input.endTime must be a provider-local time'],
    ['impossible date', { validFrom: `${year}-02-30` }, 'ValidationError: input.validFrom must be a calendar date'],
    ['malformed date', { validTo: `${year}/07/01` }, 'ValidationError: input.validTo must be a calendar date'],
    ['reversed dates', { validFrom: `${year}-07-10`, validTo: `${year}-07-01` }, 'ValidationError: input.validTo must not be before input.validFrom'],
    ['range over 90 days', { validFrom: `${year}-01-01`, validTo: `${year}-04-01` }, 'ValidationError: input.validTo must be at most 90 days'],
    ['empty daysOfWeek', { daysOfWeek: [] }, 'ValidationError: input.daysOfWeek must name at least one day'],
    ['unknown day', { daysOfWeek: ['SUNDAY', 'FUNDAY'] }, 'ValidationError: input.daysOfWeek[1] must be one of MONDAY'],
    ['repeated day', { daysOfWeek: ['SUNDAY', 'SUNDAY'] }, 'ValidationError: input.daysOfWeek must list each day at most once'],
    ['malformed provider id', { providerId: 'provider-1' }, 'ValidationError: input.providerId is not a valid id'],
    ['a date in the past', { validFrom: '2020-01-05', validTo: '2020-01-05' }, 'ValidationError: input.validFrom must not be in the past'],
    [
      'over 2,000 slots',
      { daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'], startTime: '08:00', endTime: '20:00', slotDurationMinutes: 5, validFrom: day, validTo: DateTime.fromISO(day).plus({ days: 29 }).toISODate() },
      'ValidationError: input generates 4320 slots, more than 2000',
    ],
    ['no day in range', { daysOfWeek: ['MONDAY'], validFrom: day, validTo: day }, 'ValidationError: input generates no slots'],
  ];

  it.each(cases)('%s', async (_name, input, message) => {
    const p = provider('Europe/Paris');
    await expect(handler(event(p, { validFrom: day, validTo: day, ...input }))).rejects.toThrow(message);
    expect(await itemsOf(p.id)).toEqual([]);
  });

  it('a rule for today gets only the slots still to come, and none at all once the day is over', async () => {
    // Kiritimati is UTC+14: its today has most hours still to come whenever this runs, or none.
    const zone = 'Pacific/Kiritimati';
    const today = DateTime.now().setZone(zone).toISODate() as string;
    const all = DateTime.now().setZone(zone).weekdayLong?.toUpperCase() as string;
    const p = provider(zone);
    const rule = { daysOfWeek: [all], startTime: '00:00', endTime: '23:00', slotDurationMinutes: 60, validFrom: today, validTo: today };
    const before = Date.now();
    const expected = Array.from({ length: 23 }, (_, h) => DateTime.fromISO(`${today}T00:00`, { zone }).plus({ hours: h }).toMillis()).filter((ms) => ms > before);
    if (expected.length === 0) {
      await expect(handler(event(p, rule))).rejects.toThrow('ValidationError: input generates no slots: every slot it describes has already started');
      return;
    }
    const result = await handler(event(p, rule), lambdaContext);
    const starts = (await slotsOf(p.id)).map((s) => Date.parse(s.startTime)).sort((a, b) => a - b);
    // A slot may start between `before` and the handler's own clock reading: at most one less.
    expect(starts.every((ms) => ms > before)).toBe(true);
    expect(starts.length).toBeGreaterThanOrEqual(expected.length - 1);
    expect(starts).toEqual(expected.slice(expected.length - starts.length));
    expect(result.slotCount).toBe(starts.length);
  });

  it('a range of exactly 90 days (inclusive) is accepted; 91 is not', async () => {
    // validTo - validFrom + 1 counts both ends: D..D+89 sits exactly on the limit.
    const p = provider('Europe/Paris');
    const at90 = DateTime.fromISO(day).plus({ days: 89 }).toISODate()!;
    const at91 = DateTime.fromISO(day).plus({ days: 90 }).toISODate()!;
    await expect(handler(event(p, { validFrom: day, validTo: at91 }))).rejects.toThrow('ValidationError: input.validTo must be at most 90 days');
    const result = await handler(event(p, { validFrom: day, validTo: at90 }));
    // Thirteen Sundays (D, D+7 … D+84), four slots each.
    expect(result).toMatchObject({ validFrom: day, validTo: at90, slotCount: 52 });
  });

  it('exactly 2,000 slots are accepted; 2,020 are not', async () => {
    // Every day for 20 days in a zone without DST: 100 five-minute slots a day (08:00–16:20), or
    // 101 with five minutes more.
    const everyDay = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
    const rule = { daysOfWeek: everyDay, startTime: '08:00', slotDurationMinutes: 5, validFrom: day, validTo: DateTime.fromISO(day).plus({ days: 19 }).toISODate() };
    const p = provider('Asia/Kolkata');
    await expect(handler(event(p, { ...rule, endTime: '16:25' }))).rejects.toThrow('ValidationError: input generates 2020 slots, more than 2000');
    expect(await itemsOf(p.id)).toEqual([]);
    const result = await handler(event(p, { ...rule, endTime: '16:20' }));
    expect(result.slotCount).toBe(2000);
    expect(await slotsOf(p.id)).toHaveLength(2000);
  });

  it('an unknown IANA zone', async () => {
    const p = provider('Mars/Olympus_Mons');
    await expect(handler(event(p, { validFrom: day, validTo: day }))).rejects.toThrow('ValidationError: provider.timeZone "Mars/Olympus_Mons" is not a known IANA time zone');
  });

  it('a missing provider, and a caller who neither owns it nor is an admin', async () => {
    const p = provider('Europe/Paris');
    await expect(handler({ ...event(p, { validFrom: day, validTo: day }), provider: null })).rejects.toThrow(`NotFound: Provider ${p.id} does not exist`);
    await expect(handler(event(p, { validFrom: day, validTo: day }, { sub: 'someone-else', groups: ['providers'] }))).rejects.toThrow(/^Unauthorized: /);
    const asAdmin = await handler(event(p, { validFrom: day, validTo: day }, { sub: 'admin-1', groups: ['admins'] }));
    expect(asAdmin.slotCount).toBe(4);
  });

  it('answers a refused rule as a rejection, so the function reports no error (its Errors alarm counts faults only)', async () => {
    const p = provider('Europe/Paris');
    await expect(generateSlots(event(p, { validFrom: day, validTo: day, endTime: '00:00' }))).resolves.toEqual({
      rejection: { type: 'ValidationError', message: 'ValidationError: input.endTime must be after input.startTime (same day)' },
    });
    await expect(generateSlots({ ...event(p, { validFrom: day, validTo: day }), provider: null })).resolves.toEqual({
      rejection: { type: 'NotFound', message: `NotFound: Provider ${p.id} does not exist` },
    });
  });
});

describe('writes', () => {
  const day = sunday(8, 1);
  const base = { validFrom: day, validTo: day, startTime: '09:00', endTime: '12:00', slotDurationMinutes: 60 };

  it('refuses a rule overlapping existing slots, and accepts an adjacent one', async () => {
    const p = provider('Europe/Berlin');
    await handler(event(p, base));
    await expect(handler(event(p, { ...base, startTime: '11:30', endTime: '13:00', slotDurationMinutes: 30 }))).rejects.toThrow(
      /^AvailabilityConflict: the rule overlaps 1 existing slot\(s\)/,
    );
    // Overlap through a long existing slot that starts well before the new one.
    await expect(handler(event(p, { ...base, startTime: '09:30', endTime: '09:50', slotDurationMinutes: 20 }))).rejects.toThrow(/^AvailabilityConflict/);
    const adjacent = await handler(event(p, { ...base, startTime: '12:00', endTime: '13:00', slotDurationMinutes: 30 }));
    expect(adjacent.slotCount).toBe(2);
    expect(await slotsOf(p.id)).toHaveLength(5);
  });

  it('accepts a rule whose last slot ends exactly where an existing slot starts', async () => {
    const p = provider('Europe/Berlin');
    await handler(event(p, base));
    // Two Sundays, so the lookup of existing slots reaches past 09:00 on the first one (it stops
    // before the new rule's last end) and the 08:30–09:00 vs 09:00–10:00 touch is really compared.
    const nextWeek = DateTime.fromISO(day).plus({ days: 7 }).toISODate();
    const before = await handler(event(p, { ...base, validTo: nextWeek, startTime: '08:00', endTime: '09:00', slotDurationMinutes: 30 }));
    expect(before.slotCount).toBe(4);
    expect(await slotsOf(p.id)).toHaveLength(7);
  });

  it('writes a rule larger than one transaction (100 items)', async () => {
    const p = provider('America/Sao_Paulo');
    const result = await handler(event(p, { ...base, startTime: '08:00', endTime: '18:00', slotDurationMinutes: 5 }));
    expect(result.slotCount).toBe(120);
    expect(await slotsOf(p.id)).toHaveLength(120);
  });

  it('re-running the same rule returns the same result and writes nothing new', async () => {
    const p = provider('Europe/Berlin');
    const first = await handler(event(p, base));
    const before = await itemsOf(p.id);
    const again = await handler(event(p, { ...base, startTime: '09:00:00' }));
    expect(again).toEqual(first);
    expect(await itemsOf(p.id)).toEqual(before);
  });

  it('a run that stopped half way is completed by its retry', async () => {
    const p = provider('Europe/Berlin');
    const first = await handler(event(p, base));
    const slots = await slotsOf(p.id);
    // As if the run had died after writing one chunk: no rule item, one slot missing.
    await doc.send(new DeleteCommand({ TableName: table.tableName, Key: availabilityKey(p.id, first.id) }));
    await doc.send(new DeleteCommand({ TableName: table.tableName, Key: { PK: slots[2].PK, SK: slots[2].SK } }));
    const retried = await handler(event(p, base));
    expect(retried.id).toBe(first.id);
    expect((await slotsOf(p.id)).map((s) => s.slotId)).toEqual(slots.map((s) => s.slotId));
  });

  it('concurrent overlapping rules for one provider: exactly one wins, no slots overlap', async () => {
    const p = provider('Europe/Berlin');
    const rules = [0, 10, 20, 30, 40].map((offset) => ({ ...base, startTime: `09:${String(offset).padStart(2, '0')}`, endTime: '12:00', slotDurationMinutes: 50 }));
    const results = await Promise.allSettled(rules.map((rule) => handler(event(p, rule))));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((r) => /^AvailabilityConflict/.test((r.reason as Error).message))).toBe(true);
    const slots = (await slotsOf(p.id)).map((s) => [isoToEpochMs(s.startTime)!, isoToEpochMs(s.endTime)!]).sort((a, b) => a[0] - b[0]);
    slots.slice(1).forEach(([start], i) => expect(start).toBeGreaterThanOrEqual(slots[i][1]));
    expect((await itemsOf(p.id)).some((item) => item.entity === 'AVAILABILITY_LOCK')).toBe(false);
  });

  it('concurrent rules that do not overlap all succeed', async () => {
    const p = provider('Europe/Berlin');
    const windows = [['08:00', '10:00'], ['10:00', '12:00'], ['13:00', '15:00']];
    const results = await Promise.all(windows.map(([startTime, endTime]) => handler(event(p, { ...base, startTime, endTime }))));
    expect(results.map((r) => r.slotCount)).toEqual([2, 2, 2]);
    expect(await slotsOf(p.id)).toHaveLength(6);
  });
});
