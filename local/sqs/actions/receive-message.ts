// ReceiveMessage with long polling: returns as soon as at least one message is receivable, or
// empty when WaitTimeSeconds (or the queue's ReceiveMessageWaitTimeSeconds) has passed.
import type { Action } from '../action.ts';
import { invalidAttributeName, invalidParameterValue } from '../errors.ts';
import { optionalInteger, queueOf, stringList } from '../input.ts';
import { MAX_RECEIVE_MESSAGES, MAX_VISIBILITY_TIMEOUT_SECONDS, MAX_WAIT_TIME_SECONDS } from '../limits.ts';
import { selectAttributes, toWire } from '../message-attributes.ts';
import { md5OfMessageAttributes } from '../md5.ts';
import type { ReceivedMessage, StoredMessage } from '../queue.ts';
import { QUEUE_ATTRIBUTE_NAMES } from '../queue-attributes.ts';

const SYSTEM_ATTRIBUTE_NAMES = new Set([
  'All',
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
]);
// The deprecated AttributeNames member is typed as queue attribute names; SQS ignores those.

function inRange(name: string, value: number | undefined, min: number, max: number, reason: string): number | undefined {
  if (value !== undefined && (value < min || value > max)) {
    throw invalidParameterValue(`Value ${value} for parameter ${name} is invalid. Reason: ${reason}`);
  }
  return value;
}

function systemAttributes(message: StoredMessage, names: readonly string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all: Record<string, string | undefined> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    AWSTraceHeader: message.systemAttributes.get('AWSTraceHeader')?.stringValue,
    DeadLetterQueueSourceArn: message.deadLetterSourceArn,
    MessageGroupId: message.messageGroupId,
  };
  const wanted = names.includes('All') ? Object.keys(all) : names;
  const picked = Object.entries(all).filter(([name, value]) => value !== undefined && wanted.includes(name));
  return picked.length > 0 ? (Object.fromEntries(picked) as Record<string, string>) : undefined;
}

function render(received: ReceivedMessage, attributeNames: readonly string[], messageAttributeNames: readonly string[]): object {
  const { message, receiptHandle } = received;
  const attributes = systemAttributes(message, attributeNames);
  const selected = selectAttributes(message.attributes, messageAttributeNames);
  // The digest covers only the attributes returned, as SQS computes it.
  const md5 = md5OfMessageAttributes(selected);
  return {
    MessageId: message.id,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(attributes ? { Attributes: attributes } : {}),
    ...(md5 ? { MD5OfMessageAttributes: md5, MessageAttributes: toWire(selected) } : {}),
  };
}

export const receiveMessage: Action = async (input, { registry, now, signal }) => {
  const queue = queueOf(input, registry);
  const max =
    inRange(
      'MaxNumberOfMessages',
      optionalInteger(input, 'MaxNumberOfMessages'),
      1,
      MAX_RECEIVE_MESSAGES,
      'Must be between 1 and 10, if provided.'
    ) ?? 1;
  const visibilityTimeout =
    inRange(
      'VisibilityTimeout',
      optionalInteger(input, 'VisibilityTimeout'),
      0,
      MAX_VISIBILITY_TIMEOUT_SECONDS,
      `Must be >= 0 and <= ${MAX_VISIBILITY_TIMEOUT_SECONDS}, if provided.`
    ) ?? queue.setting('VisibilityTimeout');
  const waitSeconds =
    inRange(
      'WaitTimeSeconds',
      optionalInteger(input, 'WaitTimeSeconds'),
      0,
      MAX_WAIT_TIME_SECONDS,
      'Must be >= 0 and <= 20, if provided.'
    ) ?? queue.setting('ReceiveMessageWaitTimeSeconds');
  const attributeNames = [...stringList(input, 'AttributeNames'), ...stringList(input, 'MessageSystemAttributeNames')];
  for (const name of attributeNames) {
    if (!SYSTEM_ATTRIBUTE_NAMES.has(name) && !QUEUE_ATTRIBUTE_NAMES.has(name)) throw invalidAttributeName(`Unknown Attribute ${name}.`);
  }
  const messageAttributeNames = stringList(input, 'MessageAttributeNames');

  const deadline = now() + waitSeconds * 1000;
  // Each pass either returns or sleeps until something can change; the deadline bounds the loop.
  for (;;) {
    if (signal.aborted || queue.closed) return {};
    const at = now();
    const received = queue.receive(max, visibilityTimeout, at);
    if (received.length > 0) return { Messages: received.map((item) => render(item, attributeNames, messageAttributeNames)) };
    if (at >= deadline) return {};
    const wakeAt = Math.min(deadline, queue.nextAvailableAt(at) ?? deadline);
    await queue.wake.wait(wakeAt - at, signal);
  }
};
