// Java DateTimeFormatter.ofPattern(...) syntax: tokenizer, formatter and parser over luxon.
// AppSync's util.time.* take these patterns. Text is English (the service formats with Locale.US).
// Week-based fields (Y, w, W, e, c) use ISO weeks: a documented approximation of the US locale.
import { DateTime, FixedOffsetZone, type Zone } from 'luxon';
import { utilFailure } from './errors.ts';

export type PatternToken =
  | { kind: 'literal'; text: string }
  | { kind: 'field'; letter: string; count: number }
  | { kind: 'optional'; tokens: PatternToken[] };

const LETTERS = new Set('GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZ');
const MAX_COUNT: Record<string, number> = {
  G: 5, u: 19, y: 19, D: 3, M: 5, L: 5, d: 2, Q: 5, q: 5, Y: 19, w: 2, W: 1, E: 5, e: 5, c: 5, F: 1,
  a: 1, h: 2, K: 2, k: 2, H: 2, m: 2, s: 2, S: 9, A: 19, n: 19, N: 19, V: 2, v: 4, z: 4, O: 4,
  X: 5, x: 5, Z: 5, B: 5,
};
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const QUARTERS = ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'];

function bad(message: string): never {
  return utilFailure(message);
}

export function tokenizePattern(pattern: string): PatternToken[] {
  if (typeof pattern !== 'string') bad('A date-time format pattern must be a string');
  const stack: PatternToken[][] = [[]];
  let i = 0;
  const current = () => stack[stack.length - 1];
  while (i < pattern.length) {
    const c = pattern[i];
    if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.has(c)) bad(`Unknown pattern letter: ${c}`);
      let j = i;
      while (pattern[j] === c) j += 1;
      const count = j - i;
      if (count > MAX_COUNT[c]) bad(`Too many pattern letters: ${c}`);
      current().push({ kind: 'field', letter: c, count });
      i = j;
    } else if (c === "'") {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= pattern.length) bad(`Pattern ends with an incomplete string literal: ${pattern}`);
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j];
        j += 1;
      }
      current().push({ kind: 'literal', text: j === i + 1 ? "'" : text });
      i = j + 1;
    } else if (c === '[') {
      stack.push([]);
      i += 1;
    } else if (c === ']') {
      if (stack.length === 1) bad(`Pattern invalid as it contains ] without previous [`);
      const tokens = stack.pop() as PatternToken[];
      current().push({ kind: 'optional', tokens });
      i += 1;
    } else if (c === '{' || c === '}' || c === '#') {
      bad(`Pattern includes reserved character: '${c}'`);
    } else {
      current().push({ kind: 'literal', text: c });
      i += 1;
    }
  }
  while (stack.length > 1) {
    const tokens = stack.pop() as PatternToken[];
    current().push({ kind: 'optional', tokens });
  }
  return stack[0];
}

function pad(value: number, width: number): string {
  const s = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${s}` : s;
}

function text(full: string, count: number): string {
  if (count === 4) return full;
  if (count === 5) return full[0];
  return full.slice(0, 3);
}

/**
 * Offset per the X/x/Z family; `zeroAsZ` renders a zero offset as 'Z'. Offsets are in minutes and
 * may carry seconds (historical local mean time): styles without seconds drop them, as Java does.
 */
function offsetText(minutes: number, style: 'H' | 'HHMM' | 'HH:MM' | 'HHMMss' | 'HH:MM:ss', zeroAsZ: boolean): string {
  const total = Math.round(Math.abs(minutes) * 60);
  if (total === 0 && zeroAsZ) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const h = pad(Math.floor(total / 3600), 2);
  const m = pad(Math.floor(total / 60) % 60, 2);
  const sec = total % 60;
  switch (style) {
    case 'H': return m === '00' ? `${sign}${h}` : `${sign}${h}${m}`;
    case 'HHMM': return `${sign}${h}${m}`;
    case 'HH:MM': return `${sign}${h}:${m}`;
    case 'HHMMss': return sec === 0 ? `${sign}${h}${m}` : `${sign}${h}${m}${pad(sec, 2)}`;
    case 'HH:MM:ss': return sec === 0 ? `${sign}${h}:${m}` : `${sign}${h}:${m}:${pad(sec, 2)}`;
  }
}

function localizedOffset(minutes: number, full: boolean): string {
  const whole = Math.trunc(minutes);
  if (whole === 0) return 'GMT';
  const sign = whole < 0 ? '-' : '+';
  const h = Math.floor(Math.abs(whole) / 60);
  const m = Math.abs(whole) % 60;
  if (full) return `GMT${sign}${pad(h, 2)}:${pad(m, 2)}`;
  return m === 0 ? `GMT${sign}${h}` : `GMT${sign}${h}:${pad(m, 2)}`;
}

function zoneId(dt: DateTime): string {
  const name = dt.zoneName ?? 'UTC';
  return name === 'UTC' || name === 'Etc/UTC' ? 'UTC' : name;
}

function formatField(dt: DateTime, letter: string, count: number): string {
  switch (letter) {
    case 'G': return count === 4 ? (dt.year > 0 ? 'Anno Domini' : 'Before Christ') : count === 5 ? (dt.year > 0 ? 'A' : 'B') : dt.year > 0 ? 'AD' : 'BC';
    case 'u':
    case 'y':
    case 'Y': {
      const year = letter === 'Y' ? dt.weekYear : letter === 'y' && dt.year <= 0 ? 1 - dt.year : dt.year;
      if (count === 2) return pad(((year % 100) + 100) % 100, 2);
      // Java prints a '+' sign for years beyond the pad width when the width is 4 or more.
      const s = pad(year, count);
      return count >= 4 && year > 9999 ? `+${s}` : s;
    }
    case 'D': return pad(dt.ordinal, count);
    case 'M':
    case 'L': return count <= 2 ? pad(dt.month, count) : text(MONTHS[dt.month - 1], count);
    case 'd': return pad(dt.day, count);
    case 'Q':
    case 'q': return count <= 2 ? pad(dt.quarter, count) : count === 3 ? `Q${dt.quarter}` : count === 4 ? QUARTERS[dt.quarter - 1] : String(dt.quarter);
    case 'w': return pad(dt.weekNumber, count);
    case 'W': return String(Math.ceil((dt.day + ((dt.startOf('month').weekday + 6) % 7)) / 7));
    case 'E': return text(DAYS[dt.weekday - 1], count <= 3 ? 3 : count);
    case 'e':
    case 'c': return count <= 2 ? pad(dt.weekday, count) : text(DAYS[dt.weekday - 1], count);
    case 'F': return String(Math.floor((dt.day - 1) / 7) + 1);
    case 'a': return dt.hour < 12 ? 'AM' : 'PM';
    case 'B': return dt.hour < 6 ? 'at night' : dt.hour < 12 ? 'in the morning' : dt.hour < 18 ? 'in the afternoon' : 'in the evening';
    case 'h': return pad(dt.hour % 12 === 0 ? 12 : dt.hour % 12, count);
    case 'K': return pad(dt.hour % 12, count);
    case 'k': return pad(dt.hour === 0 ? 24 : dt.hour, count);
    case 'H': return pad(dt.hour, count);
    case 'm': return pad(dt.minute, count);
    case 's': return pad(dt.second, count);
    case 'S': return pad(dt.millisecond, 3).concat('000000').slice(0, count);
    case 'A': return pad(((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1000 + dt.millisecond, count);
    case 'n': return pad(dt.millisecond * 1_000_000, count);
    case 'N': return pad((((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1000 + dt.millisecond) * 1_000_000, count);
    case 'V': return zoneId(dt);
    case 'v': return count === 4 ? (dt.offsetNameLong ?? zoneId(dt)) : zoneId(dt);
    case 'z': {
      if (zoneId(dt) === 'UTC') return count === 4 ? 'Coordinated Universal Time' : 'UTC';
      return (count === 4 ? dt.offsetNameLong : dt.offsetNameShort) ?? zoneId(dt);
    }
    case 'O': return localizedOffset(dt.offset, count === 4);
    case 'X':
    case 'x': {
      const styles = ['H', 'HHMM', 'HH:MM', 'HHMMss', 'HH:MM:ss'] as const;
      return offsetText(dt.offset, styles[count - 1], letter === 'X');
    }
    case 'Z':
      if (count <= 3) return offsetText(dt.offset, 'HHMM', false);
      if (count === 4) return localizedOffset(dt.offset, true);
      return offsetText(dt.offset, 'HH:MM', true);
    default:
      return bad(`Unknown pattern letter: ${letter}`);
  }
}

export function formatWithTokens(dt: DateTime, tokens: PatternToken[]): string {
  let out = '';
  for (const token of tokens) {
    if (token.kind === 'literal') out += token.text;
    else if (token.kind === 'optional') out += formatWithTokens(dt, token.tokens);
    else out += formatField(dt, token.letter, token.count);
  }
  return out;
}

// ---------- parsing ----------

interface Capture { letter: string; count: number }

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function alternation(names: string[], count: number): string {
  const forms = names.map((n) => text(n, count));
  return `(${forms.map(escapeRe).join('|')})`;
}

function fieldRegex(letter: string, count: number): string {
  switch (letter) {
    case 'u':
    case 'y':
    case 'Y':
      if (count === 2) return '(\\d{2})';
      return count >= 4 ? `([+-]?\\d{${count},9})` : `([+-]?\\d{${count},9})`;
    case 'M':
    case 'L':
      if (count <= 2) return count === 1 ? '(\\d{1,2})' : '(\\d{2})';
      return alternation(MONTHS, count);
    case 'E': return alternation(DAYS, count <= 3 ? 3 : count);
    case 'e':
    case 'c': return count <= 2 ? '(\\d{1,2})' : alternation(DAYS, count);
    case 'G': return '(AD|BC|Anno Domini|Before Christ|A|B)';
    case 'a': return '(AM|PM)';
    case 'Q':
    case 'q': return count <= 2 ? '(\\d{1,2})' : count === 3 ? '(Q[1-4])' : count === 4 ? alternation(QUARTERS, 4) : '([1-4])';
    case 'S': return `(\\d{${count}})`;
    case 'V':
    case 'v': return '([A-Za-z][A-Za-z0-9_+\\-/]*)';
    case 'z': return '([A-Za-z][A-Za-z0-9_+\\-/ ]*?)';
    case 'O': return '(GMT(?:[+-]\\d{1,2}(?::\\d{2})?)?)';
    case 'X': return '(Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?)';
    case 'x': return '([+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?)';
    case 'Z': return count === 4 ? '(GMT(?:[+-]\\d{2}:\\d{2})?)' : count === 5 ? '(Z|[+-]\\d{2}:\\d{2})' : '([+-]\\d{4})';
    case 'B': return '(at night|in the morning|in the afternoon|in the evening|noon|midnight)';
    case 'A':
    case 'n':
    case 'N': return `(\\d{${count},19})`;
    default:
      return count === 1 ? '(\\d{1,2})' : `(\\d{${count}})`;
  }
}

function buildParser(tokens: PatternToken[], captures: Capture[]): string {
  let re = '';
  for (const token of tokens) {
    if (token.kind === 'literal') re += escapeRe(token.text);
    else if (token.kind === 'optional') re += `(?:${buildParser(token.tokens, captures)})?`;
    else {
      captures.push({ letter: token.letter, count: token.count });
      re += fieldRegex(token.letter, token.count);
    }
  }
  return re;
}

function offsetMinutes(value: string): number {
  if (value === 'Z' || value === 'GMT') return 0;
  const m = /^(?:GMT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(value);
  if (!m) return bad(`Text '${value}' could not be parsed as an offset`);
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60;
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * Parses `input` against the token list and returns epoch milliseconds. Fields absent from the
 * pattern default to 1970-01-01T00:00:00.000; the zone comes from the text, else `defaultZone`.
 */
export function parseWithTokens(input: string, tokens: PatternToken[], pattern: string, defaultZone: Zone): number {
  const captures: Capture[] = [];
  const re = new RegExp(`^${buildParser(tokens, captures)}$`);
  const m = re.exec(input);
  if (!m) return bad(`Text '${input}' could not be parsed with pattern '${pattern}'`);
  const f = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let ordinal: number | undefined;
  let pm: boolean | undefined;
  let hour12: number | undefined;
  let bc = false;
  let offset: number | undefined;
  let zoneName: string | undefined;
  captures.forEach((cap, index) => {
    const raw = m[index + 1];
    if (raw === undefined) return;
    const n = Number(raw);
    switch (cap.letter) {
      case 'u':
      case 'y':
      case 'Y': f.year = cap.count === 2 ? 2000 + n : n; break;
      case 'M':
      case 'L': f.month = cap.count <= 2 ? n : MONTHS.findIndex((name) => text(name, cap.count) === raw) + 1; break;
      case 'd': f.day = n; break;
      case 'D': ordinal = n; break;
      case 'H':
      case 'k': f.hour = n % 24; break;
      case 'h':
      case 'K': hour12 = n % 12; break;
      case 'a': pm = raw === 'PM'; break;
      case 'G': bc = raw.startsWith('B'); break;
      case 'm': f.minute = n; break;
      case 's': f.second = n; break;
      case 'S': f.millisecond = Number(raw.padEnd(3, '0').slice(0, 3)); break;
      case 'n': f.millisecond = Math.floor(n / 1_000_000); break;
      case 'X':
      case 'x':
      case 'Z':
      case 'O': offset = offsetMinutes(raw); break;
      case 'V':
      case 'v':
      case 'z': zoneName = raw; break;
      default: break; // text fields such as E or Q are validated by the pattern but derived from the date.
    }
  });
  if (hour12 !== undefined) f.hour = hour12 + (pm ? 12 : 0);
  else if (pm !== undefined && f.hour < 12 && pm) f.hour += 12;
  if (bc) f.year = 1 - f.year;
  let zone: Zone | string = defaultZone;
  if (offset !== undefined) zone = FixedOffsetZone.instance(offset);
  else if (zoneName !== undefined) zone = zoneName === 'Z' || zoneName === 'GMT' ? 'UTC' : zoneName;
  let dt = DateTime.fromObject(f, { zone });
  if (ordinal !== undefined) dt = DateTime.fromObject({ ...f, month: 1, day: 1 }, { zone }).plus({ days: ordinal - 1 });
  if (!dt.isValid) return bad(`Text '${input}' could not be parsed: ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.toMillis();
}
