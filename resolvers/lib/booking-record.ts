// The booking record's attributes besides its key: the entity tag and the two GSIs (by user, by provider).
import type { BookingItem } from './items';

export function bookingRecordFields(booking: BookingItem): Record<string, unknown> {
  return {
    ...booking,
    entity: 'BOOKING',
    GSI1PK: `USER#${booking.userId}`,
    GSI1SK: `${booking.startTime}#${booking.id}`,
    GSI2PK: `PROVIDER#${booking.providerId}`,
    GSI2SK: `${booking.startTime}#${booking.id}`,
  };
}
