// BatchGetItem, BatchPutItem and BatchDeleteItem across two tables, and DynamoDB's batch limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchGetItemCommandOutput, BatchWriteItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { localDynamoDbWire } from '../../../../../local/dynamodb/client.ts';
import type { DynamoDbWire } from '../../../../../local/dynamodb/wire.ts';
import { createDynamoDbDataSource } from '../../../../../local/appsync/datasources/dynamodb/index.ts';
import { dynamodbEndpoint, freshTable } from '../../../../support/dynamodb.ts';
import { dataSourceOnFreshTable, typed } from './support.ts';

let env: Awaited<ReturnType<typeof dataSourceOnFreshTable>>;
let second: Awaited<ReturnType<typeof freshTable>>;
let A: string;
let B: string;

beforeAll(async () => {
  env = await dataSourceOnFreshTable('batch');
  second = await freshTable('batch2');
  A = env.table.tableName;
  B = second.tableName;
});
afterAll(async () => {
  await env.table.drop();
  await second.drop();
});

const key = (pk: string, sk: string) => typed({ PK: pk, SK: sk });

describe('BatchPutItem', () => {
  it('writes items to several tables and returns them per table in request order', async () => {
    const outcome = await env.invoke({
      operation: 'BatchPutItem',
      tables: {
        [A]: [typed({ PK: 'b', SK: '1', v: 1 }), typed({ PK: 'b', SK: '2', v: 2 }), typed({ PK: 'b', SK: '3', v: 3 })],
        [B]: [typed({ PK: 'b', SK: '9', name: 'nine' })],
      },
    });
    expect(outcome).toEqual({
      result: {
        data: {
          [A]: [
            { PK: 'b', SK: '1', v: 1 },
            { PK: 'b', SK: '2', v: 2 },
            { PK: 'b', SK: '3', v: 3 },
          ],
          [B]: [{ PK: 'b', SK: '9', name: 'nine' }],
        },
        unprocessedItems: { [A]: [], [B]: [] },
      },
    });
    expect((await env.read('b', '2'))?.v).toEqual({ N: '2' });
  });

  it('is limited to 25 items by DynamoDB; nothing is written and every item is unprocessed', async () => {
    const items = Array.from({ length: 26 }, (_, i) => typed({ PK: 'many', SK: String(i) }));
    const outcome = await env.invoke({ operation: 'BatchPutItem', tables: { [A]: items } });
    expect(outcome.error?.type).toBe('DynamoDB:AmazonDynamoDBException');
    expect(outcome.error?.message).toMatch(/^Too many items requested for the BatchWriteItem call \(Service: AmazonDynamoDBv2;/);
    const result = outcome.result as { data: Record<string, unknown[]>; unprocessedItems: Record<string, unknown[]> };
    expect(result.data[A]).toEqual(Array(26).fill(null));
    expect(result.unprocessedItems[A]).toHaveLength(26);
    expect(await env.read('many', '0')).toBeUndefined();
  });
});

describe('BatchGetItem', () => {
  it('answers per table in request order, with null for missing items', async () => {
    const outcome = await env.invoke({
      operation: 'BatchGetItem',
      tables: {
        [A]: { keys: [key('b', '3'), key('b', 'missing'), key('b', '1')], consistentRead: true },
        [B]: { keys: [key('b', '9')] },
      },
    });
    expect(outcome).toEqual({
      result: {
        data: {
          [A]: [{ PK: 'b', SK: '3', v: 3 }, null, { PK: 'b', SK: '1', v: 1 }],
          [B]: [{ PK: 'b', SK: '9', name: 'nine' }],
        },
        unprocessedKeys: { [A]: [], [B]: [] },
      },
    });
  });

  it('matches items to keys even when the projection leaves the keys out', async () => {
    const outcome = await env.invoke({
      operation: 'BatchGetItem',
      tables: { [A]: { keys: [key('b', '2'), key('b', '1')], projection: { expression: '#v', expressionNames: { '#v': 'v' } } } },
    });
    expect(outcome.result).toEqual({ data: { [A]: [{ v: 2 }, { v: 1 }] }, unprocessedKeys: { [A]: [] } });
  });

  it('keeps key attributes the projection asks for', async () => {
    const outcome = await env.invoke({
      operation: 'BatchGetItem',
      tables: { [A]: { keys: [key('b', '2')], projection: { expression: 'SK, v' } } },
    });
    expect(outcome.result).toEqual({ data: { [A]: [{ SK: '2', v: 2 }] }, unprocessedKeys: { [A]: [] } });
  });

  it('is limited to 100 keys by DynamoDB', async () => {
    const keys = Array.from({ length: 101 }, (_, i) => key('many', String(i)));
    const outcome = await env.invoke({ operation: 'BatchGetItem', tables: { [A]: { keys } } });
    expect(outcome.error?.type).toBe('DynamoDB:AmazonDynamoDBException');
    expect(outcome.error?.message).toMatch(/^Too many items requested for the BatchGetItem call/);
    const result = outcome.result as { data: Record<string, unknown[]>; unprocessedKeys: Record<string, unknown[]> };
    expect(result.data[A]).toHaveLength(101);
    expect(result.unprocessedKeys[A][0]).toEqual({ PK: 'many', SK: '0' });
  });

  it('reports a table that does not exist', async () => {
    const outcome = await env.invoke({ operation: 'BatchGetItem', tables: { 'no-such-table': { keys: [key('b', '1')] } } });
    expect(outcome.error?.type).toBe('DynamoDB:ResourceNotFoundException');
  });
});

describe('BatchDeleteItem', () => {
  it('deletes and returns the keys (not the items) per table in request order', async () => {
    const outcome = await env.invoke({
      operation: 'BatchDeleteItem',
      tables: { [A]: [key('b', '1'), key('b', '2')], [B]: [key('b', '9')] },
    });
    expect(outcome).toEqual({
      result: {
        data: { [A]: [{ PK: 'b', SK: '1' }, { PK: 'b', SK: '2' }], [B]: [{ PK: 'b', SK: '9' }] },
        unprocessedKeys: { [A]: [], [B]: [] },
      },
    });
    expect(await env.read('b', '1')).toBeUndefined();
    expect((await env.read('b', '3'))?.v).toEqual({ N: '3' });
  });
});

// DynamoDB Local never leaves a batch partly unprocessed, real DynamoDB does under load. To cover
// that path, the real answer is rewritten on its way back: the one thing DynamoDB Local cannot do.
describe('partly processed batches', () => {
  function throttlingDataSource(rewrite: (output: Record<string, unknown>) => void) {
    const real = localDynamoDbWire(dynamodbEndpoint());
    const dynamodb: DynamoDbWire = {
      call: async (operation, input) => {
        const answer = await real.call(operation, input);
        rewrite(answer as Record<string, unknown>);
        return answer;
      },
      close: () => real.close(),
    };
    return createDynamoDbDataSource({ dynamodb, tableName: A });
  }

  it('BatchGetItem: an unprocessed key reads null in data and is listed in unprocessedKeys', async () => {
    const dataSource = throttlingDataSource((raw) => {
      const output = raw as unknown as BatchGetItemCommandOutput;
      const items = output.Responses?.[A] ?? [];
      const held = items.find((item) => item.SK.S === '3');
      if (!held) return;
      output.Responses = { [A]: items.filter((item) => item !== held) };
      output.UnprocessedKeys = { [A]: { Keys: [{ PK: held.PK, SK: held.SK }] } };
    });
    const outcome = await dataSource.invoke(
      { operation: 'BatchGetItem', tables: { [A]: { keys: [key('b', '3'), key('b', 'missing')] } } },
      env.invocation,
    );
    expect(outcome).toEqual({ result: { data: { [A]: [null, null] }, unprocessedKeys: { [A]: [{ PK: 'b', SK: '3' }] } } });
  });

  it('BatchPutItem: an unprocessed item reads null in data and is listed in unprocessedItems', async () => {
    const dataSource = throttlingDataSource((raw) => {
      const output = raw as unknown as BatchWriteItemCommandOutput;
      output.UnprocessedItems = { [A]: [{ PutRequest: { Item: { SK: { S: 'u2' }, PK: { S: 'u' }, v: { N: '2' } } } }] };
    });
    const outcome = await dataSource.invoke(
      { operation: 'BatchPutItem', tables: { [A]: [typed({ PK: 'u', SK: 'u1', v: 1 }), typed({ PK: 'u', SK: 'u2', v: 2 })] } },
      env.invocation,
    );
    expect(outcome).toEqual({
      result: {
        data: { [A]: [{ PK: 'u', SK: 'u1', v: 1 }, null] },
        unprocessedItems: { [A]: [{ PK: 'u', SK: 'u2', v: 2 }] },
      },
    });
  });
});
