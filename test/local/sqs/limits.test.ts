// The local memory bounds: past them a send is refused with OverLimit (nothing is dropped), and
// messages past their retention period never hold a place a new message needs.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OverLimit, PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { counts, createQueue, failure, startSqsFixture, type SqsFixture } from './fixture.ts';

let f: SqsFixture;
beforeAll(async () => {
  // Three messages a queue; 4,000 bytes across all queues (payloads, plus 1 KiB a message).
  f = await startSqsFixture({ maxMessagesPerQueue: 3, maxTotalBytes: 4_000 });
});
afterAll(async () => {
  await f.stop();
});
afterEach(() => {
  vi.useRealTimers();
});

const send = (QueueUrl: string, MessageBody: string) => f.client.send(new SendMessageCommand({ QueueUrl, MessageBody }));

describe('local limits', () => {
  it('a full queue refuses a send with OverLimit and keeps what it holds', async () => {
    const QueueUrl = await createQueue(f.client, { MessageRetentionPeriod: '60' });
    for (const body of ['a', 'b', 'c']) await send(QueueUrl, body);
    const refused = await failure(send(QueueUrl, 'd'));
    expect(refused).toBeInstanceOf(OverLimit);
    expect(refused.message).toMatch(/holds the local limit of 3 messages/);
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 3, notVisible: 0, delayed: 0 });

    // Past the retention period the old messages give their places up to the next send at once,
    // without waiting for the once-a-second sweep.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    await send(QueueUrl, 'e');
    const { Messages } = await f.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((m) => m.Body)).toEqual(['e']);
  });

  it('the byte budget across queues refuses a send with OverLimit until expired messages free it', async () => {
    const first = await createQueue(f.client, { MessageRetentionPeriod: '60' });
    const second = await createQueue(f.client, { MessageRetentionPeriod: '60' });
    await send(first, 'x'.repeat(1_500));
    const refused = await failure(send(second, 'y'.repeat(600)));
    expect(refused).toBeInstanceOf(OverLimit);
    expect(refused.message).toMatch(/limit of 4000 bytes of messages \(each counted as its payload plus 1 KiB\)/);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    // The expired message sits in another queue: the send sweeps its own queue, then the budget is
    // freed by the registry's sweep, which runs on the real one-second timer.
    await expect.poll(() => send(second, 'y'.repeat(600)).then(() => 'sent', () => 'refused'), { timeout: 5_000, interval: 200 }).toBe('sent');
    expect(await counts(f.client, first)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it('PurgeQueue gives the purged bytes back to the budget', async () => {
    // A server of its own: the budget of this file's server still counts the other tests' messages.
    const own = await startSqsFixture({ maxTotalBytes: 3_000 });
    try {
      const QueueUrl = await createQueue(own.client);
      await own.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1_500) }));
      await own.client.send(new PurgeQueueCommand({ QueueUrl }));
      await own.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'y'.repeat(1_500) }));
      expect(await counts(own.client, QueueUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
    } finally {
      await own.stop();
    }
  });

  it('charges each message 1 KiB beyond its payload: tiny messages cannot fill the heap unseen', async () => {
    const own = await startSqsFixture({ maxTotalBytes: 3_000 });
    try {
      const QueueUrl = await createQueue(own.client);
      await send2(own, QueueUrl, 'a');
      await send2(own, QueueUrl, 'b');
      // 2 × (1 + 1,024) = 2,050 charged: a third one-byte message would make 3,075.
      expect(await failure(send2(own, QueueUrl, 'c'))).toBeInstanceOf(OverLimit);
    } finally {
      await own.stop();
    }
  });
});

const send2 = (own: SqsFixture, QueueUrl: string, MessageBody: string) => own.client.send(new SendMessageCommand({ QueueUrl, MessageBody }));
