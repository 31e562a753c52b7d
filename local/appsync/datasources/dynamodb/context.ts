// What every operation handler gets: the client, the data source's table, the token sealer.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PageTokens } from './pageTokens.ts';

export interface OperationContext {
  client: DynamoDBClient;
  /** The data source's table: single-item operations, Query and Scan do not name one. */
  tableName: string;
  tokens: PageTokens;
}
