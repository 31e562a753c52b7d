// Clients for the local DynamoDB endpoint. Local credentials: DynamoDB Local runs with -sharedDb,
// so any key pair reaches the same data.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbStreamsWire, createDynamoDbWire, type DynamoDbStreamsWire, type DynamoDbWire } from './wire.ts';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'slotsynclocal', secretAccessKey: 'slotsynclocalsecret' };

export function localDynamoDb(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
}

/** The stream pollers' connection to DynamoDB Streams (see wire.ts). */
export function localDynamoDbStreams(endpoint: string): DynamoDbStreamsWire {
  return createDynamoDbStreamsWire(endpoint, { accessKeyId: LOCAL_CREDENTIALS.accessKeyId, region: LOCAL_REGION, maxAttempts: 3 });
}

/** The AppSync DynamoDB data source's connection (see wire.ts for why it is not the SDK). */
export function localDynamoDbWire(endpoint: string): DynamoDbWire {
  return createDynamoDbWire(endpoint, { accessKeyId: LOCAL_CREDENTIALS.accessKeyId, region: LOCAL_REGION, maxAttempts: 3 });
}
