// The wire protocol itself, spoken with raw HTTP: what the SDK never sends must still be answered
// with SQS-shaped errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSqsFixture, type SqsFixture } from './fixture.ts';

let f: SqsFixture;
beforeAll(async () => {
  f = await startSqsFixture();
});
afterAll(async () => {
  await f.stop();
});

const post = (headers: Record<string, string>, body: string) => fetch(`${f.sqs.endpoint}/`, { method: 'POST', headers, body });
const json = { 'content-type': 'application/x-amz-json-1.0' };

const action = async (name: string, input: unknown) => {
  const response = await post({ ...json, 'x-amz-target': `AmazonSQS.${name}` }, JSON.stringify(input));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('SQS JSON protocol', () => {
  it('answers an action with JSON and an x-amzn-RequestId', async () => {
    const response = await post({ ...json, 'x-amz-target': 'AmazonSQS.ListQueues' }, '{}');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({});
  });

  it('reports errors with x-amzn-query-error and a __type/message body', async () => {
    const response = await post({ ...json, 'x-amz-target': 'AmazonSQS.GetQueueUrl' }, '{"QueueName":"absent"}');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.sqs#QueueDoesNotExist',
      message: 'The specified queue does not exist.',
    });
  });

  it('refuses unknown actions, real SQS actions it lacks as unsupported, malformed JSON and the query protocol', async () => {
    const unknown = await post({ ...json, 'x-amz-target': 'AmazonSQS.Frobnicate' }, '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-query-error')).toBe('InvalidAction;Sender');
    const lacking = await post({ ...json, 'x-amz-target': 'AmazonSQS.TagQueue' }, '{}');
    expect(lacking.status).toBe(400);
    expect(lacking.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.UnsupportedOperation;Sender');
    expect(await lacking.json()).toEqual({
      __type: 'com.amazonaws.sqs#UnsupportedOperation',
      message: 'TagQueue is not supported by the local SQS (slotsync does not use it).',
    });
    const malformed = await post({ ...json, 'x-amz-target': 'AmazonSQS.ListQueues' }, '{not json');
    expect(malformed.headers.get('x-amzn-query-error')).toBe('MalformedInput;Sender');
    const query = await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ListQueues&Version=2012-11-05');
    expect(query.status).toBe(400);
    expect(((await query.json()) as { message: string }).message).toMatch(/only the AWS JSON protocol/);
  });
});

describe('edge cases of names', () => {
  it('keeps a message attribute named __proto__ (a valid name), on the wire as sent', async () => {
    const { body: created } = await action('CreateQueue', { QueueName: `proto-${Date.now()}` });
    const QueueUrl = created.QueueUrl as string;
    const attributes = JSON.parse('{"__proto__": {"DataType": "String", "StringValue": "kept"}, "plain": {"DataType": "String", "StringValue": "too"}}');
    expect((await action('SendMessage', { QueueUrl, MessageBody: 'm', MessageAttributes: attributes })).status).toBe(200);
    const response = await post({ ...json, 'x-amz-target': 'AmazonSQS.ReceiveMessage' }, JSON.stringify({ QueueUrl, MessageAttributeNames: ['All'] }));
    const text = await response.text();
    const [message] = (JSON.parse(text) as { Messages: Array<{ MessageAttributes: Record<string, unknown> }> }).Messages;
    expect(Object.keys(message.MessageAttributes).sort()).toEqual(['__proto__', 'plain']);
    expect(Object.getOwnPropertyDescriptor(message.MessageAttributes, '__proto__')?.value).toEqual({ DataType: 'String', StringValue: 'kept' });
  });

  it('answers a QueueUrl with a broken %-escape as a queue that does not exist, not a 500', async () => {
    const { status, body } = await action('SendMessage', { QueueUrl: f.sqs.queueUrl('q').replace(/q$/, '%E0%A4%A'), MessageBody: 'm' });
    expect(status).toBe(400);
    expect(body).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
  });
});
