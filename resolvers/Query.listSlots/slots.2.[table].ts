// Slots are keyed by UTC start; `from`/`to` are provider-local dates. The key range runs from the
// first instant of `from` to the last second of `to` in the provider's zone (read by step 1), so a
// page of `limit` reads no slot of a neighbouring day; the local `date` still filters it exactly.
import type { Context } from '@aws-appsync/utils';
import { util } from '@aws-appsync/utils';
import { failOnDataSourceError } from '../lib/errors';
import { toSlot, type SlotItem } from '../lib/items';
import { dateToEpochMs, pageLimit } from '../lib/validate';
import { isoOf, nowMs } from '../lib/time';

type Args = { providerId: string; from: string; to: string; status?: string | null; limit?: number | null; nextToken?: string | null };

const DAY = 86400000;

export function request(ctx: Context<Args>) {
  const { args } = ctx;
  const now = nowMs();
  const names: Record<string, string> = { '#pk': 'PK', '#sk': 'SK', '#date': 'date' };
  const zone = (ctx.prev.result as { timeZone: string }).timeZone;
  const values: Record<string, unknown> = {
    ':pk': `PROVIDER#${args.providerId}`,
    ':lo': `SLOT#${utcSecondIso(startOfLocalDay(args.from, zone))}`,
    ':hi': `SLOT#${utcSecondIso(startOfLocalDay(isoOf(dateToEpochMs(args.to) + DAY).slice(0, 10), zone) - 1000)}`,
    ':from': args.from,
    ':to': args.to,
  };
  let filter = '#date BETWEEN :from AND :to';
  if (args.status) {
    names['#status'] = 'status';
    // DynamoDB refuses names and values an expression does not use, so only the hold-expiry
    // comparisons (AVAILABLE, HELD: effective status) bring #exp, :now and :held.
    if (args.status === 'AVAILABLE' || args.status === 'HELD') {
      names['#exp'] = 'holdExpiresAt';
      values[':now'] = isoOf(now);
      values[':held'] = 'HELD';
    }
    if (args.status === 'AVAILABLE') {
      values[':available'] = 'AVAILABLE';
      filter = `${filter} AND (#status = :available OR (#status = :held AND #exp <= :now))`;
    } else if (args.status === 'HELD') {
      filter = `${filter} AND #status = :held AND #exp > :now`;
    } else {
      values[':status'] = args.status;
      filter = `${filter} AND #status = :status`;
    }
  }
  ctx.stash.now = now;
  return {
    operation: 'Query',
    query: {
      expression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
      expressionNames: { '#pk': 'PK', '#sk': 'SK' },
      expressionValues: util.dynamodb.toMapValues({ ':pk': values[':pk'], ':lo': values[':lo'], ':hi': values[':hi'] }),
    },
    filter: {
      expression: filter,
      expressionNames: pick(names, ['#date', '#status', '#exp']),
      expressionValues: util.dynamodb.toMapValues(omit(values, [':pk', ':lo', ':hi'])),
    },
    limit: pageLimit(args.limit),
    nextToken: args.nextToken || undefined,
  };
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  const now = ctx.stash.now as number;
  return {
    items: ctx.result.items.map((item: SlotItem) => toSlot(item, now)),
    nextToken: ctx.result.nextToken || null,
  };
}

/** The first instant of a local date in `zone` (a midnight a DST change skips starts later). */
function startOfLocalDay(date: string, zone: string): number {
  return util.time.parseFormattedToEpochMilliSeconds(`${date} 00:00`, 'yyyy-MM-dd HH:mm', zone);
}

/** The form of the slot sort keys: UTC to the second. */
function utcSecondIso(epochMs: number): string {
  return util.time.epochMilliSecondsToFormatted(epochMs, "yyyy-MM-dd'T'HH:mm:ss'Z'", 'UTC');
}

function pick(source: Record<string, string>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    if (source[k]) out[k] = source[k];
  }
  return out;
}

function omit(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(source)) {
    if (keys.indexOf(k) < 0) out[k] = source[k];
  }
  return out;
}
