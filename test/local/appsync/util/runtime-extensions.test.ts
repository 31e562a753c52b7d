import { describe, expect, it } from 'vitest';
import { EarlyReturnSignal, newEvaluationState, newRequestScope, type EvaluationState } from '../../../../local/appsync/runtime/state.ts';
import { createExtensions, createRuntime } from '../../../../local/appsync/util/index.ts';
import { utilErrorOf, type Loose } from './helpers.ts';

function earlyReturnOf(fn: () => unknown): EarlyReturnSignal {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EarlyReturnSignal);
    return err as EarlyReturnSignal;
  }
  throw new Error('expected earlyReturn');
}

describe('runtime.earlyReturn', () => {
  const runtime: Loose = createRuntime(newEvaluationState('request', 'Query'));

  it('carries the value and skipTo', () => {
    const signal = earlyReturnOf(() => runtime.earlyReturn({ ok: true }, { skipTo: 'NEXT' }));
    expect(signal.value).toEqual({ ok: true });
    expect(signal.skipTo).toBe('NEXT');
  });

  it('defaults to a null value and no skipTo', () => {
    const signal = earlyReturnOf(() => runtime.earlyReturn());
    expect(signal.value).toBeNull();
    expect(signal.skipTo).toBeUndefined();
  });

  it('rejects an unknown skipTo', () => {
    expect(utilErrorOf(() => runtime.earlyReturn(1, { skipTo: 'LATER' })).message).toMatch(/skipTo must be 'END' or 'NEXT'/);
  });
});

describe('extensions', () => {
  const filter = { filterGroup: [{ filters: [{ fieldName: 'providerId', operator: 'eq', value: 'p1' }] }] };

  it('setSubscriptionFilter works in a subscription response handler and copies the filter', () => {
    const state = newEvaluationState('response', 'Subscription');
    const ext: Loose = createExtensions(state);
    ext.setSubscriptionFilter(filter);
    ext.setSubscriptionInvalidationFilter(filter);
    expect(state.subscriptionFilter).toEqual(filter);
    expect(state.subscriptionFilter).not.toBe(filter);
    expect(state.subscriptionInvalidationFilter).toEqual(filter);
  });

  it.each<[string, 'request' | 'response', string]>([
    ['setSubscriptionFilter', 'request', 'Subscription'],
    ['setSubscriptionFilter', 'response', 'Mutation'],
    ['setSubscriptionInvalidationFilter', 'request', 'Subscription'],
  ])('%s is refused in the %s handler of %s', (method, kind, type) => {
    const ext: Loose = createExtensions(newEvaluationState(kind, type));
    expect(utilErrorOf(() => ext[method](filter)).message).toBe(`extensions.${method} can only be used in the response handler of a Subscription resolver`);
  });

  it('rejects malformed filters and the documented limits', () => {
    const ext: Loose = createExtensions(newEvaluationState('response', 'Subscription'));
    expect(utilErrorOf(() => ext.setSubscriptionFilter({ filters: [] })).message).toMatch(/expected \{filterGroup/);
    const tooMany = { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'in', value: [1, 2, 3, 4, 5, 6] }] }] };
    expect(utilErrorOf(() => ext.setSubscriptionFilter(tooMany)).message).toMatch(/at most 5 values/);
    const deep = { filterGroup: [{ filters: [{ fieldName: 'a.b.c.d.e.f', operator: 'eq', value: 1 }] }] };
    expect(utilErrorOf(() => ext.setSubscriptionFilter(deep)).message).toMatch(/too deeply nested/);
  });

  it('invalidateSubscriptions: mutation response only, at most 5 distinct calls', () => {
    const state = newEvaluationState('response', 'Mutation');
    const ext: Loose = createExtensions(state);
    for (let i = 0; i < 5; i += 1) ext.invalidateSubscriptions({ subscriptionField: 'onSlotChanged', payload: { id: `s${i}` } });
    ext.invalidateSubscriptions({ subscriptionField: 'onSlotChanged', payload: { id: 's0' } });
    expect(state.invalidations).toHaveLength(5);
    expect(utilErrorOf(() => ext.invalidateSubscriptions({ subscriptionField: 'onSlotChanged', payload: { id: 's5' } })).message)
      .toBe('extensions.invalidateSubscriptions can be called at most 5 times per request');
    const inRequest: Loose = createExtensions(newEvaluationState('request', 'Mutation'));
    expect(utilErrorOf(() => inRequest.invalidateSubscriptions({ subscriptionField: 'x', payload: {} })).message)
      .toBe('extensions.invalidateSubscriptions can only be used in the response handler of a Mutation resolver');
  });

  it('invalidateSubscriptions: the 5 are per request, shared by every handler of it', () => {
    const request = newRequestScope();
    const first = newEvaluationState('response', 'Mutation', request);
    const second = newEvaluationState('response', 'Mutation', request);
    const call = (state: EvaluationState, id: string) =>
      (createExtensions(state) as Loose).invalidateSubscriptions({ subscriptionField: 'onSlotChanged', payload: { id } });
    for (const id of ['s0', 's1', 's2']) call(first, id);
    // A call the request already made counts once, in whichever handler made it first.
    call(second, 's2');
    call(second, 's3');
    call(second, 's4');
    expect(second.invalidations.map((i) => i.payload.id)).toEqual(['s3', 's4']);
    expect(utilErrorOf(() => call(second, 's5')).message).toBe('extensions.invalidateSubscriptions can be called at most 5 times per request');
    // Another request has its own 5.
    call(newEvaluationState('response', 'Mutation', newRequestScope()), 's5');
  });

  it('evictFromApiCache records evictions in mutations and is refused in queries', () => {
    const state = newEvaluationState('request', 'Mutation');
    const ext: Loose = createExtensions(state);
    ext.evictFromApiCache('Query', 'getSlot', { 'context.arguments.id': 's1' });
    expect(state.evictions).toEqual([{ typeName: 'Query', fieldName: 'getSlot', keyValues: { 'context.arguments.id': 's1' } }]);
    const query: Loose = createExtensions(newEvaluationState('response', 'Query'));
    expect(utilErrorOf(() => query.evictFromApiCache('Query', 'getSlot', {})).message).toBe('extensions.evictFromApiCache can only be used in a Mutation resolver');
  });
});
