import type { Action } from '../action.ts';
import { invalidParameterValue } from '../errors.ts';
import { parseQueueAttributes } from '../queue-attributes.ts';

export const createQueue: Action = (input, { registry, now }) => {
  const name = input.QueueName;
  if (typeof name !== 'string' || name.length === 0) {
    throw invalidParameterValue('Value for parameter QueueName is invalid. Reason: Must specify a queue name.');
  }
  const attributes = parseQueueAttributes(input.Attributes, (arn) => registry.byArn(arn) !== undefined);
  return { QueueUrl: registry.create(name, attributes, now()).url };
};
