// DESIGN §7.5 under faults: booking-processor fails the first two deliveries of every message
// (test/fixtures/api/booking-processor-flaky.ts), and one booking's own HoldDeadline is a poison
// message (test/fixtures/api/enqueue-poisoned-deadline.ts: its JSON cut short). Nothing is lost:
// every booking gets its record and ends confirmed or expired as it should, a late
// BookingRequested never overwrites the confirmation, the poison message lands in the DLQ after
// maxReceiveCount (3) receives, the poisoned booking's hold still expires and releases (the TTL +
// stream backstop: its deadline can never be processed), and the invariants hold afterwards.
//
// Speed: the wiring gives the bookings queue a 60 s visibility timeout, so each failed delivery
// would wait a minute before SQS hands the message over again (3 minutes to the DLQ). The fixture
// sets a failed message's visibility to 1 s through ChangeMessageVisibility on its receipt handle;
// receive counting and the redrive to the DLQ remain the queue's own.
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmBookingDocument, CreateBookingDocument, GetBookingDocument } from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { queues } from '../../../infra/wiring.ts';
import { POISONED_DEADLINE_NOTE } from '../../fixtures/api/enqueue-poisoned-deadline.ts';
import { drained, queueDepth, queueUrlByName, sqsClient } from '../../fixtures/api/queues.ts';
import { createSchedule, expiredBooking, ok, userAuth, waitFor, type Schedule } from '../../fixtures/api/schedule.ts';
import { storedHold } from '../../fixtures/api/table.ts';
import { settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

let server: TestServer;
let schedule: Schedule;

beforeAll(async () => {
  server = await startTestServer({
    env: { HOLD_SECONDS: '3', MAX_ACTIVE_HOLDS: '3' },
    functionEntries: {
      'booking-processor': 'test/fixtures/api/booking-processor-flaky.ts',
      'enqueue-booking': 'test/fixtures/api/enqueue-poisoned-deadline.ts',
    },
  });
  schedule = await createSchedule(server, 2);
});

afterAll(async () => {
  await server?.close();
});

async function deliveryCounts(): Promise<Array<{ messageId: string; messageType: string; deliveries: number }>> {
  const doc = DynamoDBDocumentClient.from(localDynamoDb(server.dynamodbEndpoint));
  const { Items = [] } = await doc.send(
    new ScanCommand({ TableName: server.tableName, ConsistentRead: true, FilterExpression: '#sk = :sk', ExpressionAttributeNames: { '#sk': 'SK' }, ExpressionAttributeValues: { ':sk': 'DELIVERIES' } }),
  );
  return Items.map((i) => ({ messageId: String(i.PK).slice('FAULT#'.length), messageType: String(i.messageType), deliveries: Number(i.deliveries) }));
}

describe("booking-processor failing its first deliveries, with one booking's deadline a poison message", () => {
  it('loses no booking, dead-letters only the poison message, still expires its hold, and keeps the invariants', { timeout: 60_000 }, async () => {
    const sqs = sqsClient(server);
    const bookingsUrl = server.queueUrl('bookings');
    const dlqUrl = await queueUrlByName(sqs, 'bookings-dlq');

    const frank = await userAuth(server, 'frank');
    const gina = await userAuth(server, 'gina');
    const { createBooking: lapsing } = await ok(server, frank, CreateBookingDocument, {
      input: { slotId: schedule.slotIds[0], notes: POISONED_DEADLINE_NOTE },
    });
    const { createBooking: kept } = await ok(server, gina, CreateBookingDocument, { input: { slotId: schedule.slotIds[1] } });
    // Confirmed while booking-processor is still failing to write the PENDING record.
    const { confirmBooking } = await ok(server, gina, ConfirmBookingDocument, { id: kept.id });
    expect(confirmBooking.status).toBe('CONFIRMED');

    await waitFor('the poison message in the DLQ', async () => ((await queueDepth(sqs, dlqUrl)).visible === 1 ? true : undefined), 45_000);
    await waitFor('the bookings queue to drain', () => drained(sqs, bookingsUrl), 45_000);

    // The poison message, frank's own deadline, and only it, was dead-lettered after maxReceiveCount deliveries.
    const dead = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    expect(dead.Messages).toHaveLength(1);
    const [poison] = dead.Messages!;
    expect(poison.MessageAttributes?.type?.StringValue).toBe('HoldDeadline');
    expect(poison.Body).toContain(`"id":"${lapsing.id}"`);
    expect(() => JSON.parse(poison.Body ?? '')).toThrow();
    const counts = await deliveryCounts();
    console.info(`deliveries per message: ${JSON.stringify(counts.map((c) => `${c.messageType} ${c.deliveries}`))}`);
    expect(counts.find((c) => c.messageId === poison.MessageId)?.deliveries).toBe(queues.bookings.maxReceiveCount);
    // Two BookingRequested messages and gina's HoldDeadline, each failed twice and then processed.
    const bookingMessages = counts.filter((c) => c.messageId !== poison.MessageId);
    expect(bookingMessages.map((c) => c.messageType).sort()).toEqual(['BookingRequested', 'BookingRequested', 'HoldDeadline']);
    for (const c of bookingMessages) expect(c.deliveries).toBeGreaterThanOrEqual(3);
    sqs.destroy();

    // The unconfirmed hold whose deadline was dead-lettered expired all the same (the TTL backstop)
    // and gave everything back; the late BookingRequested did not bring back a PENDING record.
    const expired = await expiredBooking(server, frank, lapsing.id, 30_000);
    expect(expired.notes).toBe(POISONED_DEADLINE_NOTE);
    const lapsed = await storedHold(server, lapsing);
    expect(lapsed.slot).toMatchObject({ status: 'AVAILABLE', releasedBookingId: lapsing.id, releaseReason: 'EXPIRED' });
    expect(lapsed.marker).toBeUndefined();
    expect(lapsed.booking).toMatchObject({ status: 'EXPIRED', holdCountReleased: true });
    expect(lapsed.counter).toBe(0);

    // The confirmed booking stayed confirmed: the late BookingRequested did not overwrite it.
    const { getBooking: confirmed } = await ok(server, gina, GetBookingDocument, { id: kept.id });
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', confirmedAt: confirmBooking.confirmedAt });
    const booked = await storedHold(server, kept);
    expect(booked.slot).toMatchObject({ status: 'BOOKED', bookingId: kept.id });
    expect(booked.counter).toBe(0);

    const violations = await settledInvariants(localDynamoDb(server.dynamodbEndpoint), server.tableName, { acceptedBookingIds: [lapsing.id, kept.id] });
    expect(violations).toEqual([]);
  });
});
