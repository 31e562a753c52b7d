// Shared helpers for the util tests: a fresh util per test and the util.error entry a call raised.
import { expect } from 'vitest';
import { newEvaluationState, UtilErrorSignal, type AppSyncErrorEntry, type EvaluationState } from '../../../../local/appsync/runtime/state.ts';
import { createUtil } from '../../../../local/appsync/util/index.ts';

// The util surface is typed loosely at its boundary (it is called from sandboxed JS).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export function makeUtil(kind: 'request' | 'response' = 'request', parentTypeName = 'Query', now?: () => number): { util: Loose; state: EvaluationState } {
  const state = newEvaluationState(kind, parentTypeName);
  const util = createUtil(state, { authType: 'API Key Authorization', fieldName: 'getSlot', now });
  return { util, state };
}

export function utilErrorOf(fn: () => unknown): AppSyncErrorEntry {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UtilErrorSignal);
    return (err as UtilErrorSignal).entry;
  }
  throw new Error('expected a util error, but the call returned');
}
