// change-publisher: slot and booking items' stream (filtered to them in infra/wiring.ts) → the
// IAM-only publish mutations, which fan out to onSlotChanged / onSlotReleased / onMyBookingChanged.
// Only status changes are published (plus a slot's creation and deletion); records are published
// in stream order, and a failed one is reported by SequenceNumber so Lambda retries from it.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { requireEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { bookingChangeOf, releaseReasonOf, slotChangeOf, type BookingRecord, type SlotItem } from '../shared/model.ts';
import { changeTimeMs, imageOf } from '../shared/stream-records.ts';
import { PUBLISH_BOOKING_CHANGE, PUBLISH_SLOT_CHANGE } from './mutations.ts';
import { signedGraphqlClient, type GraphqlClient } from './signed-graphql.ts';

const logger = createLogger('change-publisher');
let client: GraphqlClient | undefined;

function graphql(): GraphqlClient {
  client ??= signedGraphqlClient(requireEnv('GRAPHQL_URL'), requireEnv('AWS_REGION'));
  return client;
}

type Images = { old: Record<string, unknown> | null; new: Record<string, unknown> | null };

function imagesOf(record: DynamoDBRecord): Images {
  return { old: imageOf(record, 'OldImage'), new: imageOf(record, 'NewImage') };
}

function entityOf(images: Images): unknown {
  return (images.new ?? images.old)?.entity;
}

/** Why each booking of the batch gave its slot back: a slot record may precede its booking's. */
function releasesIn(records: DynamoDBRecord[]): Record<string, 'CANCELLED' | 'EXPIRED'> {
  const releases: Record<string, 'CANCELLED' | 'EXPIRED'> = {};
  for (const record of records) {
    const images = imagesOf(record);
    if (entityOf(images) !== 'BOOKING') continue;
    const reason = releaseReasonOf(images.old as BookingRecord | null, images.new as BookingRecord | null);
    if (reason && images.new) releases[images.new.id as string] = reason;
  }
  return releases;
}

export async function handler(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  if (context) logger.addContext(context);
  // One processor per invocation: it keeps the batch's state, and the local runtime may overlap invocations.
  const releases = releasesIn(event.Records ?? []);

  async function publish(record: DynamoDBRecord): Promise<void> {
    const images = imagesOf(record);
    const entity = entityOf(images);
    if (entity === 'SLOT') {
      const change = slotChangeOf(images.old as SlotItem | null, images.new as SlotItem | null, changeTimeMs(record), releases);
      if (!change) return;
      await graphql().execute(PUBLISH_SLOT_CHANGE, { input: change });
      logger.info('slot change published', { slotId: change.slotId, status: change.status, reason: change.reason });
    } else if (entity === 'BOOKING') {
      const change = bookingChangeOf(images.old as BookingRecord | null, images.new as BookingRecord | null);
      if (!change) return;
      await graphql().execute(PUBLISH_BOOKING_CHANGE, { input: change });
      logger.info('booking change published', { bookingId: change.bookingId, status: change.status });
    }
  }

  // After a failure the rest of the batch is held back too: Lambda retries from the first failed
  // record, so publishing later ones now would deliver them twice and out of order.
  let firstFailure: string | undefined;
  async function recordHandler(record: DynamoDBRecord): Promise<void> {
    if (firstFailure) throw new Error(`held back behind failed record ${firstFailure}`);
    try {
      await publish(record);
    } catch (error) {
      firstFailure = record.dynamodb?.SequenceNumber ?? 'unknown';
      logger.error('publish failed', { sequenceNumber: firstFailure, error: (error as Error).message });
      throw error;
    }
  }

  return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.DynamoDBStreams), { context, processInParallel: false, throwOnFullBatchFailure: false });
}
