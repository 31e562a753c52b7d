// Table items → API objects. Effective status: a HELD slot whose hold has passed is AVAILABLE.
import {
  effectiveSlotStatus as effectiveStatus,
  type BookingRecord,
  type HoldMarkerItem as ModelHoldMarkerItem,
  type SlotItem as ModelSlotItem,
} from '../../functions/shared/model.ts';

/** Item shapes are the domain model's (functions/shared/model.ts documents each one). */
export type SlotItem = ModelSlotItem;
export type BookingItem = BookingRecord;
export type HoldMarkerItem = ModelHoldMarkerItem;

export { isHoldLive, effectiveSlotStatus as effectiveStatus } from '../../functions/shared/model.ts';

export function toSlot(item: SlotItem, now: number) {
  const status = effectiveStatus(item, now);
  return {
    id: item.slotId,
    providerId: item.providerId,
    date: item.date,
    startTime: item.startTime,
    endTime: item.endTime,
    status,
    holdExpiresAt: status === 'HELD' ? item.holdExpiresAt : null,
    version: item.version,
  };
}

/** The API's Booking: the stored fields minus table keys. */
export function toBooking(item: BookingItem) {
  return {
    id: item.id,
    slotId: item.slotId,
    providerId: item.providerId,
    userId: item.userId,
    status: item.status,
    startTime: item.startTime,
    endTime: item.endTime,
    holdExpiresAt: item.holdExpiresAt || null,
    notes: item.notes || null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    confirmedAt: item.confirmedAt || null,
    cancelledAt: item.cancelledAt || null,
    expiredAt: item.expiredAt || null,
    cancelReason: item.cancelReason || null,
  };
}

const BOOKING_FIELDS = [
  'id', 'slotId', 'providerId', 'userId', 'status', 'startTime', 'endTime', 'holdExpiresAt', 'notes',
  'idempotencyKey', 'createdAt', 'updatedAt', 'confirmedAt', 'cancelledAt', 'expiredAt', 'cancelReason',
];

/** Only the booking's own fields: no table keys, GSI keys or entity tag. */
export function bookingFields(item: Record<string, unknown>): BookingItem {
  const out: Record<string, unknown> = {};
  for (const k of BOOKING_FIELDS) {
    if (item[k] !== undefined && item[k] !== null) out[k] = item[k];
  }
  return out as unknown as BookingItem;
}

/** The booking as the caller should see it: the record if written, else the hold's snapshot. */
export function currentBooking(record: BookingItem | null, marker: HoldMarkerItem | null): BookingItem | null {
  if (record) return bookingFields(record as unknown as Record<string, unknown>);
  if (marker && marker.booking) return bookingFields(marker.booking as unknown as Record<string, unknown>);
  return null;
}

export function toProvider(item: Record<string, unknown>) {
  return {
    id: item.id,
    name: item.name,
    description: item.description || null,
    timeZone: item.timeZone,
    ownerId: item.ownerId,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}
