// SendMessageBatch and the batch validation every *Batch action shares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchEntryIdsNotDistinct,
  BatchRequestTooLong,
  DeleteMessageBatchCommand,
  EmptyBatchRequest,
  InvalidBatchEntryId,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { counts, createQueue, failure, startSqsFixture, type SqsFixture } from './fixture.ts';

let f: SqsFixture;
beforeAll(async () => {
  f = await startSqsFixture();
});
afterAll(async () => {
  await f.stop();
});

describe('SendMessageBatch', () => {
  it('sends each entry with digests the SDK verifies, and reports failed entries individually', async () => {
    const QueueUrl = await createQueue(f.client);
    const result = await f.client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first', MessageAttributes: { Foo: { DataType: 'String', StringValue: 'Bar' } } },
          { Id: 'b', MessageBody: 'second', DelaySeconds: 901 },
          { Id: 'c', MessageBody: 'third' },
        ],
      })
    );
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['a', 'c']);
    expect(result.Successful?.[0].MD5OfMessageAttributes).toBe('ae7155c6026991b6d54b11589678bf9c');
    expect(result.Failed).toEqual([
      {
        Id: 'b',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
      },
    ]);
    const { Messages } = await f.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((m) => m.Body).sort()).toEqual(['first', 'third']);
  });

  it('refuses empty, oversized, duplicate-id and badly named batches before sending anything', async () => {
    const QueueUrl = await createQueue(f.client);
    const send = (Entries: { Id: string; MessageBody: string }[]) =>
      failure(f.client.send(new SendMessageBatchCommand({ QueueUrl, Entries })));

    const empty = await send([]);
    expect(empty).toBeInstanceOf(EmptyBatchRequest);
    expect(empty.message).toBe('There should be at least one SendMessageBatchRequestEntry in the request.');

    const eleven = await send(Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })));
    expect(eleven).toBeInstanceOf(TooManyEntriesInBatchRequest);
    expect(eleven.message).toBe('Maximum number of entries per request are 10. You have sent 11.');

    const duplicate = await send([
      { Id: 'same', MessageBody: 'x' },
      { Id: 'same', MessageBody: 'y' },
    ]);
    expect(duplicate).toBeInstanceOf(BatchEntryIdsNotDistinct);
    expect(duplicate.message).toBe('Id same repeated.');

    for (const Id of ['has space', 'a'.repeat(81), 'colon:id', '']) {
      expect(await send([{ Id, MessageBody: 'x' }])).toBeInstanceOf(InvalidBatchEntryId);
    }

    const tooLong = await send([
      { Id: 'big1', MessageBody: 'x'.repeat(600_000) },
      { Id: 'big2', MessageBody: 'x'.repeat(600_000) },
    ]);
    expect(tooLong).toBeInstanceOf(BatchRequestTooLong);
    expect(tooLong.message).toBe('Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.');

    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it('applies the same entry validation to DeleteMessageBatch', async () => {
    const QueueUrl = await createQueue(f.client);
    await expect(f.client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [] }))).rejects.toMatchObject({
      name: 'EmptyBatchRequest',
      message: 'There should be at least one DeleteMessageBatchRequestEntry in the request.',
    });
    await expect(
      f.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'd', ReceiptHandle: 'x' },
            { Id: 'd', ReceiptHandle: 'y' },
          ],
        })
      )
    ).rejects.toBeInstanceOf(BatchEntryIdsNotDistinct);
  });
});
