// The DST matrix through the API (createProvider → createAvailability → listSlots on the real local
// stack): local rules on transition days become the UTC slots a clock in that zone shows, and
// evening slots west of UTC, which start on the next UTC date, are listed under their local date.
// test/functions/generate-slots/handler.test.ts checks the same days, and more, on the handler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateAvailabilityDocument, CreateProviderDocument, ListSlotsDocument } from '../../../client/generated/operations.ts';
import { sunday, utc } from '../../support/dst-days.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { EVERY_DAY, ok, userAuth, type Auth } from './fixture.ts';

let server: TestServer;
let owner: Auth;

beforeAll(async () => {
  server = await startTestServer();
  owner = await userAuth(server, 'dst-owner', ['providers']);
});

afterAll(async () => {
  await server?.close();
});

/** One day's rule for a new provider in `timeZone`; answers the day's slots (start, end) in time order. */
async function slotsFor(timeZone: string, day: string, startTime: string, endTime: string, slotDurationMinutes: number) {
  const providerId = (await ok(server, owner, CreateProviderDocument, { input: { name: `DST ${timeZone}`, timeZone } })).createProvider.id;
  const created = await ok(server, owner, CreateAvailabilityDocument, {
    input: { providerId, daysOfWeek: [...EVERY_DAY], startTime, endTime, slotDurationMinutes, validFrom: day, validTo: day },
  });
  const listed = (await ok(server, owner, ListSlotsDocument, { providerId, from: day, to: day, limit: 100 })).listSlots.items;
  expect(listed).toHaveLength(created.createAvailability.slotCount);
  expect(listed.every((s) => s.date === day && s.status === 'AVAILABLE')).toBe(true);
  const sorted = [...listed].sort((a, b) => a.startTime.localeCompare(b.startTime));
  return { starts: sorted.map((s) => s.startTime), ends: sorted.map((s) => s.endTime) };
}

describe('DST matrix through the API', () => {
  it('America/New_York spring forward skips the missing hour; fall back gives the repeated hour twice', async () => {
    const spring = sunday(3, 2);
    expect(await slotsFor('America/New_York', spring, '00:00', '04:00', 60)).toEqual({
      starts: [utc(spring, '05:00'), utc(spring, '06:00'), utc(spring, '07:00')],
      ends: [utc(spring, '06:00'), utc(spring, '07:00'), utc(spring, '08:00')],
    });
    const fall = sunday(11, 1);
    expect((await slotsFor('America/New_York', fall, '00:00', '04:00', 60)).starts).toEqual(
      [utc(fall, '04:00'), utc(fall, '05:00'), utc(fall, '06:00'), utc(fall, '07:00'), utc(fall, '08:00')],
    );
  });

  it('Europe/London: spring forward, and fall back with slots across the UTC date line under the local date', async () => {
    const spring = sunday(3, -1);
    expect((await slotsFor('Europe/London', spring, '00:00', '03:00', 30)).starts).toEqual(
      [utc(spring, '00:00'), utc(spring, '00:30'), utc(spring, '01:00'), utc(spring, '01:30')],
    );
    const fall = sunday(10, -1);
    expect((await slotsFor('Europe/London', fall, '00:30', '02:30', 30)).starts).toEqual(
      [utc(fall, '23:30', -1), utc(fall, '00:00'), utc(fall, '00:30'), utc(fall, '01:00'), utc(fall, '01:30'), utc(fall, '02:00')],
    );
  });

  it('Australia/Lord_Howe: the 30-minute shift both ways', async () => {
    const spring = sunday(10, 1);
    expect((await slotsFor('Australia/Lord_Howe', spring, '01:00', '04:00', 30)).starts).toEqual(
      [utc(spring, '14:30', -1), utc(spring, '15:00', -1), utc(spring, '15:30', -1), utc(spring, '16:00', -1), utc(spring, '16:30', -1)],
    );
    const fall = sunday(4, 1);
    expect((await slotsFor('Australia/Lord_Howe', fall, '01:00', '03:00', 30)).starts).toEqual(
      [utc(fall, '14:00', -1), utc(fall, '14:30', -1), utc(fall, '15:00', -1), utc(fall, '15:30', -1), utc(fall, '16:00', -1)],
    );
  });

  it('Asia/Kolkata: no DST, a fixed +05:30', async () => {
    const day = sunday(6, 2);
    expect(await slotsFor('Asia/Kolkata', day, '09:00', '12:00', 60)).toEqual({
      starts: [utc(day, '03:30'), utc(day, '04:30'), utc(day, '05:30')],
      ends: [utc(day, '04:30'), utc(day, '05:30'), utc(day, '06:30')],
    });
  });

  // listSlots queries the UTC-keyed slots from `from` − 1 day to `to` + 2 days (exclusive of the
  // last date): a slot whose UTC date is the day after its local date must still be found.
  it('America/Los_Angeles evening: slots on the next UTC date are listed under their local date', async () => {
    const summer = sunday(6, 2); // PDT, UTC−7
    expect(await slotsFor('America/Los_Angeles', summer, '18:00', '20:00', 60)).toEqual({
      starts: [utc(summer, '01:00', 1), utc(summer, '02:00', 1)],
      ends: [utc(summer, '02:00', 1), utc(summer, '03:00', 1)],
    });
    const winter = sunday(1, 2); // PST, UTC−8
    expect((await slotsFor('America/Los_Angeles', winter, '18:00', '20:00', 60)).starts).toEqual([utc(winter, '02:00', 1), utc(winter, '03:00', 1)]);
  });

  it('Pacific/Pago_Pago (UTC−11): an afternoon already falls on the next UTC date', async () => {
    const day = sunday(6, 2);
    expect((await slotsFor('Pacific/Pago_Pago', day, '14:00', '16:00', 60)).starts).toEqual([utc(day, '01:00', 1), utc(day, '02:00', 1)]);
  });
});
