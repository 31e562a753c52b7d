// Shared by the Lambda handler tests: the environment a handler reads at import (set before the
// dynamic import), ids, table access and fixtures of the booking flow.
import { createHash, randomBytes } from 'node:crypto';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import { vi } from 'vitest';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoDb } from '../../local/dynamodb/client.ts';
import { dynamodbEndpoint } from '../support/dynamodb.ts';
import {
  epochMsToIso,
  epochMsToSecondIso,
  holdCounterKey,
  holdKey,
  holdTtlSeconds,
  slotIdOf,
  slotKey,
  type BookingRecord,
  type HoldMarkerItem,
  type SlotItem,
  type TableKey,
} from '../../functions/shared/model.ts';

/** What Lambda and the local runtime give a function: region, credentials, endpoints, its own variables. */
export function stubFunctionEnv(own: Record<string, string>): void {
  vi.stubEnv('AWS_REGION', LOCAL_REGION);
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamodbEndpoint());
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  for (const [key, value] of Object.entries(own)) vi.stubEnv(key, value);
}

export function documentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(localDynamoDb(dynamodbEndpoint()), { marshallOptions: { removeUndefinedValues: true } });
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newUlid(): string {
  const bytes = randomBytes(26);
  return [...bytes].map((b, i) => CROCKFORD[i === 0 ? b % 8 : b % 32]).join('');
}

export async function getItem<T>(doc: DynamoDBDocumentClient, tableName: string, key: TableKey): Promise<T | undefined> {
  return (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item as T | undefined;
}

export async function putItem(doc: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>): Promise<void> {
  await doc.send(new PutCommand({ TableName: tableName, Item: item }));
}

/** A Lambda context good enough for Powertools (it reads names and the request id). */
export const lambdaContext = {
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
  memoryLimitInMB: '256',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

export interface HeldBooking {
  booking: BookingRecord;
  slot: SlotItem;
  marker: HoldMarkerItem;
}

/**
 * What createBooking's hold transaction leaves: a HELD slot, the hold marker with its TTL and the
 * user's counter at `count`. `holdExpiresAtMs` is when the hold ends.
 */
/** The hold marker the hold transaction writes beside a booking's held slot. */
export function holdMarkerOf(booking: BookingRecord): HoldMarkerItem {
  return {
    ...holdKey(booking.id),
    entity: 'HOLD',
    bookingId: booking.id,
    slotId: booking.slotId,
    userId: booking.userId,
    providerId: booking.providerId,
    ttl: holdTtlSeconds(Date.parse(booking.holdExpiresAt)),
    booking,
  };
}

export async function placeHold(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: { holdExpiresAtMs: number; userId?: string; counter?: number },
): Promise<HeldBooking> {
  const providerId = newUlid();
  const bookingId = newUlid();
  const userId = options.userId ?? `user-${newUlid()}`;
  const startMs = Math.ceil((Date.now() + 30 * 86400000) / 3600000) * 3600000;
  const startTime = epochMsToSecondIso(startMs);
  const slotId = slotIdOf(providerId, startTime) as string;
  const holdExpiresAt = epochMsToIso(options.holdExpiresAtMs);
  const createdAt = epochMsToIso(Date.now());
  const booking: BookingRecord = {
    id: bookingId,
    slotId,
    providerId,
    userId,
    status: 'PENDING',
    startTime,
    endTime: epochMsToSecondIso(startMs + 30 * 60000),
    holdExpiresAt,
    notes: 'window seat',
    idempotencyKey: null,
    createdAt,
    updatedAt: createdAt,
  };
  const slot: SlotItem = {
    ...slotKey(providerId, startTime),
    entity: 'SLOT',
    slotId,
    providerId,
    date: startTime.slice(0, 10),
    startTime,
    endTime: booking.endTime,
    status: 'HELD',
    holdExpiresAt,
    bookingId,
    heldBy: userId,
    version: 2,
    availabilityId: newUlid(),
  };
  const marker = holdMarkerOf(booking);
  await putItem(doc, tableName, { ...slot });
  await putItem(doc, tableName, { ...marker });
  await putItem(doc, tableName, { ...holdCounterKey(userId), entity: 'HOLD_COUNTER', count: options.counter ?? 1 });
  return { booking, slot, marker };
}

let sequence = 0;

/** An SQS record as Lambda's event source delivers it. */
export function sqsRecord(type: string | undefined, body: string): SQSRecord {
  sequence += 1;
  const messageId = `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: type === undefined ? {} : { type: { stringValue: type, dataType: 'String', stringListValues: [], binaryListValues: [] } },
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bookings',
    awsRegion: 'us-east-1',
  };
}

/** A TTL deletion of a hold marker as the stream (and Lambda) report it. */
export function ttlRemoveRecord(marker: HoldMarkerItem): DynamoDBRecord {
  sequence += 1;
  return {
    eventID: `ttl-${sequence}`,
    eventName: 'REMOVE',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: { PK: { S: marker.PK }, SK: { S: marker.SK } },
      OldImage: marshall(marker, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'],
      SequenceNumber: String(1000000000000000000000 + sequence),
      SizeBytes: 400,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000',
  };
}
