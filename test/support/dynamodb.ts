// Per-test-file tables on the shared DynamoDB Local: a unique name keeps files apart.
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoDb } from '../../local/dynamodb/client.ts';
import { ensureTable, type TableInfo } from '../../local/dynamodb/table.ts';
import { table as tableWiring } from '../../infra/wiring.ts';

export function dynamodbEndpoint(): string {
  return inject('dynamodbEndpoint');
}

export async function freshTable(prefix = 't'): Promise<TableInfo & { drop(): Promise<void> }> {
  const client = localDynamoDb(dynamodbEndpoint());
  const info = await ensureTable(client, tableWiring, `${prefix}-${randomUUID().slice(0, 8)}`);
  return {
    ...info,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: info.tableName }));
    },
  };
}
