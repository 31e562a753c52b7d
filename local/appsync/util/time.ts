// util.time.*: timestamps in UTC by default, Java DateTimeFormatter patterns, optional zone ids.
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { utilFailure } from './errors.ts';
import { formatWithTokens, parseWithTokens, tokenizePattern, type PatternToken } from './java-datetime-pattern.ts';

const PATTERN_CACHE_LIMIT = 128;
const patternCache = new Map<string, PatternToken[]>();

function tokens(pattern: string): PatternToken[] {
  const hit = patternCache.get(pattern);
  if (hit) return hit;
  const parsed = tokenizePattern(pattern);
  if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.delete(patternCache.keys().next().value as string);
  patternCache.set(pattern, parsed);
  return parsed;
}

/** Java ZoneId.of: 'Z', offsets (+h, +hh, +hh:mm, +hhmm), UTC/GMT/UT with an optional offset, region ids. */
export function javaZone(id: unknown): Zone {
  if (id === undefined || id === null) return FixedOffsetZone.utcInstance;
  if (typeof id !== 'string') return utilFailure('A time zone id must be a string');
  if (id === 'Z' || id === 'UTC' || id === 'GMT' || id === 'UT') return FixedOffsetZone.utcInstance;
  const offset = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(id);
  if (offset) {
    const hours = Number(offset[2]);
    const minutes = Number(offset[3] ?? 0);
    const seconds = Number(offset[4] ?? 0);
    // ZoneOffset: at most ±18:00 in all (so +18:30 is refused too), minutes and seconds below 60.
    if (minutes > 59 || seconds > 59 || hours * 3600 + minutes * 60 + seconds > 18 * 3600) {
      utilFailure(`Zone offset not in valid range: ${id}`);
    }
    const total = hours * 60 + minutes;
    return FixedOffsetZone.instance(offset[1] === '-' ? -total : total);
  }
  if (IANAZone.isValidZone(id)) return IANAZone.create(id);
  return utilFailure(`Unknown time-zone ID: ${id}`);
}

function epochMillis(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) utilFailure(`${name} expects a number of milliseconds`);
  return Math.trunc(value);
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') utilFailure(`${name} expects a string`);
  return value;
}

/** ISO-8601 in UTC with milliseconds, e.g. 2018-02-06T19:01:35.749Z (AppSync's documented output). */
function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function epochMilliSecondsToFormatted(ms: unknown, format: unknown, zone?: unknown): string {
  const millis = epochMillis(ms, 'util.time.epochMilliSecondsToFormatted');
  const dt = DateTime.fromMillis(millis, { zone: javaZone(zone), locale: 'en-US' });
  return formatWithTokens(dt, tokens(text(format, 'util.time.epochMilliSecondsToFormatted')));
}

export function parseFormattedToEpochMilliSeconds(timestamp: unknown, format: unknown, zone?: unknown): number {
  const pattern = text(format, 'util.time.parseFormattedToEpochMilliSeconds');
  return parseWithTokens(text(timestamp, 'util.time.parseFormattedToEpochMilliSeconds'), tokens(pattern), pattern, javaZone(zone));
}

export function parseISO8601ToEpochMilliSeconds(timestamp: unknown): number {
  const value = text(timestamp, 'util.time.parseISO8601ToEpochMilliSeconds');
  const dt = DateTime.fromISO(value, { zone: 'utc', setZone: true });
  if (!dt.isValid) utilFailure(`Text '${value}' could not be parsed as an ISO-8601 timestamp`);
  return dt.toMillis();
}

export function createTimeUtils(now: () => number = Date.now): Record<string, unknown> {
  return {
    nowISO8601: () => iso(now()),
    nowEpochSeconds: () => Math.floor(now() / 1000),
    nowEpochMilliSeconds: () => now(),
    nowFormatted: (format: unknown, zone?: unknown) => epochMilliSecondsToFormatted(now(), format, zone),
    parseFormattedToEpochMilliSeconds,
    parseISO8601ToEpochMilliSeconds,
    epochMilliSecondsToSeconds: (ms: unknown) => Math.trunc(epochMillis(ms, 'util.time.epochMilliSecondsToSeconds') / 1000),
    epochMilliSecondsToISO8601: (ms: unknown) => iso(epochMillis(ms, 'util.time.epochMilliSecondsToISO8601')),
    epochMilliSecondsToFormatted,
  };
}
