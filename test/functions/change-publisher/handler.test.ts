// change-publisher fed with real stream records of DynamoDB Local (filtered as the wiring says),
// publishing to a local endpoint that verifies SigV4 and the operations against the schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DeleteCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freshTable, dynamodbEndpoint } from '../../support/dynamodb.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoDbStreams } from '../../../local/dynamodb/client.ts';
import { toLambdaRecord, type LambdaStreamRecord } from '../../../local/streams/record.ts';
import { matchesFilterCriteria } from '../../../local/streams/filter.ts';
import { eventSources } from '../../../infra/wiring.ts';
import { documentClient, holdMarkerOf, lambdaContext, newUlid, putItem, sqsRecord, stubFunctionEnv } from '../support.ts';
import { bookingKey, epochMsToIso, providerKey, slotKey, type BookingRecord, type ProviderItem, type SlotItem } from '../../../functions/shared/model.ts';
import { startAppSyncStub, type AppSyncStub } from './appsync-stub.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let doc: DynamoDBDocumentClient;
let appsync: AppSyncStub;
let publish: (event: DynamoDBStreamEvent, context?: typeof lambdaContext) => Promise<DynamoDBBatchResponse>;
let generate: typeof import('../../../functions/generate-slots/handler.ts').handler;
let bookings: typeof import('../../../functions/booking-processor/handler.ts').handler;
let shardIterators = new Map<string, string>();

beforeAll(async () => {
  table = await freshTable('pub');
  appsync = await startAppSyncStub({ ...LOCAL_CREDENTIALS });
  stubFunctionEnv({ TABLE_NAME: table.tableName, GRAPHQL_URL: appsync.url });
  doc = documentClient();
  ({ handler: publish } = await import('../../../functions/change-publisher/handler.ts'));
  ({ handler: generate } = await import('../../../functions/generate-slots/handler.ts'));
  ({ handler: bookings } = await import('../../../functions/booking-processor/handler.ts'));
  shardIterators = new Map();
});
afterAll(async () => {
  await appsync?.close();
  await table?.drop();
});

const filters = eventSources.find((source) => source.function === 'change-publisher' && source.kind === 'dynamodb-stream')!;

/** Everything the table's stream holds since the last call, as Lambda would deliver it to change-publisher. */
async function newStreamRecords(): Promise<LambdaStreamRecord[]> {
  const streams = localDynamoDbStreams(dynamodbEndpoint());
  try {
    const { StreamDescription } = await streams.call('DescribeStream', { StreamArn: table.streamArn });
    const records: LambdaStreamRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let iterator =
        shardIterators.get(shard.ShardId!) ??
        (await streams.call('GetShardIterator', { StreamArn: table.streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator;
      for (let page = 0; iterator && page < 50; page++) {
        const out = await streams.call('GetRecords', { ShardIterator: iterator });
        for (const record of out.Records ?? []) records.push(toLambdaRecord(record, { region: LOCAL_REGION, streamArn: table.streamArn, ttlDeletion: false }));
        iterator = out.NextShardIterator;
        if (!out.Records?.length) break;
      }
      if (iterator) shardIterators.set(shard.ShardId!, iterator);
    }
    return records.filter((record) => matchesFilterCriteria(filters.kind === 'dynamodb-stream' ? filters.filters : [], record));
  } finally {
    streams.close();
  }
}

async function hold(slot: SlotItem, bookingId: string, userId: string, holdExpiresAt: string): Promise<BookingRecord> {
  await doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: { PK: slot.PK, SK: slot.SK },
      UpdateExpression: 'SET #s = :held, holdExpiresAt = :exp, bookingId = :bid, heldBy = :by, version = version + :one',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':held': 'HELD', ':exp': holdExpiresAt, ':bid': bookingId, ':by': userId, ':one': 1 },
    }),
  );
  const now = epochMsToIso(Date.now());
  const booking: BookingRecord = {
    id: bookingId,
    slotId: slot.slotId,
    providerId: slot.providerId,
    userId,
    status: 'PENDING',
    startTime: slot.startTime,
    endTime: slot.endTime,
    holdExpiresAt,
    createdAt: now,
    updatedAt: now,
  };
  // The hold marker, as the hold transaction writes it: booking-processor writes PENDING only beside one.
  await putItem(doc, table.tableName, { ...holdMarkerOf(booking) });
  await bookings({ Records: [sqsRecord('BookingRequested', JSON.stringify(booking))] }, lambdaContext);
  return booking;
}

async function slotsOf(providerId: string): Promise<SlotItem[]> {
  const out = await doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :s)',
      ExpressionAttributeValues: { ':pk': `PROVIDER#${providerId}`, ':s': 'SLOT#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []) as SlotItem[];
}

async function setStatus(key: { PK: string; SK: string }, status: string, extra: string, values: Record<string, unknown> = {}): Promise<void> {
  await doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: key,
      UpdateExpression: `SET #s = :s${extra}`,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status, ...values },
    }),
  );
}

describe('change-publisher', () => {
  const owner = 'owner-1';
  const providerId = newUlid();
  const day = epochMsToIso(Date.now() + 20 * 86400000).slice(0, 10);
  let slots: SlotItem[] = [];

  it('publishes generated slots, signed, selecting every field of SlotChange', async () => {
    const provider: ProviderItem = { ...providerKey(providerId), entity: 'PROVIDER', id: providerId, name: 'P', timeZone: 'Europe/Madrid', ownerId: owner, createdAt: '', updatedAt: '', GSI1PK: 'PROVIDERS', GSI1SK: `P#${providerId}` };
    const allDays = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
    const input = { providerId, daysOfWeek: allDays, startTime: '10:00', endTime: '11:30', slotDurationMinutes: 30, validFrom: day, validTo: day };
    await generate({ input, identity: { sub: owner, groups: [] }, provider });
    slots = await slotsOf(providerId);
    expect(slots).toHaveLength(3);

    const result = await publish({ Records: await newStreamRecords() }, lambdaContext);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(appsync.rejected).toBe(0);
    expect(appsync.mutations.map((m) => m.input)).toEqual(
      slots.map((slot) => ({ providerId, date: day, slotId: slot.slotId, startTime: slot.startTime, status: 'AVAILABLE', previousStatus: null, reason: 'GENERATED', at: expect.any(String) })),
    );
    for (const m of appsync.mutations) expect([...m.selected].sort()).toEqual([...m.available].sort());
  });

  it('publishes holds, expiries, cancellations and deletions with their reasons, and booking changes', async () => {
    appsync.mutations.length = 0;
    const [first, second, third] = slots;
    // Slot 0: held, then its hold expires (the deadline). Slot 1: held, then cancelled. Slot 2: deleted.
    const expiring = await hold(first, newUlid(), 'user-a', epochMsToIso(Date.now() - 1000));
    await bookings({ Records: [sqsRecord('HoldDeadline', JSON.stringify(expiring))] }, lambdaContext);
    const cancelled = await hold(second, newUlid(), 'user-b', epochMsToIso(Date.now() + 300_000));
    const cancelAt = epochMsToIso(Date.now());
    await setStatus({ PK: second.PK, SK: second.SK }, 'AVAILABLE', ', version = version + :one REMOVE holdExpiresAt, bookingId, heldBy', { ':one': 1 });
    await setStatus(bookingKey(cancelled.id), 'CANCELLED', ', cancelledAt = :now, updatedAt = :now', { ':now': cancelAt });
    await doc.send(new DeleteCommand({ TableName: table.tableName, Key: slotKey(providerId, third.startTime) }));

    const result = await publish({ Records: await newStreamRecords() }, lambdaContext);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(appsync.rejected).toBe(0);
    for (const m of appsync.mutations) expect([...m.selected].sort()).toEqual([...m.available].sort());

    const slotEvents = appsync.mutations.filter((m) => m.field === 'publishSlotChange').map((m) => m.input);
    const bookingEvents = appsync.mutations.filter((m) => m.field === 'publishBookingChange').map((m) => m.input);
    expect(slotEvents.map((e) => [e.slotId, e.previousStatus, e.status, e.reason])).toEqual([
      [first.slotId, 'AVAILABLE', 'HELD', 'HELD'],
      [first.slotId, 'HELD', 'AVAILABLE', 'EXPIRED'],
      [second.slotId, 'AVAILABLE', 'HELD', 'HELD'],
      [second.slotId, 'HELD', 'AVAILABLE', 'CANCELLED'],
      [third.slotId, 'AVAILABLE', 'AVAILABLE', 'DELETED'],
    ]);
    expect(slotEvents[1]).toMatchObject({ providerId, date: day, startTime: first.startTime });
    expect(bookingEvents.map((e) => [e.bookingId, e.previousStatus, e.status])).toEqual([
      [expiring.id, null, 'PENDING'],
      [expiring.id, 'PENDING', 'EXPIRED'],
      [cancelled.id, null, 'PENDING'],
      [cancelled.id, 'PENDING', 'CANCELLED'],
    ]);
    expect(bookingEvents[3]).toEqual({ bookingId: cancelled.id, userId: 'user-b', providerId, slotId: second.slotId, status: 'CANCELLED', previousStatus: 'PENDING', at: cancelAt });
  });

  it('reports a rejected publish and holds back the rest of the batch, in order', async () => {
    appsync.mutations.length = 0;
    const [first] = slots;
    await setStatus({ PK: first.PK, SK: first.SK }, 'BOOKED', ', version = version + :one', { ':one': 1 });
    await setStatus({ PK: first.PK, SK: first.SK }, 'AVAILABLE', ', version = version + :one', { ':one': 1 });
    const records = await newStreamRecords();
    expect(records).toHaveLength(2);
    // The endpoint now expects another key pair: our signature no longer verifies.
    appsync.credentials = { accessKeyId: 'other', secretAccessKey: 'other-secret' };
    try {
      const result = await publish({ Records: records }, lambdaContext);
      expect(result.batchItemFailures).toEqual(records.map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })));
      expect(appsync.rejected).toBe(1);
      expect(appsync.mutations).toEqual([]);
    } finally {
      appsync.credentials = { ...LOCAL_CREDENTIALS };
    }
    // Lambda's retry of the batch succeeds once the signature verifies again.
    expect(await publish({ Records: records }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(appsync.mutations.map((m) => [m.input.previousStatus, m.input.status, m.input.reason])).toEqual([
      ['AVAILABLE', 'BOOKED', 'BOOKED'],
      ['BOOKED', 'AVAILABLE', 'CANCELLED'],
    ]);
  });

  it("gives a slot's release the reason of its booking's record in the batch, even one that follows it", async () => {
    const [first, second] = slots;
    // Slot 0: its hold is still running, yet the booking expired. Slot 1: its hold has passed, yet the booking was cancelled.
    const expired = await hold(first, newUlid(), 'user-c', epochMsToIso(Date.now() + 300_000));
    const cancelled = await hold(second, newUlid(), 'user-d', epochMsToIso(Date.now() - 60_000));
    await publish({ Records: await newStreamRecords() }, lambdaContext);
    appsync.mutations.length = 0;
    appsync.rejected = 0;
    // Each slot is given back without a release stamp, before its booking's record says why.
    const release = ', version = version + :one REMOVE holdExpiresAt, bookingId, heldBy, releasedBookingId, releaseReason';
    const now = { ':now': epochMsToIso(Date.now()) };
    await setStatus({ PK: first.PK, SK: first.SK }, 'AVAILABLE', release, { ':one': 1 });
    await setStatus(bookingKey(expired.id), 'EXPIRED', ', updatedAt = :now', now);
    await setStatus({ PK: second.PK, SK: second.SK }, 'AVAILABLE', release, { ':one': 1 });
    await setStatus(bookingKey(cancelled.id), 'CANCELLED', ', cancelledAt = :now, updatedAt = :now', now);

    const records = await newStreamRecords();
    expect(records.map((r) => r.dynamodb.Keys?.PK?.S)).toEqual([first.PK, bookingKey(expired.id).PK, second.PK, bookingKey(cancelled.id).PK]);
    expect(records.map((r) => r.dynamodb.NewImage?.releasedBookingId)).toEqual([undefined, undefined, undefined, undefined]);
    expect(await publish({ Records: records }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(appsync.rejected).toBe(0);
    expect(appsync.mutations.map((m) => [m.field, m.input.bookingId ?? m.input.slotId, m.input.previousStatus, m.input.status, m.input.reason])).toEqual([
      ['publishSlotChange', first.slotId, 'HELD', 'AVAILABLE', 'EXPIRED'],
      ['publishBookingChange', expired.id, 'PENDING', 'EXPIRED', undefined],
      ['publishSlotChange', second.slotId, 'HELD', 'AVAILABLE', 'CANCELLED'],
      ['publishBookingChange', cancelled.id, 'PENDING', 'CANCELLED', undefined],
    ]);
  });
});
