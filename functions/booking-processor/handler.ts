// booking-processor: consumes the booking queue (SQS event source, partial batch responses).
// - BookingRequested: writes the PENDING booking record if it does not exist yet and its hold is
//   still in place. A confirm, cancel or expiry may have written the booking first; a later state
//   is never overwritten, and a hold given back by a failed createBooking gets no booking.
// - HoldDeadline: expires the booking if it is still PENDING (or not yet written) once its hold
//   has passed (functions/shared/expire-hold.ts); a deadline that arrives early fails and retries.
// A malformed message fails alone: the rest of the batch succeeds, and after the queue's
// maxReceiveCount the message moves to the DLQ.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BOOKING_MESSAGE_TYPES, parsePendingBooking, type BookingMessageType } from '../shared/booking-message.ts';
import { cancellationCodes, createDocumentClient } from '../shared/dynamo.ts';
import { requireEnv } from '../shared/env.ts';
import { invalid } from '../shared/errors.ts';
import { expireHold, HoldNotDueError } from '../shared/expire-hold.ts';
import { createLogger } from '../shared/logger.ts';
import { bookingIndexKeys, bookingKey, holdKey, type BookingItem, type BookingRecord } from '../shared/model.ts';

/** A deadline this close is waited for in place (SQS delays are whole seconds); further off, it retries. */
const MAX_EARLY_WAIT_MS = 2_000;

const doc = createDocumentClient();
const logger = createLogger('booking-processor');

function parseMessage(record: SQSRecord): { type: BookingMessageType; booking: BookingRecord } {
  const type = record.messageAttributes?.type?.stringValue;
  if (!BOOKING_MESSAGE_TYPES.includes(type as BookingMessageType)) {
    throw invalid('messageAttributes.type', `must be one of ${BOOKING_MESSAGE_TYPES.join(', ')}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw invalid('body', 'must be JSON');
  }
  return { type: type as BookingMessageType, booking: parsePendingBooking(body, 'body') };
}

/**
 * The PENDING booking, only while its hold marker exists: once the marker is gone the hold was
 * settled (the booking then exists) or given back by a failed createBooking, which must leave no
 * booking behind (its HoldDeadline still records the attempt as EXPIRED).
 */
async function writePendingBooking(tableName: string, booking: BookingRecord): Promise<'written' | 'exists' | 'hold gone'> {
  const item: BookingItem = { ...booking, ...bookingKey(booking.id), ...bookingIndexKeys(booking), entity: 'BOOKING' };
  const names = { '#pk': 'PK' };
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tableName, Key: holdKey(booking.id), ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: names } },
          { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: names } },
        ],
      }),
    );
    return 'written';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[1] === 'ConditionalCheckFailed') return 'exists';
    if (codes?.[0] === 'ConditionalCheckFailed') return 'hold gone';
    throw error;
  }
}

async function expireAtDeadline(tableName: string, booking: BookingRecord) {
  const hold = { ...booking, bookingId: booking.id, booking };
  try {
    return await expireHold(doc, tableName, hold, { markerDeletedByTtl: false });
  } catch (error) {
    if (!(error instanceof HoldNotDueError) || error.remainingMs > MAX_EARLY_WAIT_MS) throw error;
    await new Promise((resolve) => setTimeout(resolve, error.remainingMs + 1));
    return expireHold(doc, tableName, hold, { markerDeletedByTtl: false });
  }
}

async function recordHandler(record: SQSRecord): Promise<void> {
  const tableName = requireEnv('TABLE_NAME');
  try {
    const { type, booking } = parseMessage(record);
    if (type === 'BookingRequested') {
      const outcome = await writePendingBooking(tableName, booking);
      logger.info('booking requested', { bookingId: booking.id, outcome });
    } else {
      const outcome = await expireAtDeadline(tableName, booking);
      logger.info('hold deadline', { bookingId: booking.id, outcome });
    }
  } catch (error) {
    // The message id and the reason only: bodies carry user notes.
    logger.error('message failed', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: (error as Error).message });
    throw error;
  }
}

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  if (context) logger.addContext(context);
  // One processor per invocation: it keeps the batch's state, and the local runtime may overlap invocations.
  return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
    context,
    // A batch made only of poison messages still answers with their ids, not a blanket failure.
    throwOnFullBatchFailure: false,
  });
}
