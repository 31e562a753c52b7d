// Every ground-truth example of APPSYNC-NOTES §2 (recorded from AWS EvaluateCode), verbatim.
import { describe, expect, it } from 'vitest';
import { createDynamoDbModule } from '../../../../local/appsync/util/dynamodb-module.ts';
import { makeUtil, type Loose } from './helpers.ts';

const { util } = makeUtil();
const ddb: Loose = createDynamoDbModule();
const ops = ddb.operations;

describe('AppSync ground truth (APPSYNC-NOTES §2)', () => {
  it('util.dynamodb.toDynamoDB(12345) gives {"N":12345}: N is a JSON number', () => {
    expect(JSON.stringify(util.dynamodb.toDynamoDB(12345))).toBe('{"N":12345}');
  });

  it('toNumberSet([1,23,4.56]) gives {"NS":[1,23,4.56]}', () => {
    expect(JSON.stringify(util.dynamodb.toNumberSet([1, 23, 4.56]))).toBe('{"NS":[1,23,4.56]}');
  });

  it('toMapValues turns arrays into L, never a set', () => {
    expect(util.dynamodb.toMapValues({ foo: 'bar', baz: 1234, beep: ['boop'] }))
      .toEqual({ foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } });
  });

  it('toS3Object("foo","bar","baz")', () => {
    expect(util.dynamodb.toS3Object('foo', 'bar', 'baz')).toEqual({ S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' });
  });

  it('ddb.put({key:{id:"abc"},item:{value:10}})', () => {
    expect(ddb.put({ key: { id: 'abc' }, item: { value: 10 } }))
      .toEqual({ operation: 'PutItem', key: { id: { S: 'abc' } }, attributeValues: { value: { N: 10 } } });
  });

  it('ddb.scan({limit:10,nextToken:"abc"}) is passed through', () => {
    expect(ddb.scan({ limit: 10, nextToken: 'abc' })).toEqual({ operation: 'Scan', limit: 10, nextToken: 'abc' });
  });

  it('operations objects', () => {
    expect(ops.increment(10)).toEqual({ type: 'OPERATION_INCREMENT', by: 10 });
    expect(ops.add(1)).toEqual({ type: 'OPERATION_ADD', value: 1 });
    expect(ops.replace('x')).toEqual({ type: 'OPERATION_REPLACE', value: 'x' });
    expect(ops.append([1])).toEqual({ type: 'OPERATION_APPEND', items: [1] });
    expect(ops.prepend([1])).toEqual({ type: 'OPERATION_PREPEND', items: [1] });
    expect(ops.decrement(2)).toEqual({ type: 'OPERATION_DECREMENT', by: 2 });
  });

  it('ddb.update with increment', () => {
    expect(ddb.update({ key: { id: 'test' }, update: { age: ops.increment(10) } })).toEqual({
      operation: 'UpdateItem',
      key: { id: { S: 'test' } },
      update: {
        expression: 'SET #expName_1 = #expName_1 + :expValue_1',
        expressionNames: { '#expName_1': 'age' },
        expressionValues: { ':expValue_1': { N: 10 } },
      },
    });
  });

  it.each([
    ['add', ops.add(5), 'SET #expName_1 = :expValue_1'],
    ['replace', ops.replace(5), 'SET #expName_1 = :expValue_1'],
    ['decrement', ops.decrement(5), 'SET #expName_1 = #expName_1 - :expValue_1'],
    ['append', ops.append([5]), 'SET #expName_1 = list_append(#expName_1, :expValue_1)'],
    ['prepend', ops.prepend([5]), 'SET #expName_1 = list_append(:expValue_1, #expName_1)'],
  ])('ddb.update with %s', (_name, op, expression) => {
    expect(ddb.update({ key: { id: 'test' }, update: { n: op } }).update.expression).toBe(expression);
  });

  it('toDynamoDBFilterExpression({title:{contains:"Hello World"}})', () => {
    expect(util.transform.toDynamoDBFilterExpression({ title: { contains: 'Hello World' } })).toBe(
      '{"expression":"(contains(#title,:title_contains))","expressionNames":{"#title":"title"},"expressionValues":{":title_contains":{"S":"Hello World"}}}',
    );
  });

  it('toDynamoDBConditionExpression({id:{attributeExists:true},version:{eq:10}})', () => {
    const parsed = JSON.parse(util.transform.toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } }));
    expect(parsed.expression).toBe('(attribute_exists(#id)) AND (#version = :version_eq)');
  });

  // Recorded from AWS EvaluateCode in a public project's test (SET actions joined with ", ").
  it('ddb.update with several plain values joins the SET actions with ", "', () => {
    const req = ddb.update({ key: { id: 'u1' }, update: { name: 'Toni Test', imageUrl: null, bio: 'The test bio' } });
    expect(req.update).toEqual({
      expression: 'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3',
      expressionNames: { '#expName_1': 'name', '#expName_2': 'imageUrl', '#expName_3': 'bio' },
      expressionValues: { ':expValue_1': { S: 'Toni Test' }, ':expValue_2': { NULL: null }, ':expValue_3': { S: 'The test bio' } },
    });
  });
});
