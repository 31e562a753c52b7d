import type { Action } from '../action.ts';
import { missingParameter } from '../errors.ts';
import { queueOf } from '../input.ts';
import { parseQueueAttributes } from '../queue-attributes.ts';

export const setQueueAttributes: Action = (input, { registry, now }) => {
  const queue = queueOf(input, registry);
  if (input.Attributes === undefined || input.Attributes === null) throw missingParameter('Attributes');
  const attributes = parseQueueAttributes(input.Attributes, (arn) => registry.byArn(arn) !== undefined);
  for (const [name, value] of attributes) {
    // An empty RedrivePolicy or Policy removes it.
    if (value === '') queue.attributes.delete(name);
    else queue.attributes.set(name, value);
  }
  queue.lastModifiedAt = now();
  return {};
};
