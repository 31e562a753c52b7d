// The transaction entries that take and give back a hold. Every entry is conditional, so a hold is
// taken once and released once, whichever path (confirm, cancel, expiry) gets there first.
import { holdCounterKey, holdKey, slotKey, type SlotRef } from './keys';
import { txDelete, txUpdate } from './transact';

/** Slot AVAILABLE (or HELD with a passed hold) → HELD by this booking. */
export function holdSlot(table: string, ref: SlotRef, bookingId: string, userId: string, holdExpiresAt: string, nowIso: string) {
  return txUpdate(
    table,
    slotKey(ref.providerId, ref.startUtcIso),
    {
      expression: 'SET #status = :held, #exp = :exp, #bid = :bid, #by = :by, #ver = #ver + :one',
      names: { '#status': 'status', '#exp': 'holdExpiresAt', '#bid': 'bookingId', '#by': 'heldBy', '#ver': 'version' },
      values: { ':held': 'HELD', ':exp': holdExpiresAt, ':bid': bookingId, ':by': userId, ':one': 1 },
    },
    {
      expression: 'attribute_exists(#c_pk) AND (#c_status = :c_available OR (#c_status = :c_held AND #c_exp <= :c_now))',
      names: { '#c_pk': 'PK', '#c_status': 'status', '#c_exp': 'holdExpiresAt' },
      values: { ':c_available': 'AVAILABLE', ':c_held': 'HELD', ':c_now': nowIso },
    },
  );
}

/** Slot HELD (or BOOKED) by this booking → AVAILABLE. */
export function releaseSlot(table: string, ref: SlotRef, bookingId: string, from: 'HELD' | 'BOOKED') {
  return txUpdate(
    table,
    slotKey(ref.providerId, ref.startUtcIso),
    {
      expression: 'SET #status = :available, #ver = #ver + :one REMOVE #exp, #bid, #by',
      names: { '#status': 'status', '#ver': 'version', '#exp': 'holdExpiresAt', '#bid': 'bookingId', '#by': 'heldBy' },
      values: { ':available': 'AVAILABLE', ':one': 1 },
    },
    {
      expression: '#c_status = :c_from AND #c_bid = :c_bid',
      names: { '#c_status': 'status', '#c_bid': 'bookingId' },
      values: { ':c_from': from, ':c_bid': bookingId },
    },
  );
}

/** Slot HELD by this booking with a live hold → BOOKED. */
export function bookSlot(table: string, ref: SlotRef, bookingId: string, nowIso: string) {
  return txUpdate(
    table,
    slotKey(ref.providerId, ref.startUtcIso),
    {
      expression: 'SET #status = :booked, #ver = #ver + :one REMOVE #exp, #by',
      names: { '#status': 'status', '#ver': 'version', '#exp': 'holdExpiresAt', '#by': 'heldBy' },
      values: { ':booked': 'BOOKED', ':one': 1 },
    },
    {
      expression: '#c_status = :c_held AND #c_bid = :c_bid AND #c_exp > :c_now',
      names: { '#c_status': 'status', '#c_bid': 'bookingId', '#c_exp': 'holdExpiresAt' },
      values: { ':c_held': 'HELD', ':c_bid': bookingId, ':c_now': nowIso },
    },
  );
}

export function deleteHoldMarker(table: string, bookingId: string) {
  return txDelete(table, holdKey(bookingId), { expression: 'attribute_exists(#c_pk)', names: { '#c_pk': 'PK' } });
}

/** The user's active-hold counter, up by one while under the cap. */
export function countHold(table: string, userId: string, maxHolds: number) {
  return txUpdate(
    table,
    holdCounterKey(userId),
    {
      expression: 'SET #count = if_not_exists(#count, :zero) + :one, #entity = :entity',
      names: { '#count': 'count', '#entity': 'entity' },
      values: { ':zero': 0, ':one': 1, ':entity': 'HOLD_COUNTER' },
    },
    { expression: 'attribute_not_exists(#c_count) OR #c_count < :c_max', names: { '#c_count': 'count' }, values: { ':c_max': maxHolds } },
  );
}

export function uncountHold(table: string, userId: string) {
  return txUpdate(
    table,
    holdCounterKey(userId),
    { expression: 'SET #count = #count - :one', names: { '#count': 'count' }, values: { ':one': 1 } },
    { expression: '#c_count > :c_zero', names: { '#c_count': 'count' }, values: { ':c_zero': 0 } },
  );
}
