// What every operation handler gets: the connection, the data source's table, the token sealer.
import type { DynamoDbWire } from '../../../dynamodb/wire.ts';
import type { PageTokens } from './pageTokens.ts';

export interface OperationContext {
  dynamodb: DynamoDbWire;
  /** The data source's table: single-item operations, Query and Scan do not name one. */
  tableName: string;
  tokens: PageTokens;
  /** The resolver or pipeline function calling (DataSourceCaller.resolver), '' when none is named. */
  caller: string;
}
