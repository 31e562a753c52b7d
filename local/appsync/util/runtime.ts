// The `runtime` global: runtime.earlyReturn(obj?, { skipTo }).
import { EarlyReturnSignal, type EvaluationState } from '../runtime/state.ts';
import { isPlainObject, utilFailure } from './errors.ts';

export function createRuntime(_state: EvaluationState): Record<string, unknown> {
  return {
    earlyReturn: (value?: unknown, options?: unknown): never => {
      let skipTo: 'END' | 'NEXT' | undefined;
      if (options !== undefined && options !== null) {
        const requested = isPlainObject(options) ? options.skipTo : undefined;
        if (requested !== undefined && requested !== 'END' && requested !== 'NEXT') {
          utilFailure("runtime.earlyReturn: skipTo must be 'END' or 'NEXT'");
        }
        skipTo = requested as 'END' | 'NEXT' | undefined;
      }
      throw new EarlyReturnSignal(value === undefined ? null : value, skipTo);
    },
  };
}
