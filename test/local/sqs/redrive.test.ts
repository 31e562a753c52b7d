// Redrive to the dead-letter queue after maxReceiveCount, retention expiry, and PurgeQueue.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CreateQueueCommand,
  PurgeQueueCommand,
  PurgeQueueInProgress,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { counts, createQueue, eventually, queueName, failure, startSqsFixture, type SqsFixture } from './fixture.ts';

let f: SqsFixture;
beforeAll(async () => {
  f = await startSqsFixture();
});
afterAll(async () => {
  await f.stop();
});
afterEach(() => {
  vi.useRealTimers();
});

async function queueWithDlq(maxReceiveCount: number, attributes: Record<string, string> = {}) {
  const dlqName = queueName('dlq');
  const { QueueUrl: dlqUrl } = await f.client.send(new CreateQueueCommand({ QueueName: dlqName }));
  const QueueUrl = await createQueue(f.client, {
    ...attributes,
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: f.sqs.queueArn(dlqName), maxReceiveCount }),
  });
  return { QueueUrl, dlqUrl: dlqUrl as string, dlqArn: f.sqs.queueArn(dlqName) };
}

const receive = (QueueUrl: string, VisibilityTimeout?: number) =>
  f.client.send(
    new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] })
  );

describe('redrive to the dead-letter queue', () => {
  it('moves a message on the receive that would exceed maxReceiveCount, keeping id, body and attributes', async () => {
    const { QueueUrl, dlqUrl } = await queueWithDlq(2);
    const sent = await f.client.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'poison', MessageAttributes: { kind: { DataType: 'String', StringValue: 'bad' } } })
    );
    expect((await receive(QueueUrl, 0)).Messages?.[0].Attributes?.ApproximateReceiveCount).toBe('1');
    expect((await receive(QueueUrl, 0)).Messages?.[0].Attributes?.ApproximateReceiveCount).toBe('2');
    // The third receive would exceed maxReceiveCount 2: the message moves instead of being returned.
    expect((await receive(QueueUrl, 0)).Messages).toBeUndefined();
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    expect(await counts(f.client, dlqUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
    const [moved] = (await receive(dlqUrl)).Messages ?? [];
    expect(moved).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'poison',
      MD5OfBody: sent.MD5OfMessageBody,
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'bad' } },
    });
    expect(moved.Attributes?.DeadLetterQueueSourceArn).toBe(f.sqs.queueArn(QueueUrl.split('/').pop() as string));
  });

  it('redrives after visibility timeouts expire, with a 1 s queue visibility timeout', async () => {
    const { QueueUrl, dlqUrl } = await queueWithDlq(1, { VisibilityTimeout: '1' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'fails once' }));
    expect((await receive(QueueUrl)).Messages).toHaveLength(1);
    const moved = await eventually(async () => {
      await receive(QueueUrl);
      return (await counts(f.client, dlqUrl)).visible === 1 ? true : undefined;
    }, 'the message to reach the DLQ');
    expect(moved).toBe(true);
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });
});

describe('retention', () => {
  it('deletes messages older than MessageRetentionPeriod', async () => {
    const QueueUrl = await createQueue(f.client, { MessageRetentionPeriod: '60' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'old' }));
    expect((await counts(f.client, QueueUrl)).visible).toBe(1);
    // Only Date is faked: the server's clock jumps past the 60 s retention, timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'new' }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
    const { Messages } = await f.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((m) => m.Body)).toEqual(['new']);
  });
});

describe('PurgeQueue', () => {
  it('deletes every message, in flight and delayed too, and allows one purge per 60 s', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'visible' }));
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'delayed', DelaySeconds: 900 }));
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'in flight' }));
    await f.client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 600 }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 1, notVisible: 1, delayed: 1 });
    await f.client.send(new PurgeQueueCommand({ QueueUrl }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    const again = await failure(f.client.send(new PurgeQueueCommand({ QueueUrl })));
    expect(again).toBeInstanceOf(PurgeQueueInProgress);
    expect((again as Error).message).toBe(`Only one PurgeQueue operation on ${QueueUrl.split('/').pop()} is allowed every 60 seconds.`);
  });

  it('allows the next purge once 60 s have passed', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new PurgeQueueCommand({ QueueUrl }));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'after the interval' }));
    await f.client.send(new PurgeQueueCommand({ QueueUrl }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });
});
