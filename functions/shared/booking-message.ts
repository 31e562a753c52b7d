// The PENDING booking as the createBooking pipeline hands it to enqueue-booking and as the booking
// queue carries it. Checked field by field at every edge it crosses: a malformed one is refused.
import { invalid } from './errors.ts';
import { isoToEpochMs, isUlid, parseSlotId, type BookingRecord } from './model.ts';

/** SQS message attribute `type`. */
export type BookingMessageType = 'BookingRequested' | 'HoldDeadline';
export const BOOKING_MESSAGE_TYPES: BookingMessageType[] = ['BookingRequested', 'HoldDeadline'];

const MAX_USER_ID = 128;
const MAX_NOTES = 500;
const MAX_IDEMPOTENCY_KEY = 64;

function text(record: Record<string, unknown>, field: string, path: string, max: number): string {
  const value = record[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(`${path}.${field}`, `must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

function optionalText(record: Record<string, unknown>, field: string, path: string, max: number): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max) throw invalid(`${path}.${field}`, `must be a string of at most ${max} characters`);
  return value;
}

function timestamp(record: Record<string, unknown>, field: string, path: string): string {
  const value = record[field];
  if (isoToEpochMs(value) === null) throw invalid(`${path}.${field}`, 'must be an ISO-8601 UTC timestamp');
  return value as string;
}

/** A PENDING booking, or a ValidationError naming the bad field. */
export function parsePendingBooking(value: unknown, path = 'booking'): BookingRecord {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(path, 'must be an object');
  const record = value as Record<string, unknown>;
  const id = record.id;
  if (!isUlid(id)) throw invalid(`${path}.id`, 'must be a ULID');
  const providerId = record.providerId;
  if (!isUlid(providerId)) throw invalid(`${path}.providerId`, 'must be a ULID');
  const slot = parseSlotId(record.slotId);
  if (!slot || slot.providerId !== providerId) throw invalid(`${path}.slotId`, "must be a slot id of the booking's provider");
  const startTime = timestamp(record, 'startTime', path);
  if (isoToEpochMs(startTime) !== isoToEpochMs(slot.startUtcIso)) throw invalid(`${path}.startTime`, "must be the slot's start");
  const endTime = timestamp(record, 'endTime', path);
  if ((isoToEpochMs(endTime) as number) <= (isoToEpochMs(startTime) as number)) throw invalid(`${path}.endTime`, 'must be after startTime');
  if (record.status !== undefined && record.status !== 'PENDING') throw invalid(`${path}.status`, 'must be PENDING');
  const createdAt = timestamp(record, 'createdAt', path);
  return {
    id,
    slotId: record.slotId as string,
    providerId,
    userId: text(record, 'userId', path, MAX_USER_ID),
    status: 'PENDING',
    startTime,
    endTime,
    holdExpiresAt: timestamp(record, 'holdExpiresAt', path),
    notes: optionalText(record, 'notes', path, MAX_NOTES),
    idempotencyKey: optionalText(record, 'idempotencyKey', path, MAX_IDEMPOTENCY_KEY),
    createdAt,
    updatedAt: record.updatedAt === undefined ? createdAt : timestamp(record, 'updatedAt', path),
  };
}
