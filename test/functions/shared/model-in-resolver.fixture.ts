// A resolver that uses the shared model, bundled and run in the local APPSYNC_JS sandbox by
// model-in-resolver.test.ts.
import type { Context } from '@aws-appsync/utils';
import {
  bookingChangeOf,
  canTransitionBooking,
  effectiveSlotStatus,
  epochMsToIso,
  isoToEpochMs,
  parseSlotId,
  slotChangeOf,
  slotIdOf,
  type SlotItem,
} from '../../../functions/shared/model.ts';

export function request(ctx: Context<{ providerId: string; start: string; nowMs: number }>) {
  const id = slotIdOf(ctx.args.providerId, ctx.args.start);
  const held = { slotId: id, providerId: ctx.args.providerId, date: '2026-12-01', startTime: ctx.args.start, status: 'HELD', holdExpiresAt: epochMsToIso(ctx.args.nowMs), bookingId: 'B' } as SlotItem;
  return {
    id,
    parsed: parseSlotId(id),
    bad: parseSlotId('nope'),
    expiresMs: isoToEpochMs(held.holdExpiresAt),
    effective: effectiveSlotStatus(held, ctx.args.nowMs),
    confirmAfterExpiry: canTransitionBooking('EXPIRED', 'CONFIRMED'),
    released: slotChangeOf(held, { ...held, status: 'AVAILABLE', holdExpiresAt: null, bookingId: null }, ctx.args.nowMs, {}),
    booking: bookingChangeOf(null, { id: 'B', userId: 'u', providerId: 'p', slotId: 's', status: 'PENDING', updatedAt: 'now' }),
  };
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
