// The DynamoDB stream record as Lambda delivers it to a function, built from what the
// DynamoDB Streams API (GetRecords) returned on the wire: attribute values in DynamoDB JSON with
// binary as base64 and the creation time in epoch seconds, as Lambda passes them on, plus the
// region and stream ARN of the event source.
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, StreamRecord } from 'aws-lambda';
import type { Wire } from '../dynamodb/wire.ts';

/** A record as GetRecords answers it in JSON. */
export type StreamApiRecord = Wire<_Record>;

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
    ApproximateCreationDateTime: stream.ApproximateCreationDateTime,
    // The wire's DynamoDB JSON is Lambda's: images pass through as they came.
    Keys: stream.Keys as Record<string, AttributeValue>,
    NewImage: stream.NewImage as Record<string, AttributeValue> | undefined,
    OldImage: stream.OldImage as Record<string, AttributeValue> | undefined,
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

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
