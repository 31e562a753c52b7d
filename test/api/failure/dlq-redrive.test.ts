// docs/RUNBOOK.md's DLQ steps on the real local stack: booking-processor "deployed" with a bug
// (test/fixtures/api/booking-processor-broken.ts) fails a booking's BookingRequested until it
// reaches the bookings DLQ; the booking still reads PENDING from its hold marker. Once "fixed", a
// message move task started from the DLQ's ARN (as outputs.json names it) puts the message back
// on the bookings queue, and booking-processor writes the PENDING booking.
import { ListMessageMoveTasksCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CreateBookingDocument, GetBookingDocument, MyBookingsDocument } from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { BROKEN_SWITCH } from '../../fixtures/api/booking-processor-broken.ts';
import { drained, queueDepth, sqsClient } from '../../fixtures/api/queues.ts';
import { createSchedule, ok, userAuth, waitFor } from '../../fixtures/api/schedule.ts';
import { storedHold } from '../../fixtures/api/table.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

let server: TestServer;

beforeAll(async () => {
  // Holds outlast the test: its HoldDeadline stays delayed, so only the BookingRequested fails.
  server = await startTestServer({ env: { HOLD_SECONDS: '600' }, functionEntries: { 'booking-processor': 'test/fixtures/api/booking-processor-broken.ts' } });
});

afterAll(async () => {
  await server?.close();
});

it('a message dead-lettered by a bug is processed after the fix once a move task redrives the DLQ', { timeout: 60_000 }, async () => {
  const doc = DynamoDBDocumentClient.from(localDynamoDb(server.dynamodbEndpoint));
  await doc.send(new PutCommand({ TableName: server.tableName, Item: BROKEN_SWITCH }));
  const schedule = await createSchedule(server, 1);
  const ada = await userAuth(server, 'ada');
  const { createBooking: booking } = await ok(server, ada, CreateBookingDocument, { input: { slotId: schedule.slotIds[0] } });
  const sqs = sqsClient(server);
  const { bookingsQueueUrl, bookingsDlqUrl, bookingsDlqArn } = server.outputs;

  await waitFor('the BookingRequested in the DLQ', async () => ((await queueDepth(sqs, bookingsDlqUrl)).visible === 1 ? true : undefined));
  expect((await storedHold(server, booking)).booking).toBeUndefined();
  expect((await ok(server, ada, GetBookingDocument, { id: booking.id })).getBooking).toMatchObject({ id: booking.id, status: 'PENDING' });
  // myBookings reads the user's index, which only the written booking is in (docs/RUNBOOK.md says so).
  expect((await ok(server, ada, MyBookingsDocument, {})).myBookings.items).toEqual([]);

  await doc.send(new DeleteCommand({ TableName: server.tableName, Key: BROKEN_SWITCH }));
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: bookingsDlqArn }));
  expect(TaskHandle).toEqual(expect.any(String));
  const task = await waitFor('the move task to complete', async () => {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: bookingsDlqArn }));
    return Results[0]?.Status === 'COMPLETED' ? Results[0] : undefined;
  });
  expect(task).toMatchObject({ SourceArn: bookingsDlqArn, ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 1 });
  expect(task.DestinationArn).toBeUndefined();

  const stored = await waitFor('the PENDING booking written', async () => (await storedHold(server, booking)).booking);
  expect(stored).toMatchObject({ id: booking.id, status: 'PENDING', slotId: booking.slotId });
  await waitFor('the booking in myBookings', async () => ((await ok(server, ada, MyBookingsDocument, {})).myBookings.items.some((b) => b.id === booking.id) ? true : undefined));
  expect(await drained(sqs, bookingsDlqUrl)).toBe(true);
  // The HoldDeadline still waits on the bookings queue, delayed by the hold (the BookingRequested is
  // deleted once the invocation that wrote the booking has returned).
  await waitFor('the BookingRequested deleted', async () => ((await queueDepth(sqs, bookingsQueueUrl)).inFlight === 0 ? true : undefined));
  expect(await queueDepth(sqs, bookingsQueueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
});
