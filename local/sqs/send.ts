// What SendMessage and each SendMessageBatch entry share: reading one message from the request,
// validating it with SQS's messages, and enqueueing it.
import type { ActionContext, Input } from './action.ts';
import { invalidMessageContents, invalidParameterValue, missingParameter } from './errors.ts';
import { optionalInteger, optionalString } from './input.ts';
import { MAX_DELAY_SECONDS } from './limits.ts';
import { attributesSize, parseMessageAttributes } from './message-attributes.ts';
import { hasOnlyValidCharacters } from './message-body.ts';
import type { Queue, StoredMessage } from './queue.ts';

const GROUP_ID = /^[!-~]{1,128}$/;

export interface SentMessage {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
}

/** The total payload a batch carries, for SendMessageBatch's BatchRequestTooLong check. */
export function payloadSize(input: Input): number {
  const body = typeof input.MessageBody === 'string' ? Buffer.byteLength(input.MessageBody) : 0;
  try {
    return body + attributesSize(parseMessageAttributes(input.MessageAttributes, '(user)'));
  } catch {
    // Invalid attributes fail that entry later with their own error; count the body alone here.
    return body;
  }
}

export function sendOne(queue: Queue, input: Input, context: ActionContext): SentMessage {
  const body = input.MessageBody;
  if (body === undefined || body === null || body === '') throw missingParameter('MessageBody');
  if (typeof body !== 'string') throw invalidParameterValue('MessageBody must be a string.');
  if (!hasOnlyValidCharacters(body)) throw invalidMessageContents();
  const delaySeconds = optionalInteger(input, 'DelaySeconds');
  if (delaySeconds !== undefined && (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS)) {
    throw invalidParameterValue(
      `Value ${delaySeconds} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= ${MAX_DELAY_SECONDS}.`
    );
  }
  const deduplicationId = optionalString(input, 'MessageDeduplicationId');
  if (deduplicationId !== undefined) {
    throw invalidParameterValue(
      `Value ${deduplicationId} for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.`
    );
  }
  // Standard queues accept MessageGroupId (fair queues); it is stored and returned, no more.
  const messageGroupId = optionalString(input, 'MessageGroupId');
  if (messageGroupId !== undefined && !GROUP_ID.test(messageGroupId)) {
    throw invalidParameterValue(
      `Value ${messageGroupId} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`
    );
  }
  const attributes = parseMessageAttributes(input.MessageAttributes, '(user)');
  const systemAttributes = parseMessageAttributes(input.MessageSystemAttributes, 'system');
  const message: StoredMessage = queue.send(
    {
      body,
      attributes,
      systemAttributes,
      size: Buffer.byteLength(body) + attributesSize(attributes),
      delaySeconds,
      messageGroupId,
      senderId: context.senderId,
    },
    context.now()
  );
  return {
    MessageId: message.id,
    MD5OfMessageBody: message.md5OfBody,
    ...(message.md5OfAttributes ? { MD5OfMessageAttributes: message.md5OfAttributes } : {}),
    ...(message.md5OfSystemAttributes ? { MD5OfMessageSystemAttributes: message.md5OfSystemAttributes } : {}),
  };
}
