// Timestamps are ISO-8601 UTC with milliseconds, fixed width, so they also compare as strings.
import { util } from '@aws-appsync/utils';

export function nowMs(): number {
  return util.time.nowEpochMilliSeconds();
}

export function isoOf(epochMs: number): string {
  return util.time.epochMilliSecondsToFormatted(epochMs, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", 'UTC');
}

export function msOf(iso: string): number {
  return util.time.parseISO8601ToEpochMilliSeconds(iso);
}
