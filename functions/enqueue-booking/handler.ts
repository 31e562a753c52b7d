// enqueue-booking: the AWS_LAMBDA data source of step 4 of the createBooking pipeline
// (resolvers/Mutation.createBooking/enqueue.6.[enqueueBooking].ts).
//   event  = { booking: the PENDING booking the hold transaction placed, holdSeconds }
//   result = { queued: true, messageIds: [BookingRequested id, HoldDeadline id] }
// Sends `HoldDeadline` delayed by the hold length (booking-processor expires the hold if still
// PENDING) and `BookingRequested` (booking-processor writes the PENDING record).
// Both bodies are the booking; the message attribute `type` says which is which.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { parsePendingBooking, type BookingMessageType } from '../shared/booking-message.ts';
import { requireEnv } from '../shared/env.ts';
import { invalid } from '../shared/errors.ts';
import { createLogger } from '../shared/logger.ts';

export interface EnqueueBookingEvent {
  booking: unknown;
  holdSeconds: unknown;
}

export interface EnqueueBookingResult {
  queued: true;
  messageIds: string[];
}

/** SQS's largest DelaySeconds. */
export const MAX_DELAY_SECONDS = 900;

const sqs = new SQSClient({});
const logger = createLogger('enqueue-booking');

export async function handler(event: EnqueueBookingEvent, context?: Context): Promise<EnqueueBookingResult> {
  if (context) logger.addContext(context);
  const queueUrl = requireEnv('BOOKING_QUEUE_URL');
  if (!event || typeof event !== 'object') throw invalid('event', 'must be an object');
  const booking = parsePendingBooking(event.booking);
  const holdSeconds = event.holdSeconds;
  if (typeof holdSeconds !== 'number' || !Number.isInteger(holdSeconds) || holdSeconds < 1) {
    throw invalid('holdSeconds', 'must be a whole number of seconds, at least 1');
  }
  const body = JSON.stringify(booking);
  const typed = (type: BookingMessageType) => ({ type: { DataType: 'String', StringValue: type } });
  // The deadline goes first: if the second send fails, the caller releases the hold and the
  // deadline later settles the never-written booking as EXPIRED. The other order could leave a
  // PENDING booking with no deadline behind.
  const deadline = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: typed('HoldDeadline'),
      DelaySeconds: Math.min(holdSeconds, MAX_DELAY_SECONDS),
    }),
  );
  const requested = await sqs.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: typed('BookingRequested') }),
  );
  const messageIds = [requested.MessageId ?? '', deadline.MessageId ?? ''];
  logger.info('booking queued', { bookingId: booking.id, messageIds });
  return { queued: true, messageIds };
}
