// expiry-processor: the backstop for holds whose HoldDeadline message is late or lost. Its stream
// event source is filtered to TTL deletions of hold markers (infra/wiring.ts); each one expires
// the booking and releases the slot exactly as the deadline does (functions/shared/expire-hold.ts),
// idempotently. Partial batch responses name failed records by SequenceNumber.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient } from '../shared/dynamo.ts';
import { requireEnv } from '../shared/env.ts';
import { expireHold, type HoldToExpire } from '../shared/expire-hold.ts';
import { createLogger } from '../shared/logger.ts';
import { bookingIdOfHoldKey, isoToEpochMs, epochMsToIso, isUlid, parseSlotId, type HoldMarkerItem } from '../shared/model.ts';
import { imageOf, isTtlDeletion } from '../shared/stream-records.ts';

const doc = createDocumentClient();
const logger = createLogger('expiry-processor');

/** The hold a marker's old image describes; its `ttl` stands in for the expiry if the booking snapshot is absent. */
function holdOfMarker(marker: Partial<HoldMarkerItem>): HoldToExpire {
  const bookingId = bookingIdOfHoldKey(marker.PK ?? '');
  if (!bookingId || marker.bookingId !== bookingId) throw new Error('hold marker image has no valid booking id');
  if (!parseSlotId(marker.slotId) || !isUlid(marker.providerId) || typeof marker.userId !== 'string' || !marker.userId) {
    throw new Error(`hold marker of booking ${bookingId} lacks slotId, providerId or userId`);
  }
  const snapshot = marker.booking && marker.booking.id === bookingId ? marker.booking : null;
  const holdExpiresAt =
    snapshot && isoToEpochMs(snapshot.holdExpiresAt) !== null
      ? snapshot.holdExpiresAt
      : typeof marker.ttl === 'number'
        ? epochMsToIso(marker.ttl * 1000)
        : null;
  if (!holdExpiresAt) throw new Error(`hold marker of booking ${bookingId} has neither a booking snapshot nor a ttl`);
  return { bookingId, slotId: marker.slotId as string, userId: marker.userId, providerId: marker.providerId as string, holdExpiresAt, booking: snapshot };
}

async function recordHandler(record: DynamoDBRecord): Promise<void> {
  const tableName = requireEnv('TABLE_NAME');
  // Deletions by confirm, cancel or the deadline settled their hold in the same transaction.
  if (!isTtlDeletion(record)) return;
  const marker = imageOf(record, 'OldImage');
  if (!marker || marker.entity !== 'HOLD') return;
  try {
    const hold = holdOfMarker(marker as Partial<HoldMarkerItem>);
    const outcome = await expireHold(doc, tableName, hold, { markerDeletedByTtl: true });
    logger.info('hold marker expired', { bookingId: hold.bookingId, outcome });
  } catch (error) {
    logger.error('expiry failed', { sequenceNumber: record.dynamodb?.SequenceNumber, error: (error as Error).message });
    throw error;
  }
}

export async function handler(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  if (context) logger.addContext(context);
  // One processor per invocation: it keeps the batch's state, and the local runtime may overlap invocations.
  return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.DynamoDBStreams), { context, throwOnFullBatchFailure: false });
}
