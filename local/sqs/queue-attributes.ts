// Queue attributes: what CreateQueue and SetQueueAttributes accept, validated with SQS's errors,
// and their normalized string form as GetQueueAttributes returns it.
import { invalidAttributeName, invalidAttributeValue, invalidParameterValue, malformedInput, unsupportedOperation } from './errors.ts';
import {
  MAX_DELAY_SECONDS,
  MAX_MESSAGE_SIZE,
  MAX_RECEIVE_COUNT,
  MAX_RETENTION_SECONDS,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  MAX_WAIT_TIME_SECONDS,
  MIN_MESSAGE_SIZE,
  MIN_RETENTION_SECONDS,
  QUEUE_DEFAULTS,
} from './limits.ts';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** Attributes computed by the queue; settable ones are kept as normalized strings. */
export const COMPUTED_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
] as const;

/** A new queue's settable attributes as GetQueueAttributes shows them. */
export function defaultQueueAttributes(): Map<string, string> {
  const defaults = new Map<string, string>(Object.entries(QUEUE_DEFAULTS).map(([name, value]) => [name, String(value)]));
  // New queues get SSE-SQS by default (SQS since 2023); locally it is only reported.
  defaults.set('SqsManagedSseEnabled', 'true');
  return defaults;
}

const FIFO_ONLY = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];
/** "Amazon SQS policy quotas": 8,192 bytes. */
export const MAX_POLICY_BYTES = 8192;
/** KMS's KeyId: an id, alias name or ARN of at most 2,048 characters. */
export const MAX_KMS_KEY_ID_CHARS = 2048;

const INTEGER = /^\d+$/;
const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;

function integerIn(name: string, value: string, min: number, max: number): string {
  if (!INTEGER.test(value)) throw invalidAttributeValue(name);
  const number = Number(value);
  if (number < min || number > max) throw invalidAttributeValue(name);
  return String(number);
}

function jsonObject(value: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses and checks a RedrivePolicy; `dlqExists` answers whether the target queue exists. */
export function parseRedrivePolicy(value: string, dlqExists: (arn: string) => boolean): RedrivePolicy {
  const invalid = (reason: string) => invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  const policy = jsonObject(value);
  if (!policy) throw invalid('Redrive policy is not a valid JSON map.');
  for (const key of Object.keys(policy)) {
    if (key !== 'deadLetterTargetArn' && key !== 'maxReceiveCount') {
      throw invalid(`Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`);
    }
  }
  const { deadLetterTargetArn, maxReceiveCount } = policy;
  if (deadLetterTargetArn === undefined) throw invalid('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (maxReceiveCount === undefined) throw invalid('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  if (typeof deadLetterTargetArn !== 'string' || !QUEUE_ARN.test(deadLetterTargetArn)) {
    throw invalid('Invalid value for deadLetterTargetArn.');
  }
  const count = typeof maxReceiveCount === 'string' && INTEGER.test(maxReceiveCount) ? Number(maxReceiveCount) : maxReceiveCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_RECEIVE_COUNT) {
    throw invalid(
      `Invalid value for maxReceiveCount: ${String(maxReceiveCount)}, valid values are from 1 to ${MAX_RECEIVE_COUNT} both inclusive.`
    );
  }
  if (!dlqExists(deadLetterTargetArn)) throw invalid('Dead letter target does not exist.');
  return { deadLetterTargetArn, maxReceiveCount: count };
}

function normalizeValue(name: string, value: string, dlqExists: (arn: string) => boolean): string {
  switch (name) {
    case 'DelaySeconds':
      return integerIn(name, value, 0, MAX_DELAY_SECONDS);
    case 'MaximumMessageSize':
      return integerIn(name, value, MIN_MESSAGE_SIZE, MAX_MESSAGE_SIZE);
    case 'MessageRetentionPeriod':
      return integerIn(name, value, MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS);
    case 'ReceiveMessageWaitTimeSeconds':
      return integerIn(name, value, 0, MAX_WAIT_TIME_SECONDS);
    case 'VisibilityTimeout':
      return integerIn(name, value, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    case 'KmsDataKeyReusePeriodSeconds':
      return integerIn(name, value, 60, 86_400);
    case 'SqsManagedSseEnabled':
      if (value !== 'true' && value !== 'false') throw invalidAttributeValue(name);
      return value;
    case 'KmsMasterKeyId':
      // A key id, alias or ARN: KMS's KeyId is 1 to 2,048 characters. Kept, not used.
      if (value.length > MAX_KMS_KEY_ID_CHARS) throw invalidAttributeValue(name);
      return value;
    case 'Policy':
      // Stored and returned; the local stack has no IAM, so there is nothing to enforce it against.
      // SQS's policy quota is 8,192 bytes.
      if (Buffer.byteLength(value, 'utf8') > MAX_POLICY_BYTES || (value !== '' && !jsonObject(value))) throw invalidAttributeValue(name);
      return value;
    case 'RedrivePolicy':
      if (value === '') return '';
      return JSON.stringify(parseRedrivePolicy(value, dlqExists));
    case 'RedriveAllowPolicy':
      throw unsupportedOperation('RedriveAllowPolicy is not supported by the local SQS: it would not be enforced.');
    case 'FifoQueue':
      if (value === 'true') {
        throw unsupportedOperation('FIFO queues are not supported by the local SQS; slotsync uses standard queues only.');
      }
      throw invalidAttributeName('Unknown Attribute FifoQueue.');
    default:
      if (FIFO_ONLY.includes(name)) throw invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
      throw invalidAttributeName(`Unknown Attribute ${name}.`);
  }
}

/**
 * Validates a QueueAttributeMap from the wire; returns normalized values. An empty RedrivePolicy
 * or Policy value means "remove" (SetQueueAttributes).
 */
export function parseQueueAttributes(raw: unknown, dlqExists: (arn: string) => boolean): Map<string, string> {
  const normalized = new Map<string, string>();
  if (raw === undefined || raw === null) return normalized;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw malformedInput('Attributes must be a map of attribute name to value.');
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'object' && value !== null) throw malformedInput('Start of structure or map found where not expected.');
    if (typeof value !== 'string' && typeof value !== 'number') throw invalidAttributeValue(name);
    normalized.set(name, normalizeValue(name, String(value), dlqExists));
  }
  return normalized;
}

/** Every QueueAttributeName of the service model. */
export const QUEUE_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  'All',
  ...COMPUTED_ATTRIBUTES,
  ...Object.keys(QUEUE_DEFAULTS),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  ...FIFO_ONLY,
]);

/** GetQueueAttributes' AttributeNames: `All`, or names of the model (unknown ones are refused). */
export function checkRequestedAttributeNames(names: readonly string[]): void {
  for (const name of names) {
    if (!QUEUE_ATTRIBUTE_NAMES.has(name)) throw invalidAttributeName(`Unknown Attribute ${name}.`);
  }
}
