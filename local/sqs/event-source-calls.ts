// How an SQS event source reaches its queue. Lambda's pollers are a service inside AWS, not a
// client of the public SDK; locally, the server's event sources call the local SQS's own action
// handlers in process (same validation, visibility, receive counts and redrive, none of the HTTP
// and SDK marshalling, which cost the server's event loop ~1 ms per booking). Against any other
// endpoint they speak the SQS API over HTTP with the real SDK client.
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type BatchResultErrorEntry,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '../dynamodb/client.ts';
import type { LocalSqs } from './index.ts';

export interface QueueCalls {
  /** One ReceiveMessage with every system and message attribute. */
  receive(max: number, waitSeconds: number, signal: AbortSignal): Promise<Message[]>;
  /** DeleteMessageBatch; answers the entries that failed. */
  deleteBatch(entries: Array<{ Id: string; ReceiptHandle: string | undefined }>): Promise<BatchResultErrorEntry[]>;
  queueArn(signal: AbortSignal): Promise<string | undefined>;
  close(): void;
}

/** Every system and message attribute, as Lambda's event records carry them. */
const receiveAll = () => ({ MessageSystemAttributeNames: ['All' as const], MessageAttributeNames: ['All'] });

export function httpQueueCalls(endpoint: string, queueUrl: string, region: string): QueueCalls {
  // The endpoint is explicit, so the SDK does not redirect to the queue URL's host.
  const client = new SQSClient({ endpoint, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
  return {
    async receive(max, waitSeconds, signal) {
      const { Messages } = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: waitSeconds, ...receiveAll() }),
        { abortSignal: signal },
      );
      return Messages ?? [];
    },
    async deleteBatch(entries) {
      const { Failed } = await client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      return Failed ?? [];
    },
    async queueArn(signal) {
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }), {
        abortSignal: signal,
      });
      return Attributes?.QueueArn;
    },
    close: () => client.destroy(),
  };
}

type WireAttribute = Omit<MessageAttributeValue, 'BinaryValue' | 'BinaryListValues'> & { BinaryValue?: string; BinaryListValues?: string[] };
type WireMessage = Omit<Message, 'MessageAttributes'> & { MessageAttributes?: Record<string, WireAttribute> };

/** The JSON protocol carries binary attributes as base64; the SDK hands them over as bytes. */
function sdkMessage(message: WireMessage): Message {
  if (!message.MessageAttributes) return message as Message;
  const attributes = Object.entries(message.MessageAttributes).map(([name, value]) => {
    const { BinaryValue, BinaryListValues, ...rest } = value;
    return [
      name,
      {
        ...rest,
        ...(BinaryValue !== undefined ? { BinaryValue: Buffer.from(BinaryValue, 'base64') } : {}),
        ...(BinaryListValues !== undefined ? { BinaryListValues: BinaryListValues.map((item) => Buffer.from(item, 'base64')) } : {}),
      },
    ];
  });
  return { ...message, MessageAttributes: Object.fromEntries(attributes) as Record<string, MessageAttributeValue> };
}

export function inProcessQueueCalls(sqs: LocalSqs, queueUrl: string): QueueCalls {
  return {
    async receive(max, waitSeconds, signal) {
      const out = (await sqs.call('ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: waitSeconds, ...receiveAll() }, signal)) as {
        Messages?: WireMessage[];
      };
      return (out.Messages ?? []).map(sdkMessage);
    },
    async deleteBatch(entries) {
      const out = (await sqs.call('DeleteMessageBatch', { QueueUrl: queueUrl, Entries: entries })) as { Failed?: BatchResultErrorEntry[] };
      return out.Failed ?? [];
    },
    async queueArn(signal) {
      const out = (await sqs.call('GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }, signal)) as {
        Attributes?: Record<string, string>;
      };
      return out.Attributes?.QueueArn;
    },
    close: () => undefined,
  };
}
