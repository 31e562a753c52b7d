// Sending and receiving through the real SDK: digests the SDK verifies, SQS's attribute digest,
// system attributes, delays and size limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidMessageContents,
  type QueueAttributeName,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { counts, createQueue, eventually, startSqsFixture, type SqsFixture } from './fixture.ts';

let f: SqsFixture;
beforeAll(async () => {
  f = await startSqsFixture();
});
afterAll(async () => {
  await f.stop();
});

const receiveAll = (QueueUrl: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}) =>
  f.client.send(
    new ReceiveMessageCommand({
      QueueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      ...extra,
    })
  );

describe('message digests', () => {
  it('returns body MD5s the SDK verifies on SendMessage and ReceiveMessage', async () => {
    const QueueUrl = await createQueue(f.client);
    const body = 'héllo wörld ✓ 𝄞';
    const sent = await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/);
    const { Messages } = await receiveAll(QueueUrl);
    expect(Messages?.[0]).toMatchObject({ Body: body, MD5OfBody: sent.MD5OfMessageBody, MessageId: sent.MessageId });
  });

  it('has the SDK check live: a wrong MD5OfBody makes ReceiveMessage fail', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'tamper' }));
    const tampering = new SQSClient({
      endpoint: f.sqs.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    // Runs inside the SDK's MD5 check (lower priority, same step), corrupting what it verifies.
    tampering.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const output = result.output as { Messages?: Message[] };
        for (const message of output.Messages ?? []) message.MD5OfBody = '0'.repeat(32);
        return result;
      },
      { step: 'initialize', priority: 'low', name: 'corruptMd5' }
    );
    await expect(tampering.send(new ReceiveMessageCommand({ QueueUrl }))).rejects.toThrow(/Invalid MD5 checksum on messages/);
    tampering.destroy();
  });

  it('computes MD5OfMessageAttributes as SQS does, over the attributes returned', async () => {
    // Expected digests are values AWS SQS returned for these attributes (recorded against AWS
    // in LocalStack's SQS snapshot tests).
    const QueueUrl = await createQueue(f.client);
    const sent = await f.client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'msg',
        MessageAttributes: {
          General: { DataType: 'String', StringValue: 'Kenobi' },
          Hello: { DataType: 'String', StringValue: 'There' },
          'Help.Me': { DataType: 'String', StringValue: 'Me' },
        },
      })
    );
    expect(sent.MD5OfMessageBody).toBe('6e2baaf3b97dbeef01c0043275f9a0e7');
    expect(sent.MD5OfMessageAttributes).toBe('4c360f3fdafd970e05fae2f149d997f5');
    const receive = async (names: string[]) =>
      (await f.client.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: names, VisibilityTimeout: 0 }))).Messages?.[0];
    expect((await receive(['All']))?.MD5OfMessageAttributes).toBe('4c360f3fdafd970e05fae2f149d997f5');
    expect((await receive(['General', 'Hello']))?.MD5OfMessageAttributes).toBe('fca026605781cb4126a1e9044df24232');
    const one = await receive(['Hello', 'Absent']);
    expect(one?.MD5OfMessageAttributes).toBe('a311262e065454b75da111d535b8dacd');
    expect(one?.MessageAttributes).toEqual({ Hello: { DataType: 'String', StringValue: 'There' } });
    expect((await receive(['Hel.*']))?.MD5OfMessageAttributes).toBe('83fee93c1bcd8b9a5a923ffacdc636c7');
    const without = await receive([]);
    expect(without?.MessageAttributes).toBeUndefined();
    expect(without?.MD5OfMessageAttributes).toBeUndefined();
  });

  it('encodes binary attributes with the binary transport type and returns them as bytes', async () => {
    const QueueUrl = await createQueue(f.client);
    const bytes = Buffer.from('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01', 'latin1');
    const sent = await f.client.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'test', MessageAttributes: { attr1: { DataType: 'Binary', BinaryValue: bytes } } })
    );
    expect(sent.MD5OfMessageAttributes).toBe('8cbe4db156db8a94db8b801b7addb984');
    const { Messages } = await receiveAll(QueueUrl);
    expect(Buffer.from(Messages?.[0].MessageAttributes?.attr1.BinaryValue ?? []).equals(bytes)).toBe(true);
    expect(Messages?.[0].MD5OfMessageAttributes).toBe('8cbe4db156db8a94db8b801b7addb984');
  });
});

describe('system attributes', () => {
  it('reports SenderId, SentTimestamp, ApproximateReceiveCount and ApproximateFirstReceiveTimestamp', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'count me',
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } },
      })
    );
    const first = (await receiveAll(QueueUrl, { VisibilityTimeout: 0 })).Messages?.[0];
    const second = (await receiveAll(QueueUrl, { VisibilityTimeout: 0 })).Messages?.[0];
    expect(first?.Attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      SenderId: '000000000000',
      AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(second?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second?.Attributes?.SentTimestamp).toBe(first?.Attributes?.SentTimestamp);
    expect(second?.Attributes?.ApproximateFirstReceiveTimestamp).toBe(first?.Attributes?.ApproximateFirstReceiveTimestamp);
    expect(Number(first?.Attributes?.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(Number(first?.Attributes?.SentTimestamp));
    const some = (await receiveAll(QueueUrl, { MessageSystemAttributeNames: ['ApproximateReceiveCount'], VisibilityTimeout: 0 }))
      .Messages?.[0];
    expect(some?.Attributes).toEqual({ ApproximateReceiveCount: '3' });
    // The deprecated AttributeNames member (typed as queue attribute names) also selects message attributes.
    const legacy = (
      await receiveAll(QueueUrl, { MessageSystemAttributeNames: undefined, AttributeNames: ['SentTimestamp' as QueueAttributeName] })
    ).Messages?.[0];
    expect(Object.keys(legacy?.Attributes ?? {})).toEqual(['SentTimestamp']);
  });
});

describe('delays', () => {
  it('holds a per-message delay, counted as delayed, then delivers', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'now' }));
    const immediate = await receiveAll(QueueUrl);
    expect(immediate.Messages?.map((m) => m.Body)).toEqual(['now']);
    const delayed = await eventually(async () => {
      const { Messages } = await receiveAll(QueueUrl);
      return Messages?.[0];
    }, 'the delayed message');
    expect(delayed.Body).toBe('later');
  });

  it('applies the queue DelaySeconds unless the message sets its own', async () => {
    const QueueUrl = await createQueue(f.client, { DelaySeconds: '1' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'queue delay' }));
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'no delay', DelaySeconds: 0 }));
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 1 });
    expect((await receiveAll(QueueUrl)).Messages?.map((m) => m.Body)).toEqual(['no delay']);
    await eventually(async () => ((await counts(f.client, QueueUrl)).visible === 1 ? true : undefined), 'the queue delay to pass');
    expect((await receiveAll(QueueUrl)).Messages?.map((m) => m.Body)).toEqual(['queue delay']);
  });

  it('refuses DelaySeconds above 900', async () => {
    const QueueUrl = await createQueue(f.client);
    await expect(f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });
});

describe('message validation', () => {
  it('enforces MaximumMessageSize over body and attributes', async () => {
    const QueueUrl = await createQueue(f.client, { MaximumMessageSize: '1024' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a'.repeat(1024) }));
    await expect(f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a'.repeat(1025) }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    });
    await expect(
      f.client.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: 'a'.repeat(1000),
          MessageAttributes: { Tag: { DataType: 'String', StringValue: 'b'.repeat(30) } },
        })
      )
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('counts MaximumMessageSize in UTF-8 bytes, not characters', async () => {
    const QueueUrl = await createQueue(f.client, { MaximumMessageSize: '1024' });
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'é'.repeat(512) }));
    await expect(f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'é'.repeat(600) }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    });
  });

  it('accepts a 1 MiB message by default and refuses one byte more', async () => {
    const QueueUrl = await createQueue(f.client);
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1_048_576) }));
    await expect(f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1_048_577) }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    const { Messages } = await receiveAll(QueueUrl);
    expect(Messages?.[0].Body?.length).toBe(1_048_576);
  });

  it('refuses empty bodies, invalid characters and malformed attributes', async () => {
    const QueueUrl = await createQueue(f.client);
    await expect(f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: '' }))).rejects.toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageBody.',
    });
    await expect(f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'nul\u0000' }))).rejects.toBeInstanceOf(
      InvalidMessageContents
    );
    await expect(
      f.client.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: 'x',
          MessageAttributes: { 'AWS.Reserved': { DataType: 'String', StringValue: 'v' } },
        })
      )
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(
      f.client.send(
        new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'NaN' } } })
      )
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "Can't cast the value of message (user) attribute 'n' to a number.",
    });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
    await expect(f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: eleven }))).rejects.toMatchObject({
      message: 'Number of message attributes [11] exceeds the allowed maximum [10].',
    });
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it('validates ReceiveMessage parameters', async () => {
    const QueueUrl = await createQueue(f.client);
    await expect(f.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
    await expect(f.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 21 }))).rejects.toMatchObject({
      message: 'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    });
    await expect(f.client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 43_201 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });
});
