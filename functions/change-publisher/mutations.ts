// The IAM-only publish mutations. Subscribers receive only the fields a mutation selects, so each
// selects every field of its type.
export const PUBLISH_SLOT_CHANGE = /* GraphQL */ `
  mutation PublishSlotChange($input: SlotChangeInput!) {
    publishSlotChange(input: $input) {
      providerId
      date
      slotId
      startTime
      status
      previousStatus
      reason
      at
    }
  }
`;

export const PUBLISH_BOOKING_CHANGE = /* GraphQL */ `
  mutation PublishBookingChange($input: BookingChangeInput!) {
    publishBookingChange(input: $input) {
      bookingId
      userId
      providerId
      slotId
      status
      previousStatus
      at
    }
  }
`;
