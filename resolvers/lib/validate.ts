// Input checks at the edge. util.matches takes Java regex syntax and matches the whole value.
import { util } from '@aws-appsync/utils';
import { invalid } from './errors';

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

export function requireId(field: string, value: string): string {
  if (!util.matches(ULID, value || '')) invalid(field, 'is not a valid id');
  return value;
}

export function optionalText(field: string, value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (value.length > max) invalid(field, `must be at most ${max} characters`);
  return value;
}

export function requireText(field: string, value: string | null | undefined, max: number): string {
  const text = (value || '').trim();
  if (text.length === 0) invalid(field, 'must not be empty');
  if (text.length > max) invalid(field, `must be at most ${max} characters`);
  return text;
}

/** A page size: 1–100, default 20. */
export function pageLimit(value: number | null | undefined): number {
  if (value === null || value === undefined) return 20;
  if (value < 1 || value > 100) invalid('limit', 'must be between 1 and 100');
  return value;
}

/** AWSDate has already been validated as a date; slotsync takes plain YYYY-MM-DD only. */
export function requireDate(field: string, value: string): string {
  if (!util.matches('\\d{4}-\\d{2}-\\d{2}', value || '')) invalid(field, 'must be a date as YYYY-MM-DD without an offset');
  return value;
}

export function dateToEpochMs(value: string): number {
  return util.time.parseFormattedToEpochMilliSeconds(value, 'yyyy-MM-dd', 'UTC');
}
