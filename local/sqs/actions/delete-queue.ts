import type { Action } from '../action.ts';
import { queueOf } from '../input.ts';

export const deleteQueue: Action = (input, { registry, now }) => {
  registry.delete(queueOf(input, registry), now());
  return {};
};
