// Long polling. Each test waits 20 s server-side but has a 15 s test timeout: it can only pass
// if the poll returns early, when a message becomes available (a bound, not a timing assert).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createQueue, startSqsFixture, type SqsFixture } from './fixture.ts';

let f: SqsFixture;
beforeAll(async () => {
  f = await startSqsFixture();
});
afterAll(async () => {
  await f.stop();
});

const EARLY = { timeout: 15_000 };

describe('ReceiveMessage long polling', () => {
  it('returns as soon as a message is sent', EARLY, async () => {
    const QueueUrl = await createQueue(f.client);
    const polling = f.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }));
    // Give the poll time to be waiting server-side before the message arrives.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
    const { Messages } = await polling;
    expect(Messages?.map((m) => m.Body)).toEqual(['wake up']);
  });

  it('returns when a delayed message becomes available', EARLY, async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'delayed', DelaySeconds: 1 }));
    const { Messages } = await f.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    expect(Messages?.[0].Body).toBe('delayed');
  });

  it('returns when an in-flight message times out', EARLY, async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'back soon' }));
    await f.client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
    const { Messages } = await f.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    expect(Messages?.[0].Body).toBe('back soon');
  });

  it('uses the queue ReceiveMessageWaitTimeSeconds when the request sets none', EARLY, async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { ReceiveMessageWaitTimeSeconds: '20' } }));
    const polling = f.client.send(new ReceiveMessageCommand({ QueueUrl }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'queue default wait' }));
    expect((await polling).Messages?.[0].Body).toBe('queue default wait');
  });

  it('answers empty when nothing arrives within the wait time', async () => {
    const QueueUrl = await createQueue(f.client);
    const { Messages } = await f.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(Messages).toBeUndefined();
  });
});
