// The util objects are called from resolver code running in a node:vm context: values arrive from
// another realm (their Array/Object prototypes differ) and results must be plain data.
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { newEvaluationState } from '../../../../local/appsync/runtime/state.ts';
import { createExtensions, createRuntime, createUtil } from '../../../../local/appsync/util/index.ts';
import { createDynamoDbModule } from '../../../../local/appsync/util/dynamodb-module.ts';

function sandbox(kind: 'request' | 'response', parentTypeName: string) {
  const state = newEvaluationState(kind, parentTypeName);
  const context = createContext({
    util: createUtil(state, { authType: 'API Key Authorization', fieldName: 'f' }),
    runtime: createRuntime(state),
    extensions: createExtensions(state),
    ddb: createDynamoDbModule(),
  });
  return { state, run: (code: string): unknown => runInContext(`'use strict'; ${code}`, context) };
}

describe('called from another realm', () => {
  it('arrays and objects built inside the vm are understood', () => {
    const { run } = sandbox('request', 'Mutation');
    const out = run(`JSON.stringify([
      util.dynamodb.toDynamoDB({ a: [1, 'x', { b: true }] }),
      util.dynamodb.toNumberSet([1, 2]),
      ddb.update({ key: { id: 'a' }, update: { l: [ddb.operations.updateListItem('v', 0)] } }).update.expression,
      JSON.parse(util.transform.toDynamoDBFilterExpression({ and: [{ a: { in: [1, 2] } }] })).expression,
      util.transform.toSubscriptionFilter({ a: { eq: 1 } }, ['b']).filterGroup.length,
    ])`);
    expect(JSON.parse(out as string)).toEqual([
      { M: { a: { L: [{ N: 1 }, { S: 'x' }, { M: { b: { BOOL: true } } }] } } },
      { NS: [1, 2] },
      'SET #expName_1[0] = :expValue_1',
      '(#a IN (:and_0_a_in_0, :and_0_a_in_1))',
      1,
    ]);
  });

  it('extensions accept a filter built in the vm', () => {
    const { run, state } = sandbox('response', 'Subscription');
    run(`extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ providerId: { eq: 'p1' } }))`);
    expect(state.subscriptionFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'providerId', operator: 'eq', value: 'p1' }] }] });
  });

  it('results are plain JSON data with no functions', () => {
    const { run } = sandbox('request', 'Query');
    const value = run(`ddb.query({ query: { pk: { eq: 'x' } }, filter: { a: { size: { gt: 1 } } } })`);
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  });
});
