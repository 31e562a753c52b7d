// The event Lambda's SQS event source builds from received messages (Lambda Developer Guide,
// "Using Lambda with Amazon SQS"): lower-camel-case record fields, message attributes as
// { stringValue | binaryValue (base64), stringListValues: [], binaryListValues: [], dataType },
// and md5OfMessageAttributes null when the message has none, as real events carry it.
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from 'aws-lambda';

function lambdaAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
    dataType: value.DataType ?? 'String',
  };
}

export function toSqsRecord(message: Message, eventSourceArn: string, awsRegion: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const record = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
      ...(attributes.AWSTraceHeader !== undefined ? { AWSTraceHeader: attributes.AWSTraceHeader } : {}),
      ...(attributes.DeadLetterQueueSourceArn !== undefined ? { DeadLetterQueueSourceArn: attributes.DeadLetterQueueSourceArn } : {}),
      ...(attributes.MessageGroupId !== undefined ? { MessageGroupId: attributes.MessageGroupId } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, lambdaAttribute(value)])
    ),
    md5OfMessageAttributes: message.MD5OfMessageAttributes ?? null,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: eventSourceArn,
    awsRegion,
  };
  // @types/aws-lambda types md5OfMessageAttributes as an optional string; Lambda sends null.
  return record as unknown as SQSRecord;
}

export function toSqsEvent(messages: readonly Message[], eventSourceArn: string, awsRegion: string): SQSEvent {
  return { Records: messages.map((message) => toSqsRecord(message, eventSourceArn, awsRegion)) };
}
