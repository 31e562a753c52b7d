// Visibility timeouts, receipt handles (current, stale, invalid) and ChangeMessageVisibility.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  MessageNotInflight,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { counts, createQueue, eventually, failure, startSqsFixture, type SqsFixture } from './fixture.ts';

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

async function receiveOne(QueueUrl: string, VisibilityTimeout?: number) {
  const { Messages } = await f.client.send(
    new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout, MessageSystemAttributeNames: ['ApproximateReceiveCount'] })
  );
  return Messages?.[0];
}

describe('visibility timeout', () => {
  it('hides a received message until the queue visibility timeout expires, then redelivers it', async () => {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout: '1' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'once more' }));
    const first = await receiveOne(QueueUrl);
    expect(first?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(await receiveOne(QueueUrl)).toBeUndefined();
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
    const again = await eventually(() => receiveOne(QueueUrl), 'the visibility timeout to expire');
    expect(again.MessageId).toBe(first?.MessageId);
    expect(again.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(again.ReceiptHandle).not.toBe(first?.ReceiptHandle);
  });

  it('honours the VisibilityTimeout of ReceiveMessage over the queue attribute', async () => {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout: '600' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'short' }));
    const first = await receiveOne(QueueUrl, 1);
    const again = await eventually(() => receiveOne(QueueUrl), 'the 1 s override to expire');
    expect(again.MessageId).toBe(first?.MessageId);
  });

  it('makes a message visible at once with ChangeMessageVisibility 0, and extends it otherwise', async () => {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout: '600' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'release me' }));
    const first = await receiveOne(QueueUrl);
    await f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first?.ReceiptHandle, VisibilityTimeout: 0 }));
    const second = await receiveOne(QueueUrl, 1);
    expect(second?.MessageId).toBe(first?.MessageId);
    await f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: second?.ReceiptHandle, VisibilityTimeout: 600 }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
  });

  it('reports a message whose timeout already expired as not in flight', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'visible again' }));
    const first = await receiveOne(QueueUrl, 0);
    const error = await failure(
      f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first?.ReceiptHandle, VisibilityTimeout: 10 }))
    );
    expect(error).toBeInstanceOf(MessageNotInflight);
  });

  it('counts the 12 h visibility limit from the receive, not from the change', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'held long' }));
    // The clock stands still from the receive on, so the boundary below is exact.
    vi.useFakeTimers({ toFake: ['Date'] });
    const receivedAt = Date.now();
    const message = await receiveOne(QueueUrl, 600);
    vi.setSystemTime(receivedAt + 300_000);
    const change = (VisibilityTimeout: number) =>
      f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle, VisibilityTimeout }));
    await expect(change(43_200)).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    });
    // 300 s after the receive, 42,900 s more reach the limit exactly.
    await change(42_900);
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
  });

  it('validates VisibilityTimeout and receipt handles', async () => {
    const QueueUrl = await createQueue(f.client);
    await expect(
      f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: 'x', VisibilityTimeout: 43_201 }))
    ).rejects.toMatchObject({ message: 'Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.' });
    const invalid = await failure(
      f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: 'not-a-handle', VisibilityTimeout: 5 }))
    );
    expect(invalid).toBeInstanceOf(ReceiptHandleIsInvalid);
    expect((invalid as Error).message).toBe('The input receipt handle "not-a-handle" is not valid.');
  });
});

describe('receipt handles and deletes', () => {
  it('deletes with the current handle; deleting again succeeds and the message stays gone', async () => {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout: '1' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'delete me' }));
    const message = await receiveOne(QueueUrl);
    await f.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
    await f.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    // A redelivery would need the 1 s visibility timeout; the message must not come back after it.
    const later = await f.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
    expect(later.Messages).toBeUndefined();
  });

  it('ignores a stale handle from an earlier receive: succeeds but does not delete, as SQS documents', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'received twice' }));
    const first = await receiveOne(QueueUrl, 0);
    const second = await receiveOne(QueueUrl, 600);
    await f.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first?.ReceiptHandle }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
    await expect(
      f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first?.ReceiptHandle, VisibilityTimeout: 0 }))
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await f.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second?.ReceiptHandle }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it('refuses a handle of another queue', async () => {
    const a = await createQueue(f.client);
    const b = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl: a, MessageBody: 'from a' }));
    const message = await receiveOne(a);
    await expect(f.client.send(new DeleteMessageCommand({ QueueUrl: b, ReceiptHandle: message?.ReceiptHandle }))).rejects.toBeInstanceOf(
      ReceiptHandleIsInvalid
    );
  });

  it('reports per-entry results for DeleteMessageBatch and ChangeMessageVisibilityBatch', async () => {
    const QueueUrl = await createQueue(f.client, { VisibilityTimeout: '600' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two' }));
    const { Messages = [] } = await f.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(2);
    const change = await f.client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', ReceiptHandle: Messages[0].ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'b', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
        ],
      })
    );
    expect(change.Successful).toEqual([{ Id: 'a' }]);
    expect(change.Failed).toEqual([
      { Id: 'b', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "garbage" is not valid.' },
    ]);
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 1, notVisible: 1, delayed: 0 });
    const deleted = await f.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'x', ReceiptHandle: Messages[1].ReceiptHandle },
          { Id: 'y', ReceiptHandle: 'garbage' },
        ],
      })
    );
    expect(deleted.Successful).toEqual([{ Id: 'x' }]);
    expect(deleted.Failed?.map((entry) => [entry.Id, entry.Code])).toEqual([['y', 'ReceiptHandleIsInvalid']]);
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
  });
});
