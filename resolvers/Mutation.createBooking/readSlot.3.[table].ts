// Step 3: fail early and precisely (NotFound, SlotTaken, SlotHeld, past) before trying the hold.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { fail, failOnDataSourceError, invalid } from '../lib/errors';
import { isHoldLive, type SlotItem } from '../lib/items';
import { slotKey, type SlotRef } from '../lib/keys';
import { onlyIf } from '../lib/pipeline';
import { msOf, nowMs } from '../lib/time';

export function request(ctx: Context) {
  onlyIf(ctx, !ctx.stash.booking);
  const ref = ctx.stash.slotRef as SlotRef;
  return ddb.get({ key: slotKey(ref.providerId, ref.startUtcIso), consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx.error);
  const slot = ctx.result as SlotItem | null;
  const id = ctx.args.input.slotId;
  if (!slot) return fail('NotFound', `Slot ${id} does not exist`);
  const now = nowMs();
  if (msOf(slot.startTime) <= now) invalid('input.slotId', 'is a slot in the past');
  if (slot.status === 'BOOKED') fail('SlotTaken', `Slot ${id} is already booked`);
  if (isHoldLive(slot, now)) fail('SlotHeld', `Slot ${id} is held by another booking until ${slot.holdExpiresAt}`);
  ctx.stash.slot = slot;
  return null;
}
