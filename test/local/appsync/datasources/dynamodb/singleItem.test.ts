// GetItem, PutItem, UpdateItem and DeleteItem against DynamoDB Local, without conditions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceOnFreshTable, typed } from './support.ts';

let env: Awaited<ReturnType<typeof dataSourceOnFreshTable>>;
beforeAll(async () => {
  env = await dataSourceOnFreshTable('single');
});
afterAll(async () => {
  await env.table.drop();
});

describe('single-item operations', () => {
  it('PutItem writes key + attributeValues and returns the written item as plain JSON', async () => {
    const outcome = await env.invoke({
      operation: 'PutItem',
      key: typed({ PK: 'p1', SK: 's1' }),
      attributeValues: { count: { N: 10 }, tags: { SS: ['a', 'b'] }, blob: { B: 'aGk=' }, gone: { NULL: null }, nested: { M: { n: { N: 1.5 } } } },
    });
    expect(outcome).toEqual({
      result: { PK: 'p1', SK: 's1', count: 10, tags: ['a', 'b'], blob: 'aGk=', gone: null, nested: { n: 1.5 } },
    });
    const stored = await env.read('p1', 's1');
    expect(stored?.count).toEqual({ N: '10' });
    expect(stored?.tags).toEqual({ SS: ['a', 'b'] });
  });

  it('GetItem returns the item, honours a projection, and null when missing', async () => {
    const key = typed({ PK: 'p1', SK: 's1' });
    const full = await env.invoke({ operation: 'GetItem', key, consistentRead: true });
    expect(full.error).toBeUndefined();
    expect(full.result).toMatchObject({ PK: 'p1', count: 10, tags: ['a', 'b'] });

    const projected = await env.invoke({
      operation: 'GetItem',
      key,
      consistentRead: true,
      projection: { expression: '#c, nested.n', expressionNames: { '#c': 'count' } },
    });
    expect(projected).toEqual({ result: { count: 10, nested: { n: 1.5 } } });

    const missing = await env.invoke({ operation: 'GetItem', key: typed({ PK: 'p1', SK: 'nope' }) });
    expect(missing).toEqual({ result: null });
  });

  it('UpdateItem returns the whole item after the update (ALL_NEW)', async () => {
    // The expression util.dynamodb's operations.increment(5) produces.
    const outcome = await env.invoke({
      operation: 'UpdateItem',
      key: typed({ PK: 'p1', SK: 's1' }),
      update: {
        expression: 'SET #expName_1 = #expName_1 + :expValue_1',
        expressionNames: { '#expName_1': 'count' },
        expressionValues: { ':expValue_1': { N: 5 } },
      },
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({ PK: 'p1', SK: 's1', count: 15, tags: ['a', 'b'] });
  });

  it('DeleteItem returns the deleted item, and null when there was none', async () => {
    const key = typed({ PK: 'p1', SK: 's1' });
    const deleted = await env.invoke({ operation: 'DeleteItem', key });
    expect(deleted.result).toMatchObject({ PK: 'p1', SK: 's1', count: 15 });
    expect(await env.read('p1', 's1')).toBeUndefined();
    expect(await env.invoke({ operation: 'DeleteItem', key })).toEqual({ result: null });
  });

  it('treats null optional fields as absent, as resolvers pass ctx.args through', async () => {
    await env.seed({ PK: 'p2', SK: 's', v: 1 });
    const outcome = await env.invoke({ operation: 'GetItem', key: typed({ PK: 'p2', SK: 's' }), consistentRead: null, projection: null });
    expect(outcome).toEqual({ result: { PK: 'p2', SK: 's', v: 1 } });
  });

  it('reports DynamoDB validation failures as DynamoDB:AmazonDynamoDBException in the SDK message format', async () => {
    const outcome = await env.invoke({ operation: 'GetItem', key: typed({ PK: 'only-partition-key' }) });
    expect(outcome.result).toBeNull();
    expect(outcome.error?.type).toBe('DynamoDB:AmazonDynamoDBException');
    expect(outcome.error?.message).toMatch(
      /^\S.* \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: \S+\)$/,
    );
  });
});
