// CreateAvailabilityInput → a normalized weekly rule, or a ValidationError naming the field.
// Checks that need the provider's zone or the clock live in expand.ts / handler.ts.
import { createHash } from 'node:crypto';
import { invalid } from '../shared/errors.ts';
import { dateToDays, DAYS_OF_WEEK, digitsValue, isDayOfWeek, isUlid, type DayOfWeek } from '../shared/model.ts';

export const SLOT_MINUTES = { min: 5, max: 480 };
export const BUFFER_MINUTES = { min: 0, max: 240 };
/** validFrom..validTo inclusive. */
export const MAX_RANGE_DAYS = 90;
export const MAX_SLOTS_PER_RULE = 2000;

export interface WeeklyRule {
  providerId: string;
  /** Unique, in DAYS_OF_WEEK order. */
  daysOfWeek: DayOfWeek[];
  /** Provider-local minutes after midnight. */
  startMinute: number;
  endMinute: number;
  slotDurationMinutes: number;
  bufferMinutes: number;
  validFrom: string;
  validTo: string;
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be an object');
  return value as Record<string, unknown>;
}

/**
 * AWSTime without an offset, on a whole minute: `HH:mm`, `HH:mm:ss` or `HH:mm:ss.sss` with zero
 * seconds. Availability is wall-clock time in the provider's zone, so an offset means nothing.
 */
function wallMinute(value: unknown, field: string): number {
  const problem = 'must be a provider-local time as HH:mm (seconds, if given, must be 00; no offset)';
  if (typeof value !== 'string' || ![5, 8, 12].includes(value.length) || value.charAt(2) !== ':') throw invalid(field, problem);
  const hour = digitsValue(value.slice(0, 2));
  const minute = digitsValue(value.slice(3, 5));
  const rest = value.slice(5);
  const zeroRest = rest === '' || rest === ':00' || rest === ':00.000';
  if (hour === null || minute === null || hour > 23 || minute > 59 || !zeroRest) throw invalid(field, problem);
  return hour * 60 + minute;
}

function wholeNumber(value: unknown, field: string, range: { min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalid(field, `must be a whole number between ${range.min} and ${range.max}`);
  }
  return value;
}

function calendarDate(value: unknown, field: string): number {
  const days = dateToDays(value);
  if (days === null) throw invalid(field, 'must be a calendar date as YYYY-MM-DD (no offset)');
  return days;
}

export function parseRule(value: unknown): WeeklyRule {
  const input = record(value, 'input');
  if (!isUlid(input.providerId)) throw invalid('input.providerId', 'is not a valid id');

  const days = input.daysOfWeek;
  if (!Array.isArray(days) || days.length === 0) throw invalid('input.daysOfWeek', 'must name at least one day');
  days.forEach((day, i) => {
    if (!isDayOfWeek(day)) throw invalid(`input.daysOfWeek[${i}]`, `must be one of ${DAYS_OF_WEEK.join(', ')}`);
  });
  if (new Set(days).size !== days.length) throw invalid('input.daysOfWeek', 'must list each day at most once');
  const daysOfWeek = DAYS_OF_WEEK.filter((day) => days.includes(day));

  const startMinute = wallMinute(input.startTime, 'input.startTime');
  const endMinute = wallMinute(input.endTime, 'input.endTime');
  if (endMinute <= startMinute) throw invalid('input.endTime', 'must be after input.startTime (same day)');
  const slotDurationMinutes = wholeNumber(input.slotDurationMinutes, 'input.slotDurationMinutes', SLOT_MINUTES);
  const bufferMinutes =
    input.bufferMinutes === undefined || input.bufferMinutes === null
      ? 0
      : wholeNumber(input.bufferMinutes, 'input.bufferMinutes', BUFFER_MINUTES);
  if (slotDurationMinutes > endMinute - startMinute) {
    throw invalid('input.slotDurationMinutes', 'is longer than the window from input.startTime to input.endTime');
  }

  const from = calendarDate(input.validFrom, 'input.validFrom');
  const to = calendarDate(input.validTo, 'input.validTo');
  if (to < from) throw invalid('input.validTo', 'must not be before input.validFrom');
  if (to - from + 1 > MAX_RANGE_DAYS) {
    throw invalid('input.validTo', `must be at most ${MAX_RANGE_DAYS} days from input.validFrom (inclusive); split longer ranges into several rules`);
  }
  return {
    providerId: input.providerId,
    daysOfWeek,
    startMinute,
    endMinute,
    slotDurationMinutes,
    bufferMinutes,
    validFrom: input.validFrom as string,
    validTo: input.validTo as string,
  };
}

export function wallTimeText(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The rule's id, derived from the normalized rule and the zone it is expanded in: re-running the
 * same rule finds its own earlier result. ULID-shaped (26 Crockford characters of a 128-bit
 * SHA-256 prefix), so it passes every id check; its "time" part carries no meaning.
 */
export function availabilityIdOf(rule: WeeklyRule, timeZone: string): string {
  const canonical = JSON.stringify([
    rule.providerId,
    timeZone,
    rule.daysOfWeek,
    rule.startMinute,
    rule.endMinute,
    rule.slotDurationMinutes,
    rule.bufferMinutes,
    rule.validFrom,
    rule.validTo,
  ]);
  let n = BigInt(`0x${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`);
  const chars: string[] = [];
  for (let i = 0; i < 26; i++) {
    chars.unshift(CROCKFORD[Number(n & 31n)]);
    n >>= 5n;
  }
  return chars.join('');
}
