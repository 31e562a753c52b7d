// Expands a weekly rule into slots in the provider's IANA zone (luxon), DST-correct:
// - slot starts step through wall-clock time: start, start + duration + buffer, ...;
// - a start wall time that does not exist that day (spring forward) is skipped;
// - a start wall time that occurs twice (fall back) yields two slots, one per UTC instant;
// - a slot lasts `slotDurationMinutes` of real time and must end by the day's end wall time;
// - a slot that would overlap the one before it is dropped. That only happens next to a shift:
//   the second occurrence of a repeated wall time when slots are longer than the shift, or the
//   first start after a skipped hour. A provider's slots never overlap.
import { DateTime, IANAZone } from 'luxon';
import { invalid } from '../shared/errors.ts';
import { dateToDays, daysToDate, DAYS_OF_WEEK, epochMsToSecondIso, slotIdOf } from '../shared/model.ts';
import type { WeeklyRule } from './rule.ts';

export interface PlannedSlot {
  slotId: string;
  /** Provider-local date of the start. */
  date: string;
  startMs: number;
  endMs: number;
  /** `YYYY-MM-DDTHH:mm:ssZ`. */
  startTime: string;
  endTime: string;
}

export function requireZone(timeZone: unknown): string {
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    throw invalid('provider.timeZone', `"${String(timeZone)}" is not a known IANA time zone`);
  }
  return timeZone;
}

/** Today's date in the zone, `YYYY-MM-DD`. */
export function todayIn(timeZone: string, nowMs: number): string {
  return DateTime.fromMillis(nowMs, { zone: timeZone }).toISODate() as string;
}

/** The UTC instants (0, 1 or 2, ascending) at which the zone's clock shows this wall time. */
export function instantsOfWallTime(date: string, minuteOfDay: number, timeZone: string): number[] {
  const [year, month, day] = date.split('-').map(Number);
  const hour = Math.floor(minuteOfDay / 60);
  const minute = minuteOfDay % 60;
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone: timeZone });
  // luxon moves a wall time inside a gap forward; a moved time does not exist.
  if (dt.hour !== hour || dt.minute !== minute || dt.day !== day) return [];
  return dt
    .getPossibleOffsets()
    .map((candidate) => candidate.toMillis())
    .sort((a, b) => a - b);
}

/** The instant the day's window closes: the later reading of a repeated time, the shifted one of a skipped time. */
function windowEnd(date: string, minuteOfDay: number, timeZone: string): number {
  const instants = instantsOfWallTime(date, minuteOfDay, timeZone);
  if (instants.length > 0) return instants[instants.length - 1];
  const [year, month, day] = date.split('-').map(Number);
  return DateTime.fromObject({ year, month, day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 }, { zone: timeZone }).toMillis();
}

export function expandRule(rule: WeeklyRule, timeZone: string): PlannedSlot[] {
  const from = dateToDays(rule.validFrom) as number;
  const to = dateToDays(rule.validTo) as number;
  const step = rule.slotDurationMinutes + rule.bufferMinutes;
  const durationMs = rule.slotDurationMinutes * 60_000;
  const slots: PlannedSlot[] = [];
  let lastEndMs = Number.NEGATIVE_INFINITY;
  // Bounded: at most 90 days (rule.ts) × 1440 / 5 starts × 2 readings.
  for (let dayNumber = from; dayNumber <= to; dayNumber++) {
    const date = daysToDate(dayNumber);
    // 1970-01-01 (day 0) was a Thursday; DAYS_OF_WEEK starts on Monday.
    const weekday = DAYS_OF_WEEK[(((dayNumber + 3) % 7) + 7) % 7];
    if (!rule.daysOfWeek.includes(weekday)) continue;
    const closesMs = windowEnd(date, rule.endMinute, timeZone);
    // Both readings of a repeated hour interleave with its neighbours: order by instant first.
    const starts: number[] = [];
    for (let wall = rule.startMinute; wall + rule.slotDurationMinutes <= rule.endMinute; wall += step) {
      starts.push(...instantsOfWallTime(date, wall, timeZone));
    }
    starts.sort((a, b) => a - b);
    for (const startMs of starts) {
      const endMs = startMs + durationMs;
      if (endMs > closesMs || startMs < lastEndMs) continue;
      const startTime = epochMsToSecondIso(startMs);
      slots.push({
        slotId: slotIdOf(rule.providerId, startTime) as string,
        date,
        startMs,
        endMs,
        startTime,
        endTime: epochMsToSecondIso(endMs),
      });
      lastEndMs = endMs;
    }
  }
  return slots;
}
