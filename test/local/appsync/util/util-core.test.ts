import { describe, expect, it } from 'vitest';
import { newEvaluationState } from '../../../../local/appsync/runtime/state.ts';
import { createUtil } from '../../../../local/appsync/util/index.ts';
import { makeUtil, utilErrorOf, type Loose } from './helpers.ts';

describe('util.error / appendError / unauthorized / authType', () => {
  it('util.error stops with message, errorType, data and errorInfo', () => {
    const { util } = makeUtil();
    expect(utilErrorOf(() => util.error('Slot taken', 'Conflict', { id: 's1' }, { retry: false })))
      .toEqual({ message: 'Slot taken', errorType: 'Conflict', data: { id: 's1' }, errorInfo: { retry: false } });
  });

  it('util.error fills absent arguments with null', () => {
    const { util } = makeUtil();
    expect(utilErrorOf(() => util.error('boom'))).toEqual({ message: 'boom', errorType: null, data: null, errorInfo: null });
  });

  it('util.appendError records in order and does not interrupt', () => {
    const { util, state } = makeUtil();
    util.appendError('first');
    util.appendError('second', 'Warn', [1], 'info');
    expect(state.errors).toEqual([
      { message: 'first', errorType: null, data: null, errorInfo: null },
      { message: 'second', errorType: 'Warn', data: [1], errorInfo: 'info' },
    ]);
  });

  it('util.unauthorized names the field and type with errorType Unauthorized', () => {
    const { util } = makeUtil('request', 'Query');
    expect(utilErrorOf(() => util.unauthorized())).toEqual({
      message: 'Not Authorized to access getSlot on type Query', errorType: 'Unauthorized', data: null, errorInfo: null,
    });
  });

  it('util.authType returns the request\'s auth type', () => {
    const state = newEvaluationState('request', 'Mutation');
    const util: Loose = createUtil(state, { authType: 'User Pool Authorization' });
    expect(util.authType()).toBe('User Pool Authorization');
  });
});
