import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeUtil, utilErrorOf } from './helpers.ts';

// 2018-02-06T19:01:35.750Z, the instant used throughout the AppSync util.time documentation.
const NOW = 1517943695750;
const { util } = makeUtil('request', 'Query', () => NOW);
const t = util.time;

describe('util.time (AppSync documentation examples)', () => {
  it('now*', () => {
    expect(t.nowISO8601()).toBe('2018-02-06T19:01:35.750Z');
    expect(t.nowEpochSeconds()).toBe(1517943695);
    expect(t.nowEpochMilliSeconds()).toBe(NOW);
    expect(t.nowFormatted('yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(t.nowFormatted('yyyy-MM-dd HH:mm:ssZ', '-08:00')).toBe('2018-02-06 11:01:35-0800');
    expect(t.nowFormatted('yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth')).toBe('2018-02-07 03:01:35+0800');
  });

  it('parse*', () => {
    expect(t.parseFormattedToEpochMilliSeconds('2018-02-01 17:21:05+0000', 'yyyy-MM-dd HH:mm:ssZ')).toBe(1517505665000);
    expect(t.parseFormattedToEpochMilliSeconds('2018-02-01 17:21:05', 'yyyy-MM-dd HH:mm:ss', '+08:00')).toBe(1517476865000);
    expect(t.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05.000+08:00')).toBe(1517476865000);
  });

  it('epochMilliSeconds*', () => {
    expect(t.epochMilliSecondsToSeconds(1517943695750)).toBe(1517943695);
    expect(t.epochMilliSecondsToISO8601(1517943695750)).toBe('2018-02-06T19:01:35.750Z');
    expect(t.epochMilliSecondsToFormatted(1517943695750, 'yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(t.epochMilliSecondsToFormatted(1517943695750, 'yyyy-MM-dd HH:mm:ssZ', '+08:00')).toBe('2018-02-07 03:01:35+0800');
  });
});

describe('Java DateTimeFormatter pattern letters', () => {
  it.each<[string, string, string]>([
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 'UTC', '2018-02-06T19:01:35.750Z'],
    ["uuuu-MM-dd'T'HH:mm:ss.SSSxxx", 'UTC', '2018-02-06T19:01:35.750+00:00'],
    ['yyyy-MM-dd HH:mm:ss.SSS XXX', 'Asia/Kolkata', '2018-02-07 00:31:35.750 +05:30'],
    ['EEE, d MMM yyyy HH:mm:ss Z', 'America/New_York', 'Tue, 6 Feb 2018 14:01:35 -0500'],
    ['EEEE MMMM dd yy', 'UTC', 'Tuesday February 06 18'],
    ['h:mm a', 'America/Los_Angeles', '11:01 AM'],
    ['hh:mm a', 'UTC', '07:01 PM'],
    ['K k H', 'UTC', '7 19 19'],
    ['VV z zzzz', 'America/New_York', 'America/New_York EST Eastern Standard Time'],
    ['O OOOO ZZZZ ZZZZZ', 'Asia/Kolkata', 'GMT+5:30 GMT+05:30 GMT+05:30 +05:30'],
    ['X XX XXX x', '-08:00', '-08 -0800 -08:00 -08'],
    ["D 'day' QQQ QQQQ G", 'UTC', "37 day Q1 1st quarter AD"],
    ["'It''s' ''", 'UTC', "It's '"],
    ['yyyy[-MM]', 'UTC', '2018-02'],
    ['SS S SSSSSS', 'UTC', '75 7 750000'],
  ])('%s in %s', (pattern, zone, expected) => {
    expect(t.epochMilliSecondsToFormatted(NOW, pattern, zone)).toBe(expected);
  });

  it('parses text fields, 12-hour clocks and zone ids', () => {
    expect(t.parseFormattedToEpochMilliSeconds('Tue, 6 Feb 2018 02:01:35 PM', 'EEE, d MMM yyyy hh:mm:ss a', 'America/New_York')).toBe(1517943695000);
    expect(t.parseFormattedToEpochMilliSeconds('2018-02-06 19:01:35.750 Europe/Paris', 'yyyy-MM-dd HH:mm:ss.SSS VV')).toBe(NOW - 3600_000);
    expect(t.parseFormattedToEpochMilliSeconds('20180206190135', 'yyyyMMddHHmmss')).toBe(1517943695000);
    expect(t.parseFormattedToEpochMilliSeconds('2018-02-06', 'yyyy-MM-dd')).toBe(Date.UTC(2018, 1, 6));
  });

  it('fails clearly on bad patterns, zones and text', () => {
    expect(utilErrorOf(() => t.nowFormatted('yyyy-MM-dd bb')).message).toBe('Unknown pattern letter: b');
    expect(utilErrorOf(() => t.nowFormatted('yyyy', 'Mars/Olympus')).message).toBe('Unknown time-zone ID: Mars/Olympus');
    expect(utilErrorOf(() => t.parseFormattedToEpochMilliSeconds('2018/02/01', 'yyyy-MM-dd')).message).toMatch(/could not be parsed/);
    expect(utilErrorOf(() => t.parseISO8601ToEpochMilliSeconds('yesterday')).message).toMatch(/ISO-8601/);
  });

  it('zone offsets reach ±18:00 and no further, as java.time.ZoneOffset', () => {
    expect(t.epochMilliSecondsToFormatted(NOW, 'XXX', '+18:00')).toBe('+18:00');
    expect(t.epochMilliSecondsToFormatted(NOW, 'XXX', '-18:00')).toBe('-18:00');
    for (const zone of ['+19:00', '-19', 'UTC+19:00', '+18:30', '-18:00:01', '+05:60']) {
      expect(utilErrorOf(() => t.nowFormatted('yyyy', zone)).message).toMatch(/not in valid range/);
    }
  });
});

describe('properties', () => {
  const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) });
  const zone = fc.constantFrom('UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', '+05:45', '-11:00');

  it('format then parse gives the same instant, in several zones', () => {
    fc.assert(fc.property(instant, zone, (ms, z) => {
      const pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX";
      expect(t.parseFormattedToEpochMilliSeconds(t.epochMilliSecondsToFormatted(ms, pattern, z), pattern)).toBe(ms);
    }));
  });

  it('a zone-less format parses back in the same zone', () => {
    fc.assert(fc.property(instant, zone, (ms, z) => {
      const pattern = 'EEE dd MMM yyyy hh:mm:ss.SSS a';
      const text = t.epochMilliSecondsToFormatted(ms, pattern, z);
      const back = t.parseFormattedToEpochMilliSeconds(text, pattern, z);
      // An ambiguous wall time (a DST fall-back hour) may resolve to the other occurrence.
      expect(t.epochMilliSecondsToFormatted(back, pattern, z)).toBe(text);
    }));
  });

  it('ISO-8601 round-trips and seconds truncate', () => {
    fc.assert(fc.property(instant, (ms) => {
      expect(t.parseISO8601ToEpochMilliSeconds(t.epochMilliSecondsToISO8601(ms))).toBe(ms);
      expect(t.epochMilliSecondsToSeconds(ms)).toBe(Math.trunc(ms / 1000));
    }));
  });
});

describe('Java DateTimeFormatter edge values', () => {
  // DateTimeFormatter javadoc: h is clock-hour-of-am-pm (1-12) and k clock-hour-of-day (1-24), so
  // midnight is 12 and 24; five letters give the narrow text form; yy parses with base year 2000;
  // four or more y letters use SignStyle.EXCEEDS_PAD, so a five-digit year is printed with '+'.
  const MIDNIGHT = Date.UTC(2018, 1, 6, 0, 5);

  it('midnight on the 12- and 24-hour clocks', () => {
    expect(t.epochMilliSecondsToFormatted(MIDNIGHT, 'hh:mm a|k|K|H', 'UTC')).toBe('12:05 AM|24|0|0');
    expect(t.epochMilliSecondsToFormatted(MIDNIGHT + 12 * 3600_000, 'hh:mm a|k|K|H', 'UTC')).toBe('12:05 PM|12|0|12');
  });

  it('narrow month and day-of-week names', () => {
    expect(t.epochMilliSecondsToFormatted(NOW, 'MMMMM EEEEE', 'UTC')).toBe('F T');
  });

  it('a two-letter year parses into 2000-2099', () => {
    expect(t.parseFormattedToEpochMilliSeconds('18-02-06', 'yy-MM-dd', 'UTC')).toBe(Date.UTC(2018, 1, 6));
    expect(t.parseFormattedToEpochMilliSeconds('99-12-31', 'yy-MM-dd', 'UTC')).toBe(Date.UTC(2099, 11, 31));
  });

  it('a year beyond the pad width gets a sign', () => {
    const year10000 = Date.UTC(10000, 0, 1);
    expect(t.epochMilliSecondsToFormatted(year10000, 'yyyy-MM-dd', 'UTC')).toBe('+10000-01-01');
    expect(t.epochMilliSecondsToFormatted(NOW, 'yyyy', 'UTC')).toBe('2018');
  });
});
