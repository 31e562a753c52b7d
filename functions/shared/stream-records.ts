// DynamoDB stream records (Lambda's event shape) → plain item images and facts about them.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

export function imageOf(record: DynamoDBRecord, which: 'NewImage' | 'OldImage'): Record<string, unknown> | null {
  const image = record.dynamodb?.[which];
  return image ? unmarshall(image as Record<string, AttributeValue>) : null;
}

/** A deletion made by DynamoDB's TTL process, as the stream marks it. */
export function isTtlDeletion(record: DynamoDBRecord): boolean {
  const identity = record.userIdentity as { type?: string; principalId?: string } | undefined;
  return record.eventName === 'REMOVE' && identity?.type === 'Service' && identity.principalId === 'dynamodb.amazonaws.com';
}

/** When the change happened: the record's ApproximateCreationDateTime (epoch seconds), else now. */
export function changeTimeMs(record: DynamoDBRecord): number {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : Date.now();
}
