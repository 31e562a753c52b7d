// Transition days for the DST matrix tests, always in next year so a rule for them is never in
// the past: the n-th Sunday of a month, and a UTC instant written the way slots carry it.
import { DateTime } from 'luxon';

/** Next year: rules for its days are never in the past. */
export const year = DateTime.utc().year + 1;

/** The n-th (1-based; -1 = last) Sunday of a month of next year, YYYY-MM-DD. */
export function sunday(month: number, n: number): string {
  const first = DateTime.utc(year, month, 1);
  const firstSunday = first.plus({ days: (7 - first.weekday) % 7 });
  const pick = n > 0 ? firstSunday.plus({ weeks: n - 1 }) : firstSunday.plus({ weeks: Math.floor((first.daysInMonth! - firstSunday.day) / 7) });
  return pick.toISODate()!;
}

/** `date` (shifted by whole days) at `time` UTC, as a slot's startTime: YYYY-MM-DDTHH:mm:00Z. */
export function utc(date: string, time: string, dayShift = 0): string {
  return `${DateTime.fromISO(date, { zone: 'utc' }).plus({ days: dayShift }).toISODate()}T${time}:00Z`;
}
