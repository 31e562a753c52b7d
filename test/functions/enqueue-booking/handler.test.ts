// enqueue-booking against the local SQS (the SQS JSON protocol, unchanged @aws-sdk/client-sqs),
// then booking-processor consuming what it sent.
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
  type SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { startLocalSqs, type LocalSqs } from '../../../local/sqs/index.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/dynamodb/client.ts';
import { freshTable } from '../../support/dynamodb.ts';
import { documentClient, getItem, lambdaContext, placeHold, stubFunctionEnv } from '../support.ts';
import { bookingKey, type BookingItem } from '../../../functions/shared/model.ts';
import type { EnqueueBookingEvent, EnqueueBookingResult } from '../../../functions/enqueue-booking/handler.ts';

let sqs: LocalSqs;
let client: SQSClient;
let queueUrl: string;
let table: Awaited<ReturnType<typeof freshTable>>;
let enqueue: (event: EnqueueBookingEvent) => Promise<EnqueueBookingResult>;
let processBookings: typeof import('../../../functions/booking-processor/handler.ts').handler;

beforeAll(async () => {
  sqs = await startLocalSqs();
  client = new SQSClient({ endpoint: sqs.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  queueUrl = (await client.send(new CreateQueueCommand({ QueueName: 'bookings' }))).QueueUrl!;
  table = await freshTable('enq');
  stubFunctionEnv({ TABLE_NAME: table.tableName, BOOKING_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: sqs.endpoint });
  ({ handler: enqueue } = await import('../../../functions/enqueue-booking/handler.ts'));
  ({ handler: processBookings } = await import('../../../functions/booking-processor/handler.ts'));
});
afterAll(async () => {
  client?.destroy();
  await sqs?.stop();
  await table?.drop();
});

async function counts() {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }),
  );
  return { visible: Number(Attributes?.ApproximateNumberOfMessages), delayed: Number(Attributes?.ApproximateNumberOfMessagesDelayed) };
}

async function receive(waitSeconds: number): Promise<Message[]> {
  const { Messages } = await client.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
  );
  return Messages ?? [];
}

/** The SQS event source's translation of a received message. */
function asRecord(message: Message): SQSRecord {
  const attributes = Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, { stringValue: v.StringValue, dataType: v.DataType!, stringListValues: [], binaryListValues: [] }]));
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body!,
    attributes: message.Attributes as unknown as SQSRecord['attributes'],
    messageAttributes: attributes,
    md5OfBody: message.MD5OfBody!,
    eventSource: 'aws:sqs',
    eventSourceARN: sqs.queueArn('bookings'),
    awsRegion: LOCAL_REGION,
  };
}

describe('enqueue-booking', () => {
  it('sends BookingRequested now and HoldDeadline delayed by the hold, which booking-processor then handles', async () => {
    const doc = documentClient();
    const held = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 1000 });
    const result = await enqueue({ booking: held.booking, holdSeconds: 1 });
    expect(result.queued).toBe(true);
    expect(result.messageIds).toHaveLength(2);
    expect(await counts()).toEqual({ visible: 1, delayed: 1 });

    const [requested] = await receive(0);
    expect(requested.MessageId).toBe(result.messageIds[0]);
    expect(requested.MessageAttributes?.type).toEqual({ DataType: 'String', StringValue: 'BookingRequested' });
    expect(JSON.parse(requested.Body!)).toEqual({ ...held.booking, notes: 'window seat', idempotencyKey: null });
    expect(await processBookings({ Records: [asRecord(requested)] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect((await getItem<BookingItem>(doc, table.tableName, bookingKey(held.booking.id)))?.status).toBe('PENDING');

    // The deadline becomes receivable once its delay has passed (bounded long polls, no timing asserts).
    let deadline: Message | undefined;
    for (let poll = 0; poll < 10 && !deadline; poll++) [deadline] = await receive(1);
    expect(deadline?.MessageId).toBe(result.messageIds[1]);
    expect(deadline?.MessageAttributes?.type?.StringValue).toBe('HoldDeadline');
    expect(await processBookings({ Records: [asRecord(deadline!)] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect((await getItem<BookingItem>(doc, table.tableName, bookingKey(held.booking.id)))?.status).toBe('EXPIRED');
  });

  it('refuses a malformed booking or hold length and sends nothing', async () => {
    const doc = documentClient();
    const { booking } = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 60_000 });
    const before = await counts();
    await expect(enqueue({ booking: { ...booking, id: 'x' }, holdSeconds: 300 })).rejects.toThrow('ValidationError: booking.id must be a ULID');
    await expect(enqueue({ booking: { ...booking, notes: 'n'.repeat(501) }, holdSeconds: 300 })).rejects.toThrow('ValidationError: booking.notes');
    await expect(enqueue({ booking, holdSeconds: 0 })).rejects.toThrow('ValidationError: holdSeconds');
    expect(await counts()).toEqual(before);
  });

  it('sends the deadline first: when the second send fails, only the HoldDeadline is queued', async () => {
    const doc = documentClient();
    const { booking } = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 1000 });
    const realSend = SQSClient.prototype.send as (this: SQSClient, ...args: unknown[]) => Promise<unknown>;
    const send = vi
      .spyOn(SQSClient.prototype, 'send')
      .mockImplementationOnce(function (this: SQSClient, ...args: unknown[]) {
        return realSend.apply(this, args);
      } as never)
      .mockRejectedValueOnce(new Error('connection reset'));
    onTestFinished(() => send.mockRestore());
    await expect(enqueue({ booking, holdSeconds: 1 })).rejects.toThrow('connection reset');

    // The first message of this booking to become receivable (bounded long polls) is its deadline, and no other follows.
    const ofBooking = (messages: Message[]) => messages.filter((m) => (JSON.parse(m.Body!) as { id: string }).id === booking.id);
    let queued: Message[] = [];
    for (let poll = 0; poll < 10 && queued.length === 0; poll++) queued = ofBooking(await receive(1));
    queued.push(...ofBooking(await receive(0)));
    expect(queued.map((m) => m.MessageAttributes?.type?.StringValue)).toEqual(['HoldDeadline']);
  });

  it('delays the deadline by the hold length, capped at the 900 s SQS allows', async () => {
    const doc = documentClient();
    const { booking } = await placeHold(doc, table.tableName, { holdExpiresAtMs: Date.now() + 60_000 });
    const send = vi.spyOn(SQSClient.prototype, 'send').mockResolvedValue({ MessageId: 'stub', $metadata: {} } as never);
    onTestFinished(() => send.mockRestore());
    await enqueue({ booking, holdSeconds: 300 });
    await enqueue({ booking, holdSeconds: 1000 });
    const inputs = send.mock.calls.map(([command]) => (command as SendMessageCommand).input);
    expect(inputs.map((input) => [input.MessageAttributes?.type?.StringValue, input.DelaySeconds])).toEqual([
      ['HoldDeadline', 300],
      ['BookingRequested', undefined],
      ['HoldDeadline', 900],
      ['BookingRequested', undefined],
    ]);
  });
});
