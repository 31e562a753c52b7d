import type { Action } from '../action.ts';
import { queueOf, requiredInteger, requiredString } from '../input.ts';
import { checkVisibilityTimeout } from '../visibility.ts';

export const changeMessageVisibility: Action = (input, { registry, now }) => {
  const queue = queueOf(input, registry);
  const handle = requiredString(input, 'ReceiptHandle');
  const timeout = checkVisibilityTimeout(requiredInteger(input, 'VisibilityTimeout'));
  queue.changeVisibility(handle, timeout, now());
  return {};
};
