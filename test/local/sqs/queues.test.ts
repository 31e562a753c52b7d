// Queue lifecycle actions through the real @aws-sdk/client-sqs against the local SQS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidAttributeName,
  InvalidAttributeValue,
  ListQueuesCommand,
  QueueDeletedRecently,
  QueueDoesNotExist,
  QueueNameExists,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSServiceException,
  UnsupportedOperation,
} from '@aws-sdk/client-sqs';
import { createQueue, failure, queueName, startSqsFixture, type SqsFixture } from './fixture.ts';

let f: SqsFixture;
beforeAll(async () => {
  f = await startSqsFixture();
});
afterAll(async () => {
  await f.stop();
});

describe('CreateQueue / GetQueueUrl', () => {
  it('creates a queue at http://<host>:<port>/<account>/<name> with its ARN', async () => {
    const name = queueName();
    const { QueueUrl } = await f.client.send(new CreateQueueCommand({ QueueName: name }));
    expect(QueueUrl).toBe(`${f.sqs.endpoint}/000000000000/${name}`);
    expect(f.sqs.queueUrl(name)).toBe(QueueUrl);
    const { Attributes } = await f.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    expect(Attributes).toEqual({ QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}` });
    expect(f.sqs.queueArn(name)).toBe(Attributes?.QueueArn);
    expect((await f.client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(QueueUrl);
  });

  it('returns the same queue for identical attributes and refuses different ones', async () => {
    const name = queueName();
    const first = await f.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '5' } }));
    const again = await f.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '5' } }));
    expect(again.QueueUrl).toBe(first.QueueUrl);
    const error = await failure(f.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '6' } })));
    expect(error).toBeInstanceOf(QueueNameExists);
    expect((error as Error).message).toBe(
      'A queue already exists with the same name and a different value for attribute VisibilityTimeout'
    );
  });

  it('reports a missing queue as QueueDoesNotExist with the query code SQS uses', async () => {
    const error = await failure(f.client.send(new GetQueueUrlCommand({ QueueName: queueName('missing') })));
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error).toMatchObject({
      message: 'The specified queue does not exist.',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      Type: 'Sender',
      $metadata: { httpStatusCode: 400 },
    });
    const bySend = await failure(f.client.send(new SendMessageCommand({ QueueUrl: f.sqs.queueUrl('nope-nope'), MessageBody: 'x' })));
    expect(bySend).toBeInstanceOf(QueueDoesNotExist);
  });

  it('validates names and attribute values with SQS messages', async () => {
    const badName = await failure(f.client.send(new CreateQueueCommand({ QueueName: 'has space' })));
    expect(badName).toBeInstanceOf(SQSServiceException);
    expect(badName).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    });
    for (const [attribute, value] of [
      ['DelaySeconds', '901'],
      ['VisibilityTimeout', '-1'],
      ['MessageRetentionPeriod', '59'],
      ['MaximumMessageSize', '1023'],
      ['ReceiveMessageWaitTimeSeconds', '21'],
      ['DelaySeconds', '1.5'],
    ]) {
      const error = await failure(f.client.send(new CreateQueueCommand({ QueueName: queueName(), Attributes: { [attribute]: value } })));
      expect(error).toBeInstanceOf(InvalidAttributeValue);
      expect((error as Error).message).toBe(`Invalid value for the parameter ${attribute}.`);
    }
    const unknown = await failure(
      f.client.send(new CreateQueueCommand({ QueueName: queueName(), Attributes: { Colour: 'blue' } as Record<string, string> }))
    );
    expect(unknown).toBeInstanceOf(InvalidAttributeName);
    expect((unknown as Error).message).toBe('Unknown Attribute Colour.');
  });

  it('refuses FIFO queues clearly', async () => {
    const byAttribute = await failure(
      f.client.send(new CreateQueueCommand({ QueueName: `${queueName()}.fifo`, Attributes: { FifoQueue: 'true' } }))
    );
    expect(byAttribute).toBeInstanceOf(UnsupportedOperation);
    expect((byAttribute as Error).message).toMatch(/FIFO queues are not supported/);
    const byName = await failure(f.client.send(new CreateQueueCommand({ QueueName: `${queueName()}.fifo` })));
    expect(byName).toBeInstanceOf(UnsupportedOperation);
  });
});

describe('ListQueues', () => {
  it('filters by prefix and pages with MaxResults / NextToken', async () => {
    const prefix = queueName('list');
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (const name of names) await f.client.send(new CreateQueueCommand({ QueueName: name }));
    const all = await f.client.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(all.QueueUrls).toEqual(names.map((name) => f.sqs.queueUrl(name)));
    expect(all.NextToken).toBeUndefined();

    const first = await f.client.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
    expect(first.QueueUrls).toEqual(names.slice(0, 2).map((name) => f.sqs.queueUrl(name)));
    expect(first.NextToken).toBeDefined();
    const second = await f.client.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.QueueUrls).toEqual([f.sqs.queueUrl(names[2])]);
    expect(second.NextToken).toBeUndefined();

    const none = await f.client.send(new ListQueuesCommand({ QueueNamePrefix: queueName('nothing') }));
    expect(none.QueueUrls).toBeUndefined();
  });
});

describe('GetQueueAttributes / SetQueueAttributes', () => {
  it('returns every attribute with All, with SQS defaults', async () => {
    const QueueUrl = await createQueue(f.client);
    const { Attributes } = await f.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '30',
      SqsManagedSseEnabled: 'true',
    });
    expect(Number(Attributes?.CreatedTimestamp)).toBeGreaterThan(1_600_000_000);
    expect(Attributes?.RedrivePolicy).toBeUndefined();
    const unset = await f.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['KmsMasterKeyId', 'RedrivePolicy'] }));
    expect(unset.Attributes).toBeUndefined();
    const none = await f.client.send(new GetQueueAttributesCommand({ QueueUrl }));
    expect(none.Attributes).toBeUndefined();
    const unknown = await failure(f.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Nonsense' as 'All'] })));
    expect(unknown).toBeInstanceOf(InvalidAttributeName);
  });

  it('sets attributes and a RedrivePolicy to an existing DLQ, and removes it again', async () => {
    const dlqName = queueName('dlq');
    await f.client.send(new CreateQueueCommand({ QueueName: dlqName }));
    const QueueUrl = await createQueue(f.client);
    await f.client.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: {
          VisibilityTimeout: '7',
          DelaySeconds: '3',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: f.sqs.queueArn(dlqName), maxReceiveCount: '4' }),
        },
      })
    );
    const { Attributes } = await f.client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'DelaySeconds', 'RedrivePolicy'] })
    );
    expect(Attributes).toEqual({
      VisibilityTimeout: '7',
      DelaySeconds: '3',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: f.sqs.queueArn(dlqName), maxReceiveCount: 4 }),
    });
    await f.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: '' } }));
    const after = await f.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(after.Attributes?.RedrivePolicy).toBeUndefined();
  });

  it('refuses invalid redrive policies with the SQS reasons', async () => {
    const QueueUrl = await createQueue(f.client);
    const attempt = (policy: string) =>
      failure(f.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: policy } })));
    const dummy = '{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}';
    expect(await attempt(dummy)).toMatchObject({
      name: 'InvalidParameterValue',
      message: `Value ${dummy} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.`,
    });
    const missing = JSON.stringify({ deadLetterTargetArn: f.sqs.queueArn(queueName('absent')), maxReceiveCount: 3 });
    expect((await attempt(missing)).message).toMatch(/Reason: Dead letter target does not exist\.$/);
    const dlqName = queueName('dlq');
    await f.client.send(new CreateQueueCommand({ QueueName: dlqName }));
    const tooMany = JSON.stringify({ deadLetterTargetArn: f.sqs.queueArn(dlqName), maxReceiveCount: 1001 });
    expect((await attempt(tooMany)).message).toMatch(/Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000/);
    expect((await attempt('{"maxReceiveCount": 3}')).message).toMatch(/mandatory attribute: deadLetterTargetArn\.$/);
  });
});

describe('attribute sizes', () => {
  it('a Policy up to SQS\'s 8,192 bytes and a KmsMasterKeyId up to KMS\'s 2,048 characters; one byte more is InvalidAttributeValue', async () => {
    const QueueUrl = await createQueue(f.client);
    const policy = (bytes: number) => {
      const shell = JSON.stringify({ Version: '2012-10-17', Id: '' });
      return JSON.stringify({ Version: '2012-10-17', Id: 'x'.repeat(bytes - shell.length) });
    };
    await f.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: policy(8192), KmsMasterKeyId: 'k'.repeat(2048) } }));
    const kept = await f.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy', 'KmsMasterKeyId'] }));
    expect(kept.Attributes?.Policy).toHaveLength(8192);
    expect(kept.Attributes?.KmsMasterKeyId).toHaveLength(2048);
    for (const [name, value] of [['Policy', policy(8193)], ['KmsMasterKeyId', 'k'.repeat(2049)]]) {
      const refused = await failure(f.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { [name]: value } })));
      expect(refused).toBeInstanceOf(InvalidAttributeValue);
      expect(refused.message).toBe(`Invalid value for the parameter ${name}.`);
      const created = await failure(f.client.send(new CreateQueueCommand({ QueueName: queueName('big'), Attributes: { [name]: value } })));
      expect(created).toBeInstanceOf(InvalidAttributeValue);
    }
  });
});

describe('DeleteQueue', () => {
  it('deletes; the name cannot be reused for 60 seconds, as in SQS', async () => {
    const name = queueName();
    const { QueueUrl } = await f.client.send(new CreateQueueCommand({ QueueName: name }));
    await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'gone with the queue' }));
    await f.client.send(new DeleteQueueCommand({ QueueUrl }));
    const lookup = await failure(f.client.send(new GetQueueUrlCommand({ QueueName: name })));
    expect(lookup).toBeInstanceOf(QueueDoesNotExist);
    const again = await failure(f.client.send(new DeleteQueueCommand({ QueueUrl })));
    expect(again).toBeInstanceOf(QueueDoesNotExist);
    const recreate = await failure(f.client.send(new CreateQueueCommand({ QueueName: name })));
    expect(recreate).toBeInstanceOf(QueueDeletedRecently);
  });
});
