import { describe, expect, it } from 'vitest';
import { IANAZone } from 'luxon';
import { TIME_ZONES } from '../../resolvers/lib/time-zones.ts';

describe('resolvers/lib/time-zones', () => {
  it('lists only zones the Lambdas (luxon) accept', () => {
    const unknown = TIME_ZONES.filter((z) => !IANAZone.isValidZone(z));
    expect(unknown).toEqual([]);
  });

  it('covers the zones providers use most, and no aliases twice', () => {
    for (const zone of ['UTC', 'Etc/UTC', 'Etc/GMT+5', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata']) {
      expect(TIME_ZONES).toContain(zone);
    }
    expect(new Set(TIME_ZONES).size).toBe(TIME_ZONES.length);
  });
});
