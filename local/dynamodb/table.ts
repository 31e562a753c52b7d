// Creates the single table from the wiring on DynamoDB Local (keys, GSIs, stream, TTL).
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableWiring } from '../../infra/wiring.ts';

export interface TableInfo {
  tableName: string;
  tableArn: string;
  streamArn: string;
}

export async function ensureTable(client: DynamoDBClient, wiring: TableWiring, tableName = wiring.name): Promise<TableInfo> {
  const existing = await describe(client, tableName);
  if (existing) return existing;

  const keyNames = new Set<string>([wiring.partitionKey, wiring.sortKey]);
  for (const gsi of wiring.globalSecondaryIndexes) {
    keyNames.add(gsi.partitionKey);
    keyNames.add(gsi.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: wiring.partitionKey, KeyType: 'HASH' },
        { AttributeName: wiring.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: wiring.globalSecondaryIndexes.map((gsi) => ({
        IndexName: gsi.indexName,
        KeySchema: [
          { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
          { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: wiring.streamView },
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: wiring.ttlAttribute, Enabled: true },
    }),
  );
  const created = await describe(client, tableName);
  if (!created) throw new Error(`table ${tableName} was created but cannot be described`);
  return created;
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableInfo | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.TableArn || !Table.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
    return { tableName, tableArn: Table.TableArn, streamArn: Table.LatestStreamArn };
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}
