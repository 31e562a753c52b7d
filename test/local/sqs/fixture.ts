// A local SQS per test file and an SDK client for it, plus a bounded wait on a condition
// (the machine is shared: tests wait for states, never assert on elapsed time).
import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalSqs, type LocalSqs } from '../../../local/sqs/index.ts';
import type { LocalLimits } from '../../../local/sqs/limits.ts';

export interface SqsFixture {
  sqs: LocalSqs;
  client: SQSClient;
  stop(): Promise<void>;
}

export async function startSqsFixture(limits?: Partial<LocalLimits>): Promise<SqsFixture> {
  const sqs = await startLocalSqs({ limits });
  const client = new SQSClient({
    endpoint: sqs.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    sqs,
    client,
    stop: async () => {
      client.destroy();
      await sqs.stop();
    },
  };
}

export function queueName(prefix = 'q'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createQueue(client: SQSClient, attributes: Record<string, string> = {}, prefix = 'q'): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: queueName(prefix), Attributes: attributes }));
  if (!QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
  return QueueUrl;
}

export async function counts(client: SQSClient, QueueUrl: string): Promise<{ visible: number; notVisible: number; delayed: number }> {
  const { Attributes = {} } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    })
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    notVisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
}

/** Polls `probe` until it returns a value other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The error a call fails with; fails the test if the call succeeds. */
export async function failure(call: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, it succeeded');
}
