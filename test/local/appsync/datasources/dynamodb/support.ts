// A DynamoDB data source on a fresh table of the shared DynamoDB Local, and typed-value shorthands.
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoDb, localDynamoDbWire } from '../../../../../local/dynamodb/client.ts';
import { createDynamoDbDataSource } from '../../../../../local/appsync/datasources/dynamodb/index.ts';
import type { DataSourceOutcome } from '../../../../../local/appsync/datasources/types.ts';
import type { ResolverInvocation } from '../../../../../local/appsync/runtime/types.ts';
import { dynamodbEndpoint, freshTable } from '../../../../support/dynamodb.ts';

const invocation: ResolverInvocation = {
  arguments: {},
  source: null,
  identity: null,
  authType: 'API Key Authorization',
  request: { headers: {}, domainName: null },
  info: { fieldName: 'field', parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
};

export async function dataSourceOnFreshTable(prefix = 'ds') {
  const table = await freshTable(prefix);
  const client = localDynamoDb(dynamodbEndpoint());
  const dynamodb = localDynamoDbWire(dynamodbEndpoint());
  const dataSource = createDynamoDbDataSource({ dynamodb, tableName: table.tableName });
  return {
    table,
    client,
    dynamodb,
    dataSource,
    invoke: (request: unknown): Promise<DataSourceOutcome> => dataSource.invoke(request, invocation),
    /** Writes a raw SDK item, bypassing the data source. */
    seed: async (item: Record<string, unknown>) => {
      await client.send(new PutItemCommand({ TableName: table.tableName, Item: sdk(item) }));
    },
    /** Reads an item back as plain JSON through the SDK, bypassing the data source. */
    read: async (pk: string, sk: string) => {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: table.tableName, Key: sdk({ PK: pk, SK: sk }), ConsistentRead: true }),
      );
      return Item;
    },
    invocation,
  };
}

/** AppSync typed values the way util.dynamodb.toMapValues writes them: N as JSON numbers. */
export function typed(values: Record<string, string | number | boolean | null>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(values)) {
    if (typeof v === 'string') out[name] = { S: v };
    else if (typeof v === 'number') out[name] = { N: v };
    else if (typeof v === 'boolean') out[name] = { BOOL: v };
    else out[name] = { NULL: null };
  }
  return out;
}

/** The same values as SDK AttributeValues (N as strings), for seeding. */
export function sdk(values: Record<string, unknown>) {
  const out: Record<string, { S: string } | { N: string } | { BOOL: boolean }> = {};
  for (const [name, v] of Object.entries(values)) {
    if (typeof v === 'string') out[name] = { S: v };
    else if (typeof v === 'number') out[name] = { N: String(v) };
    else out[name] = { BOOL: Boolean(v) };
  }
  return out;
}

export const CCF_MESSAGE =
  /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: \S+\)$/;
