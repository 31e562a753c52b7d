// parsePendingBooking: the consistency checks between a booking's fields and its slot id.
import { describe, expect, it } from 'vitest';
import { newUlid } from '../support.ts';
import { parsePendingBooking } from '../../../functions/shared/booking-message.ts';
import { slotIdOf } from '../../../functions/shared/model.ts';

const providerId = newUlid();
const startTime = '2030-01-15T09:00:00Z';
const valid = {
  id: newUlid(),
  slotId: slotIdOf(providerId, startTime),
  providerId,
  userId: 'user-1',
  status: 'PENDING',
  startTime,
  endTime: '2030-01-15T09:30:00Z',
  holdExpiresAt: '2030-01-01T00:05:00.000Z',
  notes: null,
  idempotencyKey: null,
  createdAt: '2030-01-01T00:00:00.000Z',
};

describe('parsePendingBooking', () => {
  it('accepts a consistent PENDING booking', () => {
    expect(parsePendingBooking(valid)).toEqual({ ...valid, updatedAt: valid.createdAt });
  });

  it('refuses a slot of another provider', () => {
    expect(() => parsePendingBooking({ ...valid, providerId: newUlid() })).toThrow(
      "ValidationError: booking.slotId must be a slot id of the booking's provider",
    );
  });

  it("refuses a startTime other than the slot's start", () => {
    expect(() => parsePendingBooking({ ...valid, startTime: '2030-01-15T08:00:00Z' })).toThrow("ValidationError: booking.startTime must be the slot's start");
  });

  it('refuses a status other than PENDING', () => {
    expect(() => parsePendingBooking({ ...valid, status: 'CONFIRMED' })).toThrow('ValidationError: booking.status must be PENDING');
  });

  it('refuses an endTime that is not after startTime', () => {
    expect(() => parsePendingBooking({ ...valid, endTime: startTime })).toThrow('ValidationError: booking.endTime must be after startTime');
  });
});
