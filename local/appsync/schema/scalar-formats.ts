// AppSync's scalar formats (APPSYNC-NOTES §7): pure predicates, shared by the graphql-js scalars
// and by anything else that must accept exactly what AppSync accepts.
import { isIP } from 'node:net';

const OFFSET = '(?:Z|[+-](\\d{2}):(\\d{2})(?::(\\d{2}))?)';
const TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,9})?)?';
const DATE_RE = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${OFFSET}?$`);
const TIME_RE = new RegExp(`^${TIME}${OFFSET}?$`);
const DATETIME_RE = new RegExp(`^-?(\\d{4})-(\\d{2})-(\\d{2})T${TIME}${OFFSET}$`);
// RFC 822 addr-spec as the common validators approximate it (the amplify simulator uses the same).
const EMAIL_RE =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const URL_SCHEME_RE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const PHONE_RE = /^\+?\d+(?:[ -]\d+)*$/;

function inRange(value: string | undefined, max: number): boolean {
  return value === undefined || Number(value) <= max;
}

function validOffset(h: string | undefined, m: string | undefined, s: string | undefined): boolean {
  // java.time.ZoneOffset: at most ±18:00.
  return inRange(h, 18) && inRange(m, 59) && inRange(s, 59);
}

function validCalendarDate(year: string, month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const y = Number(year);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

function validClock(h: string, m: string, s: string | undefined): boolean {
  return inRange(h, 23) && inRange(m, 59) && inRange(s, 59);
}

export function isAWSDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  return m !== null && validCalendarDate(m[1], m[2], m[3]) && validOffset(m[4], m[5], m[6]);
}

export function isAWSTime(value: string): boolean {
  const m = TIME_RE.exec(value);
  return m !== null && validClock(m[1], m[2], m[3]) && validOffset(m[4], m[5], m[6]);
}

export function isAWSDateTime(value: string): boolean {
  const m = DATETIME_RE.exec(value);
  return (
    m !== null &&
    validCalendarDate(m[1], m[2], m[3]) &&
    validClock(m[4], m[5], m[6]) &&
    validOffset(m[7], m[8], m[9])
  );
}

export function isAWSTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function isAWSEmail(value: string): boolean {
  return value.length <= 320 && EMAIL_RE.test(value);
}

export function isAWSURL(value: string): boolean {
  if (!URL_SCHEME_RE.test(value) || /\s/.test(value)) return false;
  try {
    return !new URL(value).pathname.includes('//');
  } catch {
    return false;
  }
}

export function isAWSIPAddress(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Phone numbers: whitespace or hyphens between digit groups, optional `+` country code; without
 * one, NANP (US) rules apply (area code and exchange start with 2-9), as libphonenumber checks them.
 */
export function isAWSPhone(value: string): boolean {
  if (!PHONE_RE.test(value)) return false;
  const digits = value.replace(/[ -]/g, '');
  if (value.startsWith('+')) {
    const national = digits.slice(1);
    if (national.startsWith('1')) return isNanp(national.slice(1));
    return national.length >= 8 && national.length <= 15 && !national.startsWith('0');
  }
  if (digits.length === 11 && digits.startsWith('1')) return isNanp(digits.slice(1));
  return isNanp(digits);
}

function isNanp(tenDigits: string): boolean {
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(tenDigits);
}

/** AWSJSON: RFC 8259 text (JSON.parse is exactly that strict). */
export function parseAWSJSON(value: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}
