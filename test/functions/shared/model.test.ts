import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BOOKING_STATUSES,
  bookingChangeOf,
  canTransitionBooking,
  dateToDays,
  daysToDate,
  effectiveSlotStatus,
  epochMsToIso,
  epochMsToSecondIso,
  isoToEpochMs,
  isTerminalBookingStatus,
  isUlid,
  parseSlotId,
  slotChangeOf,
  slotIdOf,
  slotKeyOfId,
  type SlotItem,
} from '../../../functions/shared/model.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ulid = fc
  .tuple(fc.constantFrom(...'01234567'), fc.array(fc.constantFrom(...CROCKFORD), { minLength: 25, maxLength: 25 }))
  .map(([first, rest]) => first + rest.join(''));
/** 1970 … 9999, whole minutes. */
const minuteMs = fc.integer({ min: 0, max: Math.floor(253402300799000 / 60000) }).map((m) => m * 60000);
const anyMs = fc.integer({ min: 0, max: 253402300799999 });

describe('time codec', () => {
  it('formats exactly as Date#toISOString and parses back', () => {
    fc.assert(
      fc.property(anyMs, (ms) => {
        const iso = epochMsToIso(ms);
        expect(iso).toBe(new Date(ms).toISOString());
        expect(isoToEpochMs(iso)).toBe(ms);
        expect(isoToEpochMs(epochMsToSecondIso(ms))).toBe(Math.floor(ms / 1000) * 1000);
      }),
    );
  });

  it('agrees with Date.UTC on calendar dates and refuses impossible ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2932896 }), (days) => {
        const date = daysToDate(days);
        expect(dateToDays(date)).toBe(days);
        expect(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8)))).toBe(days * 86400000);
      }),
    );
    for (const bad of ['2026-02-29', '2028-13-01', '2026-04-31', '2026-1-01', '2026-01-01Z', '20260101', '', null]) {
      expect(dateToDays(bad)).toBeNull();
    }
    expect(dateToDays('2028-02-29')).not.toBeNull();
    for (const bad of ['2026-12-01T14:00:00+01:00', '2026-12-01T24:00:00Z', '2026-12-01 14:00:00Z', '2026-12-01T14:00:00.5Z']) {
      expect(isoToEpochMs(bad)).toBeNull();
    }
  });
});

describe('slot id codec', () => {
  it('round-trips provider and start, and names the slot key', () => {
    fc.assert(
      fc.property(ulid, minuteMs, (providerId, ms) => {
        const start = epochMsToSecondIso(ms);
        const id = slotIdOf(providerId, start) as string;
        expect(id).toHaveLength(41);
        expect(parseSlotId(id)).toEqual({ providerId, startUtcIso: start });
        expect(slotKeyOfId(id)).toEqual({ PK: `PROVIDER#${providerId}`, SK: `SLOT#${start}` });
      }),
    );
  });

  it('matches the documented example', () => {
    expect(slotIdOf('01JD8X3T1QY0YB2Q8K1F5N6M7P', '2026-12-01T14:00:00Z')).toBe('01JD8X3T1QY0YB2Q8K1F5N6M7P_20261201T1400Z');
  });

  it('refuses what is not a slot id', () => {
    const good = '01JD8X3T1QY0YB2Q8K1F5N6M7P_20261201T1400Z';
    for (const bad of [
      good.toLowerCase(),
      good.replace('_', '-'),
      good.replace('1400Z', '2400Z'),
      good.replace('1201', '1301'),
      good.replace('01JD', '81JD'),
      good.replace('01JD', '0IJD'),
      `${good}X`,
      '',
      42,
    ]) {
      expect(parseSlotId(bad)).toBeNull();
    }
    expect(slotIdOf('01JD8X3T1QY0YB2Q8K1F5N6M7P', '2026-12-01T14:00:30Z')).toBeNull();
    expect(slotIdOf('not-a-ulid', '2026-12-01T14:00:00Z')).toBeNull();
  });

  it('recognizes ULIDs only', () => {
    fc.assert(
      fc.property(ulid, (id) => {
        expect(isUlid(id)).toBe(true);
      }),
    );
    for (const bad of ['8ZZZZZZZZZZZZZZZZZZZZZZZZZ', '01JD8X3T1QY0YB2Q8K1F5N6M7', '01JD8X3T1QY0YB2Q8K1F5N6M7U', 7]) expect(isUlid(bad)).toBe(false);
  });
});

describe('statuses', () => {
  it('follows the booking state diagram', () => {
    expect(canTransitionBooking('PENDING', 'CONFIRMED')).toBe(true);
    expect(canTransitionBooking('PENDING', 'EXPIRED')).toBe(true);
    expect(canTransitionBooking('CONFIRMED', 'CANCELLED')).toBe(true);
    expect(canTransitionBooking('CONFIRMED', 'EXPIRED')).toBe(false);
    expect(canTransitionBooking('EXPIRED', 'CONFIRMED')).toBe(false);
    expect(canTransitionBooking('CANCELLED', 'PENDING')).toBe(false);
    expect(BOOKING_STATUSES.filter(isTerminalBookingStatus)).toEqual(['CANCELLED', 'EXPIRED']);
  });

  it('reads a HELD slot whose hold has passed as AVAILABLE', () => {
    const exp = '2026-12-01T14:00:00.000Z';
    const at = isoToEpochMs(exp) as number;
    expect(effectiveSlotStatus({ status: 'HELD', holdExpiresAt: exp }, at - 1)).toBe('HELD');
    expect(effectiveSlotStatus({ status: 'HELD', holdExpiresAt: exp }, at)).toBe('AVAILABLE');
    expect(effectiveSlotStatus({ status: 'HELD', holdExpiresAt: null }, at)).toBe('AVAILABLE');
    expect(effectiveSlotStatus({ status: 'BOOKED' }, at)).toBe('BOOKED');
  });
});

describe('change events', () => {
  const slot = {
    slotId: '01JD8X3T1QY0YB2Q8K1F5N6M7P_20261201T1400Z',
    providerId: '01JD8X3T1QY0YB2Q8K1F5N6M7P',
    date: '2026-12-01',
    startTime: '2026-12-01T14:00:00Z',
    status: 'AVAILABLE',
  } as SlotItem;
  const held = { ...slot, status: 'HELD', bookingId: 'B1', holdExpiresAt: '2026-11-30T10:05:00.000Z' } as SlotItem;
  const at = isoToEpochMs('2026-11-30T10:03:00Z') as number;
  const late = isoToEpochMs('2026-11-30T10:06:00Z') as number;

  it('derives slot reasons', () => {
    expect(slotChangeOf(null, slot, at, {})).toMatchObject({ status: 'AVAILABLE', previousStatus: null, reason: 'GENERATED' });
    expect(slotChangeOf(slot, null, at, {})).toMatchObject({ status: 'AVAILABLE', reason: 'DELETED' });
    expect(slotChangeOf(slot, held, at, {})).toMatchObject({ status: 'HELD', previousStatus: 'AVAILABLE', reason: 'HELD', at: '2026-11-30T10:03:00.000Z' });
    expect(slotChangeOf(held, { ...held, status: 'BOOKED' }, at, {})).toMatchObject({ status: 'BOOKED', reason: 'BOOKED' });
    expect(slotChangeOf(held, slot, at, {})).toMatchObject({ status: 'AVAILABLE', previousStatus: 'HELD', reason: 'CANCELLED' });
    expect(slotChangeOf(held, slot, late, {})).toMatchObject({ reason: 'EXPIRED' });
    expect(slotChangeOf(held, slot, late, { B1: 'CANCELLED' })).toMatchObject({ reason: 'CANCELLED' });
    expect(slotChangeOf(held, { ...slot, releasedBookingId: 'B1', releaseReason: 'EXPIRED' }, at, {})).toMatchObject({ reason: 'EXPIRED' });
    expect(slotChangeOf(held, { ...slot, releasedBookingId: 'B0', releaseReason: 'EXPIRED' }, at, {})).toMatchObject({ reason: 'CANCELLED' });
    expect(slotChangeOf({ ...held, status: 'BOOKED' }, slot, late, {})).toMatchObject({ previousStatus: 'BOOKED', reason: 'CANCELLED' });
    expect(slotChangeOf(held, { ...held, bookingId: 'B2' }, late, {})).toMatchObject({ status: 'HELD', previousStatus: 'AVAILABLE', reason: 'HELD' });
    expect(slotChangeOf(slot, { ...slot }, at, {})).toBeNull();
  });

  it('derives booking changes', () => {
    const pending = { id: 'B1', userId: 'u', providerId: 'p', slotId: 's', status: 'PENDING' as const, updatedAt: '2026-11-30T10:00:00.000Z' };
    expect(bookingChangeOf(null, pending)).toMatchObject({ bookingId: 'B1', status: 'PENDING', previousStatus: null, at: pending.updatedAt });
    expect(bookingChangeOf(null, { ...pending, status: 'CONFIRMED' })).toMatchObject({ previousStatus: 'PENDING' });
    expect(bookingChangeOf(pending, { ...pending, status: 'EXPIRED', updatedAt: 'x' })).toMatchObject({ status: 'EXPIRED', previousStatus: 'PENDING', at: 'x' });
    expect(bookingChangeOf(pending, { ...pending, notes: 'n' } as typeof pending)).toBeNull();
    expect(bookingChangeOf(pending, null)).toBeNull();
  });
});
