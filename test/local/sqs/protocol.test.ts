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

  it('refuses unknown actions, malformed JSON and the query protocol', async () => {
    const unknown = await post({ ...json, 'x-amz-target': 'AmazonSQS.TagQueue' }, '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-query-error')).toBe('InvalidAction;Sender');
    const malformed = await post({ ...json, 'x-amz-target': 'AmazonSQS.ListQueues' }, '{not json');
    expect(malformed.headers.get('x-amzn-query-error')).toBe('MalformedInput;Sender');
    const query = await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ListQueues&Version=2012-11-05');
    expect(query.status).toBe(400);
    expect(((await query.json()) as { message: string }).message).toMatch(/only the AWS JSON protocol/);
  });
});
