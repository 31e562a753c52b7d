import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDynamoDbModule } from '../../../../local/appsync/util/dynamodb-module.ts';
import { utilErrorOf, type Loose } from './helpers.ts';

const ddb: Loose = createDynamoDbModule();
const ops = ddb.operations;

describe('@aws-appsync/utils/dynamodb single-item builders', () => {
  it('get passes its options through (recorded: get({key:{id:"id"}}))', () => {
    expect(ddb.get({ key: { id: 'id' } })).toEqual({ operation: 'GetItem', key: { id: { S: 'id' } } });
    expect(ddb.get({ key: { pk: 'a', sk: 2 }, consistentRead: true, projection: ['title', 'author.name'] })).toEqual({
      operation: 'GetItem',
      key: { pk: { S: 'a' }, sk: { N: 2 } },
      consistentRead: true,
      projection: {
        expression: '#projection_0, #projection_1.#projection_2',
        expressionNames: { '#projection_0': 'title', '#projection_1': 'author', '#projection_2': 'name' },
      },
    });
  });

  it('put renders its condition like toDynamoDBConditionExpression and keeps sync options', () => {
    expect(ddb.put({ key: { id: 'a' }, item: { n: 1 }, condition: { id: { attributeExists: false } }, _version: 2 })).toEqual({
      operation: 'PutItem',
      key: { id: { S: 'a' } },
      attributeValues: { n: { N: 1 } },
      condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {} },
      _version: 2,
    });
  });

  it('remove builds a DeleteItem; an empty condition is left out', () => {
    expect(ddb.remove({ key: { id: 'a' }, condition: {} })).toEqual({ operation: 'DeleteItem', key: { id: { S: 'a' } } });
    expect(ddb.remove({ key: { id: 'a' }, condition: { owner: { eq: 'u1' } } }).condition.expression).toBe('(#owner = :owner_eq)');
  });

  it('an unrenderable condition fails', () => {
    expect(utilErrorOf(() => ddb.put({ key: { id: 'a' }, item: {}, condition: { owner: 'u1' } })).message)
      .toBe('put(): the condition cannot be rendered as a DynamoDB expression');
  });
});

describe('update()', () => {
  it('joins SET actions with ", " and puts REMOVE after them', () => {
    const req = ddb.update({ key: { id: 'a' }, update: { title: 'x', notes: ops.remove(), count: ops.increment(), tags: ops.append(['t']) } });
    expect(req.update).toEqual({
      expression: 'SET #expName_1 = :expValue_1, #expName_3 = #expName_3 + :expValue_2, #expName_4 = list_append(#expName_4, :expValue_3) REMOVE #expName_2',
      expressionNames: { '#expName_1': 'title', '#expName_2': 'notes', '#expName_3': 'count', '#expName_4': 'tags' },
      expressionValues: { ':expValue_1': { S: 'x' }, ':expValue_2': { N: 1 }, ':expValue_3': { L: [{ S: 't' }] } },
    });
  });

  it('nested objects update nested paths; replace sets the whole value; list items by index', () => {
    const req = ddb.update({
      key: { id: 'a' },
      update: { address: { city: 'Paris' }, profile: ops.replace({ a: 1 }), friends: [ops.updateListItem('102', 1), ops.updateListItem('112', 2)] },
    });
    expect(req.update.expression).toBe('SET #expName_1.#expName_2 = :expValue_1, #expName_3 = :expValue_2, #expName_4[1] = :expValue_3, #expName_4[2] = :expValue_4');
    expect(req.update.expressionValues[':expValue_2']).toEqual({ M: { a: { N: 1 } } });
  });

  it('a REMOVE-only update has no SET clause', () => {
    expect(ddb.update({ key: { id: 'a' }, update: { x: ops.remove() } }).update.expression).toBe('REMOVE #expName_1');
  });

  // An undefined value names nothing to change (it would not survive JSON either); AppSync's exact
  // handling is not documented, so this pins the code: the attribute is skipped, with no placeholder.
  it('skips attributes whose value is undefined', () => {
    expect(ddb.update({ key: { id: 'a' }, update: { gone: undefined, title: 'x' } }).update).toEqual({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'title' },
      expressionValues: { ':expValue_1': { S: 'x' } },
    });
  });

  it('an empty update fails', () => {
    expect(utilErrorOf(() => ddb.update({ key: { id: 'a' }, update: {} })).message).toMatch(/names no attribute/);
  });

  it('property: n plain fields give n SET actions numbered 1..n', () => {
    const fields = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s !== '__proto__'), { minLength: 1, maxLength: 8 });
    fc.assert(fc.property(fields, (names) => {
      const update: Record<string, number> = Object.fromEntries(names.map((n, i) => [n, i]));
      const req = ddb.update({ key: { id: 'a' }, update });
      const expected = names.map((_n, i) => `#expName_${i + 1} = :expValue_${i + 1}`).join(', ');
      expect(req.update.expression).toBe(`SET ${expected}`);
      // Numbering follows the object's property order (integer-like keys first, as in any JS engine).
      Object.keys(update).forEach((n, i) => {
        expect(req.update.expressionNames[`#expName_${i + 1}`]).toBe(n);
        expect(req.update.expressionValues[`:expValue_${i + 1}`]).toEqual({ N: update[n] });
      });
    }));
  });
});

describe('reads', () => {
  it('query renders key conditions, filter and options', () => {
    const req = ddb.query({
      query: { pk: { eq: 'PROVIDER#p1' }, sk: { beginsWith: 'SLOT#' } },
      filter: { status: { eq: 'OPEN' } },
      index: 'byProvider', limit: 20, scanIndexForward: false, nextToken: null, select: 'ALL_ATTRIBUTES',
    });
    expect(req).toEqual({
      operation: 'Query',
      query: {
        expression: '(#pk = :pk_eq) AND (begins_with(#sk,:sk_beginsWith))',
        expressionNames: { '#pk': 'pk', '#sk': 'sk' },
        expressionValues: { ':pk_eq': { S: 'PROVIDER#p1' }, ':sk_beginsWith': { S: 'SLOT#' } },
      },
      filter: { expression: '(#status = :status_eq)', expressionNames: { '#status': 'status' }, expressionValues: { ':status_eq': { S: 'OPEN' } } },
      index: 'byProvider', limit: 20, scanIndexForward: false, nextToken: null, select: 'ALL_ATTRIBUTES',
    });
  });

  it('query refuses operators that are not key conditions', () => {
    expect(utilErrorOf(() => ddb.query({ query: { pk: { contains: 'x' } } })).message).toBe("query(): 'contains' is not a key condition operator");
  });

  it('scan with segments and sync', () => {
    expect(ddb.scan({ totalSegments: 4, segment: 1, filter: { a: { gt: 1 } } })).toEqual({
      operation: 'Scan', totalSegments: 4, segment: 1,
      filter: { expression: '(#a > :a_gt)', expressionNames: { '#a': 'a' }, expressionValues: { ':a_gt': { N: 1 } } },
    });
    expect(ddb.sync({ limit: 100, lastSync: 1700000000000 })).toEqual({ operation: 'Sync', limit: 100, lastSync: 1700000000000 });
  });
});

describe('batch and transactions', () => {
  it('batchGet / batchPut / batchDelete', () => {
    expect(ddb.batchGet({ tables: { slots: { keys: [{ id: 'a' }, { id: 'b' }], consistentRead: true } } })).toEqual({
      operation: 'BatchGetItem', tables: { slots: { keys: [{ id: { S: 'a' } }, { id: { S: 'b' } }], consistentRead: true } },
    });
    expect(ddb.batchPut({ tables: { slots: [{ id: 'a', n: 1 }] } })).toEqual({ operation: 'BatchPutItem', tables: { slots: [{ id: { S: 'a' }, n: { N: 1 } }] } });
    expect(ddb.batchDelete({ tables: { slots: [{ id: 'a' }] } })).toEqual({ operation: 'BatchDeleteItem', tables: { slots: [{ id: { S: 'a' } }] } });
  });

  it('transactGet and transactWrite', () => {
    expect(ddb.transactGet({ items: [{ table: 't', key: { id: 'a' } }] })).toEqual({ operation: 'TransactGetItems', transactItems: [{ table: 't', key: { id: { S: 'a' } } }] });
    const req = ddb.transactWrite({
      items: [
        { putItem: { table: 't', key: { id: 'a' }, item: { n: 1 }, condition: { id: { attributeExists: false } } } },
        { updateItem: { table: 't', key: { id: 'b' }, update: { n: ops.decrement(1) } } },
        { deleteItem: { table: 't', key: { id: 'c' } } },
        { conditionCheck: { table: 't', key: { id: 'd' }, condition: { status: { eq: 'OPEN' } } } },
      ],
    });
    expect(req.operation).toBe('TransactWriteItems');
    expect(req.transactItems.map((i: Loose) => i.operation)).toEqual(['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheck']);
    expect(req.transactItems[0]).toEqual({
      table: 't', operation: 'PutItem', key: { id: { S: 'a' } }, attributeValues: { n: { N: 1 } },
      condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {} },
    });
    expect(req.transactItems[1].update.expression).toBe('SET #expName_1 = #expName_1 - :expValue_1');
    expect(utilErrorOf(() => ddb.transactWrite({ items: [{ conditionCheck: { table: 't', key: { id: 'd' } } }] })).message).toMatch(/needs a condition/);
  });

  it('set helpers', () => {
    expect(ddb.toStringSet(['a'])).toEqual({ SS: ['a'] });
    expect(ddb.toNumberSet([1, 2.5])).toEqual({ NS: [1, 2.5] });
    expect(ddb.toBinarySet(['AA=='])).toEqual({ BS: ['AA=='] });
  });
});
