import type { Action } from '../action.ts';
import { queueOf, requiredString } from '../input.ts';

export const deleteMessage: Action = (input, { registry, now }) => {
  const queue = queueOf(input, registry);
  queue.delete(requiredString(input, 'ReceiptHandle'), now());
  return {};
};
