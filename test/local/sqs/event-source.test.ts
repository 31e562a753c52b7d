// The SQS → Lambda event source mapping against the local SQS: event shape, deletes on success,
// partial batch failures, failing handlers ending in the DLQ, batching window and draining stop.
// Every case runs both ways the event source reaches a queue: in process (the local server's way)
// and over HTTP with the SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { startSqsEventSource, type SqsEventSourceOptions } from '../../../local/sqs/event-source.ts';
import { counts, createQueue, eventually, queueName, startSqsFixture, type SqsFixture } from './fixture.ts';

let f: SqsFixture;
beforeAll(async () => {
  f = await startSqsFixture();
});
afterAll(async () => {
  await f.stop();
});

type Transport = 'in process' | 'over HTTP';
const reach = (transport: Transport): SqsEventSourceOptions['sqs'] => (transport === 'in process' ? { local: f.sqs } : { endpoint: f.sqs.endpoint });
let transport: Transport = 'in process';

function source(queueUrl: string, invoke: SqsEventSourceOptions['invoke'], overrides: Partial<SqsEventSourceOptions> = {}) {
  const errors: unknown[] = [];
  const mapping = startSqsEventSource({
    sqs: reach(transport),
    queueUrl,
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
    functionName: 'booking-processor',
    invoke,
    region: 'us-east-1',
    onError: (error) => errors.push(error),
    ...overrides,
  });
  return { mapping, errors };
}

const empty = async (QueueUrl: string) => {
  const c = await counts(f.client, QueueUrl);
  return c.visible + c.notVisible + c.delayed === 0 ? true : undefined;
};

describe.each<Transport>(['in process', 'over HTTP'])('SQS event source, %s', (way) => {
  beforeAll(() => {
    transport = way;
  });

  it('invokes with Lambda-shaped records and deletes the batch on success', async () => {
    const name = queueName('esm');
    const { QueueUrl } = await f.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '1' } }));
    const url = QueueUrl as string;
    const sent = await f.client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"bookingId":"b-1"}',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'BookingRequested' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      })
    );
    const events: SQSEvent[] = [];
    const { mapping, errors } = source(url, async (event) => {
      events.push(event);
    });
    await eventually(async () => (events.length > 0 ? true : undefined), 'the first invocation');
    await eventually(() => empty(url), 'the batch to be deleted');
    await mapping.stop();
    expect(errors).toEqual([]);
    expect(events).toHaveLength(1);
    const [record] = events[0].Records;
    expect(record).toMatchObject({
      messageId: sent.MessageId,
      body: '{"bookingId":"b-1"}',
      md5OfBody: sent.MD5OfMessageBody,
      md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      eventSource: 'aws:sqs',
      eventSourceARN: f.sqs.queueArn(name),
      awsRegion: 'us-east-1',
      messageAttributes: {
        kind: { stringValue: 'BookingRequested', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
    });
    expect(record.receiptHandle).toEqual(expect.any(String));
    expect(Object.keys(record.attributes).sort()).toEqual([
      'ApproximateFirstReceiveTimestamp',
      'ApproximateReceiveCount',
      'SenderId',
      'SentTimestamp',
    ]);
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    // Deleted, so never delivered again: nothing reappears after the 1 s visibility timeout.
    const later = await f.client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2 }));
    expect(later.Messages).toBeUndefined();
  });

  it('carries md5OfMessageAttributes null for a message without attributes, as Lambda does', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'plain' }));
    const events: SQSEvent[] = [];
    const { mapping } = source(QueueUrl, async (event) => {
      events.push(event);
    });
    await eventually(() => empty(QueueUrl), 'the message to be consumed');
    await mapping.stop();
    expect(events[0].Records[0].messageAttributes).toEqual({});
    expect(events[0].Records[0].md5OfMessageAttributes).toBeNull();
  });

  /** Sends the bodies in order, ten to a SendMessageBatch (SQS's most). */
  async function sendAll(QueueUrl: string, bodies: string[]): Promise<void> {
    for (let start = 0; start < bodies.length; start += 10) {
      const Entries = bodies.slice(start, start + 10).map((MessageBody, i) => ({ Id: `m${i}`, MessageBody }));
      await f.client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    }
  }

  /** A queue holding two messages, 'ok' and 'flaky', with the given visibility timeout. */
  async function okAndFlaky(VisibilityTimeout: string): Promise<string> {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout });
    const Entries = ['ok', 'flaky'].map((body) => ({ Id: body, MessageBody: body }));
    await f.client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    return QueueUrl;
  }

  it('retries only the items a partial batch response reports as failed', async () => {
    const QueueUrl = await okAndFlaky('1');
    const deliveries: string[] = [];
    let flakyFailures = 0;
    const { mapping, errors } = source(QueueUrl, async (event): Promise<SQSBatchResponse> => {
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        deliveries.push(record.body);
        if (record.body === 'flaky' && flakyFailures === 0) {
          flakyFailures += 1;
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures };
    });
    await eventually(
      async () => (deliveries.filter((body) => body === 'flaky').length === 2 ? true : undefined),
      'the retry of the failed item'
    );
    await eventually(() => empty(QueueUrl), 'both messages to be deleted');
    await mapping.stop();
    expect(errors).toEqual([]);
    expect(deliveries.filter((body) => body === 'ok')).toHaveLength(1);
    expect(deliveries.filter((body) => body === 'flaky')).toHaveLength(2);
  });

  it('ignores a batch response without reportBatchItemFailures: success deletes the whole batch', async () => {
    const QueueUrl = await okAndFlaky('600');
    const deliveries: string[] = [];
    const { mapping, errors } = source(
      QueueUrl,
      async (event): Promise<SQSBatchResponse> => {
        deliveries.push(...event.Records.map((record) => record.body));
        return { batchItemFailures: event.Records.filter((r) => r.body === 'flaky').map((r) => ({ itemIdentifier: r.messageId })) };
      },
      { reportBatchItemFailures: false }
    );
    await eventually(() => empty(QueueUrl), 'both messages to be deleted', 5_000);
    await mapping.stop();
    expect(errors).toEqual([]);
    expect(deliveries.sort()).toEqual(['flaky', 'ok']);
  });

  it('retries the whole batch when the partial batch response is invalid', async () => {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout: '1' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'twice' }));
    let calls = 0;
    const { mapping, errors } = source(QueueUrl, async () => {
      calls += 1;
      return calls === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : { batchItemFailures: [] };
    });
    await eventually(async () => (calls >= 2 ? true : undefined), 'the batch to be retried');
    await eventually(() => empty(QueueUrl), 'the message to be deleted after the retry');
    await mapping.stop();
    expect(calls).toBe(2);
    expect(String(errors[0])).toMatch(/invalid batch response/);
  });

  it('leaves a failing batch to the visibility timeout and ends it in the DLQ after maxReceiveCount', async () => {
    const dlqName = queueName('dlq');
    const { QueueUrl: dlqUrl } = await f.client.send(new CreateQueueCommand({ QueueName: dlqName }));
    const QueueUrl = await createQueue(f.client, {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: f.sqs.queueArn(dlqName), maxReceiveCount: 2 }),
    });
    const sent = await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'always fails' }));
    const receiveCounts: string[] = [];
    const { mapping, errors } = source(QueueUrl, async (event) => {
      receiveCounts.push(...event.Records.map((record) => record.attributes.ApproximateReceiveCount));
      throw new Error('handler failure');
    });
    await eventually(
      async () => ((await counts(f.client, dlqUrl as string)).visible === 1 ? true : undefined),
      'the message in the DLQ',
      20_000
    );
    await mapping.stop();
    expect(receiveCounts).toEqual(['1', '2']);
    expect(errors.map(String)).toEqual(['Error: handler failure', 'Error: handler failure']);
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    const dlqEvents: SQSEvent[] = [];
    const drain = source(dlqUrl as string, async (event) => {
      dlqEvents.push(event);
    });
    await eventually(async () => (dlqEvents.length > 0 ? true : undefined), 'the DLQ message');
    await drain.mapping.stop();
    expect(dlqEvents[0].Records[0]).toMatchObject({
      messageId: sent.MessageId,
      body: 'always fails',
      eventSourceARN: f.sqs.queueArn(dlqName),
    });
  }, 30_000);

  it('gathers more than 10 messages into one batch within the batching window', async () => {
    const QueueUrl = await createQueue(f.client);
    await sendAll(QueueUrl, Array.from({ length: 15 }, (_, i) => `message ${i}`));
    const sizes: number[] = [];
    const { mapping } = source(
      QueueUrl,
      async (event) => {
        sizes.push(event.Records.length);
      },
      { batchSize: 20, maxBatchingWindowSeconds: 1 }
    );
    await eventually(() => empty(QueueUrl), 'all messages to be consumed');
    await mapping.stop();
    expect(sizes).toEqual([15]);
  });

  it('fills a batch within the window up to batchSize and no further', async () => {
    const QueueUrl = await createQueue(f.client);
    await sendAll(QueueUrl, Array.from({ length: 30 }, (_, i) => `message ${i}`));
    const batches: string[][] = [];
    const { mapping } = source(
      QueueUrl,
      async (event) => {
        batches.push(event.Records.map((record) => record.body));
      },
      { batchSize: 15, maxBatchingWindowSeconds: 1 }
    );
    await eventually(() => empty(QueueUrl), 'all messages to be consumed');
    await mapping.stop();
    // The receive after the first 10 asks for the 5 the batch lacks, not for another 10.
    expect(batches.map((batch) => batch.length)).toEqual([15, 15]);
    expect(new Set(batches.flat()).size).toBe(30);
  });

  it('splits a batch so that no invocation payload exceeds 6 MiB', async () => {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout: '600' });
    // Seven 1 MiB messages (SQS's largest) in one batch of 10: more than one invocation may carry.
    for (let i = 0; i < 7; i += 1) {
      await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: String(i).repeat(1_048_576) }));
    }
    const payloads: number[] = [];
    const bodies: string[] = [];
    const { mapping, errors } = source(QueueUrl, async (event) => {
      payloads.push(Buffer.byteLength(JSON.stringify(event)));
      bodies.push(...event.Records.map((record) => record.body[0]));
    });
    await eventually(() => empty(QueueUrl), 'all messages to be consumed');
    await mapping.stop();
    expect(errors).toEqual([]);
    for (const bytes of payloads) expect(bytes).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(payloads.length).toBeGreaterThan(1);
    expect(bodies.sort()).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('measures the 6 MiB limit on the Lambda event, whose records are larger than the received messages', async () => {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout: '600' });
    // 2,500 messages of 2 KB: about 6.1 MB as received messages, about 6.5 MB as event records.
    const count = 2_500;
    await sendAll(QueueUrl, Array.from({ length: count }, (_, i) => `${i} `.padEnd(2_000, 'x')));
    const payloads: number[] = [];
    const bodies = new Set<string>();
    const { mapping, errors } = source(
      QueueUrl,
      async (event) => {
        payloads.push(Buffer.byteLength(JSON.stringify(event)));
        for (const record of event.Records) bodies.add(record.body);
      },
      // The batch fills up to exactly the messages sent; the window only bounds the wait.
      { batchSize: count, maxBatchingWindowSeconds: 20 }
    );
    await eventually(() => empty(QueueUrl), 'all messages to be consumed', 25_000);
    await mapping.stop();
    expect(errors).toEqual([]);
    for (const bytes of payloads) expect(bytes).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(bodies.size).toBe(count);
  }, 30_000);

  it('drains the batch in flight on stop, then polls no more', async () => {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout: '600' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'in flight at stop' }));
    let release: () => void = () => undefined;
    const handlerRunning = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let finished = false;
    const { mapping } = source(QueueUrl, async () => {
      entered();
      await handlerRunning;
      finished = true;
    });
    await started;
    let stopped = false;
    const stopping = mapping.stop().then(() => {
      stopped = true;
    });
    // stop() must wait for the handler: give it every chance to resolve early.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    // Deleted by the drained batch: nothing left, not even in flight.
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'after stop' }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
  });

  it('refuses Lambda-invalid configurations', () => {
    const options = {
      sqs: reach(way),
      queueUrl: f.sqs.queueUrl('any'),
      reportBatchItemFailures: true,
      functionName: 'booking-processor',
      invoke: async () => undefined,
      region: 'us-east-1',
    };
    expect(() => startSqsEventSource({ ...options, batchSize: 11, maxBatchingWindowSeconds: 0 })).toThrow(/batchSize above 10/);
    expect(() => startSqsEventSource({ ...options, batchSize: 0, maxBatchingWindowSeconds: 0 })).toThrow(/batchSize/);
    expect(() => startSqsEventSource({ ...options, batchSize: 10, maxBatchingWindowSeconds: 301 })).toThrow(/maxBatchingWindowSeconds/);
    expect(() => startSqsEventSource({ ...options, batchSize: 10, maxBatchingWindowSeconds: 0, maxConcurrency: 1 })).toThrow(/maxConcurrency must be an integer from 2 to 1000, got 1/);
    expect(() => startSqsEventSource({ ...options, batchSize: 10, maxBatchingWindowSeconds: 0, maxConcurrency: 1001 })).toThrow(/maxConcurrency/);
  });
});
