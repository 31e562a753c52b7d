// Condition expressions on PutItem/UpdateItem/DeleteItem and AppSync's Reject handling of failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbWire } from '../../../../../local/dynamodb/wire.ts';
import { createDynamoDbDataSource } from '../../../../../local/appsync/datasources/dynamodb/index.ts';
import { CCF_MESSAGE, dataSourceOnFreshTable, typed } from './support.ts';

let env: Awaited<ReturnType<typeof dataSourceOnFreshTable>>;
beforeAll(async () => {
  env = await dataSourceOnFreshTable('cond');
});
afterAll(async () => {
  await env.table.drop();
});

const notExists = { expression: 'attribute_not_exists(#pk)', expressionNames: { '#pk': 'PK' } };
const CCF = 'DynamoDB:ConditionalCheckFailedException';

describe('condition expressions', () => {
  it('writes when the condition holds', async () => {
    const outcome = await env.invoke({
      operation: 'PutItem',
      key: typed({ PK: 'c', SK: 'ok' }),
      attributeValues: typed({ v: 1 }),
      condition: notExists,
    });
    expect(outcome).toEqual({ result: { PK: 'c', SK: 'ok', v: 1 } });
  });

  it('PutItem: a failed condition whose current item equals the attempted one is a success', async () => {
    await env.seed({ PK: 'c', SK: 'same', v: 1, name: 'x' });
    const outcome = await env.invoke({
      operation: 'PutItem',
      key: typed({ PK: 'c', SK: 'same' }),
      attributeValues: typed({ name: 'x', v: 1 }),
      condition: notExists,
    });
    expect(outcome).toEqual({ result: { PK: 'c', SK: 'same', v: 1, name: 'x' } });
  });

  it('PutItem: equalsIgnore attributes do not count, and the current item is returned', async () => {
    await env.seed({ PK: 'c', SK: 'ignore', v: 1, updatedAt: 'old' });
    const outcome = await env.invoke({
      operation: 'PutItem',
      key: typed({ PK: 'c', SK: 'ignore' }),
      attributeValues: typed({ v: 1, updatedAt: 'new' }),
      condition: { ...notExists, equalsIgnore: ['updatedAt'] },
    });
    expect(outcome).toEqual({ result: { PK: 'c', SK: 'ignore', v: 1, updatedAt: 'old' } });
    expect((await env.read('c', 'ignore'))?.updatedAt).toEqual({ S: 'old' });
  });

  it('PutItem: a different current item is rejected with the current item in ctx.result', async () => {
    await env.seed({ PK: 'c', SK: 'diff', v: 1 });
    const outcome = await env.invoke({
      operation: 'PutItem',
      key: typed({ PK: 'c', SK: 'diff' }),
      attributeValues: typed({ v: 2 }),
      condition: notExists,
    });
    expect(outcome.error?.type).toBe(CCF);
    expect(outcome.error?.message).toMatch(CCF_MESSAGE);
    expect(outcome.result).toEqual({ PK: 'c', SK: 'diff', v: 1 });
    expect((await env.read('c', 'diff'))?.v).toEqual({ N: '1' });
  });

  it('PutItem: a condition failing on a missing item is rejected with a null ctx.result', async () => {
    const outcome = await env.invoke({
      operation: 'PutItem',
      key: typed({ PK: 'c', SK: 'absent' }),
      attributeValues: typed({ v: 1 }),
      condition: { expression: 'attribute_exists(PK)' },
    });
    expect(outcome.error?.type).toBe(CCF);
    expect(outcome.result).toBeNull();
    expect(await env.read('c', 'absent')).toBeUndefined();
  });

  it('UpdateItem: always rejected on a failed condition, with the current item', async () => {
    await env.seed({ PK: 'c', SK: 'upd', v: 3 });
    const outcome = await env.invoke({
      operation: 'UpdateItem',
      key: typed({ PK: 'c', SK: 'upd' }),
      update: { expression: 'SET v = :v', expressionValues: { ':v': { N: 3 } } },
      condition: { expression: 'v = :expected', expressionValues: { ':expected': { N: 99 } } },
    });
    expect(outcome.error?.type).toBe(CCF);
    expect(outcome.error?.message).toMatch(CCF_MESSAGE);
    expect(outcome.result).toEqual({ PK: 'c', SK: 'upd', v: 3 });
  });

  it('UpdateItem: one placeholder set shared by update and condition', async () => {
    await env.seed({ PK: 'c', SK: 'upd2', v: 3 });
    const outcome = await env.invoke({
      operation: 'UpdateItem',
      key: typed({ PK: 'c', SK: 'upd2' }),
      update: { expression: 'SET #v = :next', expressionNames: { '#v': 'v' }, expressionValues: { ':next': { N: 4 } } },
      condition: { expression: '#v = :expected', expressionNames: { '#v': 'v' }, expressionValues: { ':expected': { N: 3 } } },
    });
    expect(outcome).toEqual({ result: { PK: 'c', SK: 'upd2', v: 4 } });
  });

  it('DeleteItem: a failed condition on a missing item is a success', async () => {
    const outcome = await env.invoke({
      operation: 'DeleteItem',
      key: typed({ PK: 'c', SK: 'never' }),
      condition: { expression: 'attribute_exists(PK)' },
    });
    expect(outcome).toEqual({ result: null });
  });

  it('DeleteItem: a failed condition on an existing item is rejected and the item stays', async () => {
    await env.seed({ PK: 'c', SK: 'del', owner: 'ann' });
    const outcome = await env.invoke({
      operation: 'DeleteItem',
      key: typed({ PK: 'c', SK: 'del' }),
      condition: { expression: '#o = :o', expressionNames: { '#o': 'owner' }, expressionValues: { ':o': { S: 'bob' } } },
    });
    expect(outcome.error?.type).toBe(CCF);
    expect(outcome.result).toEqual({ PK: 'c', SK: 'del', owner: 'ann' });
    expect(await env.read('c', 'del')).toBeDefined();
  });

  it('an explicit Reject strategy and consistentRead:false re-read the item all the same', async () => {
    await env.seed({ PK: 'c', SK: 'weak', v: 1 });
    const outcome = await env.invoke({
      operation: 'PutItem',
      key: typed({ PK: 'c', SK: 'weak' }),
      attributeValues: typed({ v: 2 }),
      condition: { ...notExists, consistentRead: false, conditionalCheckFailedHandler: { strategy: 'Reject' } },
    });
    expect(outcome.error?.type).toBe(CCF);
    expect(outcome.result).toEqual({ PK: 'c', SK: 'weak', v: 1 });
  });

  it('the re-read after a failed condition is strongly consistent unless consistentRead is false', async () => {
    // The data source's own calls, as they go on the wire to DynamoDB Local.
    const reads: unknown[] = [];
    const dynamodb: DynamoDbWire = {
      call: (operation, input) => {
        if (operation === 'GetItem') reads.push(input);
        return env.dynamodb.call(operation, input);
      },
      close: () => undefined,
    };
    const dataSource = createDynamoDbDataSource({ dynamodb, tableName: env.table.tableName });
    await env.seed({ PK: 'c', SK: 'reread', v: 1 });
    const put = (condition: Record<string, unknown>) =>
      dataSource.invoke({ operation: 'PutItem', key: typed({ PK: 'c', SK: 'reread' }), attributeValues: typed({ v: 2 }), condition }, env.invocation);

    expect((await put(notExists)).error?.type).toBe(CCF);
    expect((await put({ ...notExists, consistentRead: false })).error?.type).toBe(CCF);
    expect(reads).toEqual([
      expect.objectContaining({ Key: { PK: { S: 'c' }, SK: { S: 'reread' } }, ConsistentRead: true }),
      expect.objectContaining({ Key: { PK: { S: 'c' }, SK: { S: 'reread' } }, ConsistentRead: false }),
    ]);
  });

  it("the Custom (Lambda) strategy is refused up front, and nothing is written", async () => {
    const outcome = await env.invoke({
      operation: 'PutItem',
      key: typed({ PK: 'c', SK: 'custom' }),
      attributeValues: typed({ v: 1 }),
      condition: { ...notExists, conditionalCheckFailedHandler: { strategy: 'Custom', lambdaArn: 'arn:aws:lambda:us-east-1:1:function:f' } },
    });
    expect(outcome.result).toBeNull();
    expect(outcome.error?.type).toBe('MappingTemplate');
    expect(outcome.error?.message).toMatch(/'Custom'.*not supported by the local AppSync runtime/);
    expect(await env.read('c', 'custom')).toBeUndefined();
  });
});
