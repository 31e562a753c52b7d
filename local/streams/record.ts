// The DynamoDB stream record as Lambda delivers it to a function, built from what the
// DynamoDB Streams API (GetRecords) returned: attribute values in DynamoDB JSON with binary as
// base64, the creation time in epoch seconds, the region and stream ARN of the event source.
import type { AttributeValue as StreamAttributeValue, _Record as StreamApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, StreamRecord } from 'aws-lambda';

/** What DynamoDB's TTL process puts in the records of its deletions. */
export const TTL_USER_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

/** A record as Lambda delivers it; SequenceNumber, eventName and Keys are always present. */
export type LambdaStreamRecord = DynamoDBRecord & {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: StreamRecord & { SequenceNumber: string; Keys: Record<string, AttributeValue> };
};

export function toLambdaRecord(
  record: StreamApiRecord,
  source: { region: string; streamArn: string; ttlDeletion: boolean },
): LambdaStreamRecord {
  const stream = record.dynamodb;
  if (!stream?.SequenceNumber || !stream.Keys || !record.eventName) {
    throw new Error(`stream record ${record.eventID ?? '?'} lacks a sequence number, keys or event name`);
  }
  const dynamodb: LambdaStreamRecord['dynamodb'] = {
    ApproximateCreationDateTime: stream.ApproximateCreationDateTime
      ? stream.ApproximateCreationDateTime.getTime() / 1000
      : undefined,
    Keys: toLambdaImage(stream.Keys),
    NewImage: stream.NewImage ? toLambdaImage(stream.NewImage) : undefined,
    OldImage: stream.OldImage ? toLambdaImage(stream.OldImage) : undefined,
    SequenceNumber: stream.SequenceNumber,
    SizeBytes: stream.SizeBytes,
    StreamViewType: stream.StreamViewType,
  };
  const identity = source.ttlDeletion
    ? { ...TTL_USER_IDENTITY }
    : record.userIdentity
      ? { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId }
      : undefined;
  return dropUndefined({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: source.region,
    dynamodb: dropUndefined(dynamodb),
    userIdentity: identity,
    eventSourceARN: source.streamArn,
  });
}

export function toLambdaImage(image: Record<string, StreamAttributeValue>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(image)) out[name] = toLambdaValue(value);
  return out;
}

function toLambdaValue(value: StreamAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  throw new Error(`unsupported stream attribute value: ${JSON.stringify(value)}`);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
