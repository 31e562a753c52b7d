// TransactGetItems and TransactWriteItems, including cancelled transactions and their reasons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from '../../../../support/dynamodb.ts';
import { dataSourceOnFreshTable, typed } from './support.ts';

let env: Awaited<ReturnType<typeof dataSourceOnFreshTable>>;
let second: Awaited<ReturnType<typeof freshTable>>;
let A: string;
let B: string;

beforeAll(async () => {
  env = await dataSourceOnFreshTable('tx');
  second = await freshTable('tx2');
  A = env.table.tableName;
  B = second.tableName;
  await env.seed({ PK: 't', SK: 'existing', v: 1 });
  await env.seed({ PK: 't', SK: 'counter', n: 10 });
});
afterAll(async () => {
  await env.table.drop();
  await second.drop();
});

const key = (sk: string) => typed({ PK: 't', SK: sk });
const notExists = { expression: 'attribute_not_exists(PK)' };

describe('TransactWriteItems', () => {
  it('writes all items and returns their keys in request order', async () => {
    const outcome = await env.invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: A, operation: 'PutItem', key: key('new'), attributeValues: typed({ v: 5 }), condition: notExists },
        {
          table: A,
          operation: 'UpdateItem',
          key: key('counter'),
          update: { expression: 'SET #n = #n + :one', expressionNames: { '#n': 'n' }, expressionValues: { ':one': { N: 1 } } },
          condition: { expression: '#n = :ten', expressionNames: { '#n': 'n' }, expressionValues: { ':ten': { N: 10 } } },
        },
        { table: B, operation: 'PutItem', key: key('other'), attributeValues: typed({ w: 'x' }) },
        { table: A, operation: 'ConditionCheck', key: key('existing'), condition: { expression: 'attribute_exists(PK)' } },
      ],
    });
    expect(outcome).toEqual({
      result: {
        keys: [
          { PK: 't', SK: 'new' },
          { PK: 't', SK: 'counter' },
          { PK: 't', SK: 'other' },
          { PK: 't', SK: 'existing' },
        ],
        cancellationReasons: null,
      },
    });
    expect((await env.read('t', 'new'))?.v).toEqual({ N: '5' });
    expect((await env.read('t', 'counter'))?.n).toEqual({ N: '11' });
  });

  it('a failed condition cancels everything, with reasons in request order', async () => {
    const outcome = await env.invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: A, operation: 'PutItem', key: key('would-be'), attributeValues: typed({ v: 1 }) },
        { table: A, operation: 'PutItem', key: key('existing'), attributeValues: typed({ v: 2 }), condition: notExists },
        {
          table: A,
          operation: 'ConditionCheck',
          key: key('counter'),
          condition: { expression: 'n = :zero', expressionValues: { ':zero': { N: 0 } }, returnValuesOnConditionCheckFailure: false },
        },
        { table: A, operation: 'DeleteItem', key: key('new') },
      ],
    });
    expect(outcome.error?.type).toBe('DynamoDB:TransactionCanceledException');
    expect(outcome.error?.message).toMatch(
      /^Transaction cancelled, please refer cancellation reasons for specific reasons \[None, ConditionalCheckFailed, ConditionalCheckFailed, None\] \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: TransactionCanceledException; Request ID: \S+\)$/,
    );
    const result = outcome.result as { keys: unknown; cancellationReasons: Array<Record<string, unknown>> };
    expect(result.keys).toBeNull();
    expect(result.cancellationReasons).toHaveLength(4);
    expect(result.cancellationReasons[0]).toEqual({ type: 'None', message: 'None' });
    expect(result.cancellationReasons[1]).toEqual({
      item: { PK: 't', SK: 'existing', v: 1 },
      type: 'ConditionalCheckFailed',
      message: expect.stringMatching(/^The conditional request failed/),
    });
    expect(result.cancellationReasons[2]).not.toHaveProperty('item');
    expect(result.cancellationReasons[2].type).toBe('ConditionalCheckFailed');
    expect(result.cancellationReasons[3]).toEqual({ type: 'None', message: 'None' });

    expect(await env.read('t', 'would-be')).toBeUndefined();
    expect(await env.read('t', 'new')).toBeDefined();
    expect((await env.read('t', 'existing'))?.v).toEqual({ N: '1' });
  });

  it('refuses two operations on one item (DynamoDB validation), with both result fields present', async () => {
    const outcome = await env.invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: A, operation: 'PutItem', key: key('twice'), attributeValues: {} },
        { table: A, operation: 'DeleteItem', key: key('twice') },
      ],
    });
    expect(outcome.error?.type).toMatch(/^DynamoDB:/);
    expect(outcome.result).toEqual({ keys: null, cancellationReasons: null });
  });

  it('is limited to 100 items by DynamoDB', async () => {
    const transactItems = Array.from({ length: 101 }, (_, i) => ({
      table: A,
      operation: 'PutItem',
      key: key(`bulk${i}`),
      attributeValues: {},
    }));
    const outcome = await env.invoke({ operation: 'TransactWriteItems', transactItems });
    expect(outcome.error?.type).toBe('DynamoDB:AmazonDynamoDBException');
    expect(outcome.error?.message).toMatch(/100/);
    expect(await env.read('t', 'bulk0')).toBeUndefined();
  });

  it('requires a condition on ConditionCheck and a known operation on every item', async () => {
    const noCondition = await env.invoke({
      operation: 'TransactWriteItems',
      transactItems: [{ table: A, operation: 'ConditionCheck', key: key('existing') }],
    });
    expect(noCondition.error).toEqual({ type: 'MappingTemplate', message: "Value for field '$[transactItems][0][condition]' not found." });

    const wrongField = await env.invoke({
      operation: 'TransactWriteItems',
      transactItems: [{ table: A, operation: 'DeleteItem', key: key('existing'), attributeValues: {} }],
    });
    expect(wrongField.error).toEqual({ type: 'MappingTemplate', message: "Unsupported element '$[transactItems][0][attributeValues]'." });
  });
});

describe('TransactGetItems', () => {
  it('reads across tables in request order, null for missing items', async () => {
    const outcome = await env.invoke({
      operation: 'TransactGetItems',
      transactItems: [
        { table: A, key: key('counter') },
        { table: A, key: key('absent') },
        { table: B, key: key('other'), projection: { expression: 'w' } },
      ],
    });
    expect(outcome).toEqual({
      result: { items: [{ PK: 't', SK: 'counter', n: 11 }, null, { w: 'x' }], cancellationReasons: null },
    });
  });

  it('reports DynamoDB errors with both result fields present', async () => {
    const outcome = await env.invoke({ operation: 'TransactGetItems', transactItems: [{ table: 'no-such-table', key: key('x') }] });
    expect(outcome.error?.type).toMatch(/^DynamoDB:/);
    expect(outcome.result).toEqual({ items: null, cancellationReasons: null });
  });
});
