import type { Action } from '../action.ts';
import { queueDoesNotExist } from '../errors.ts';
import { optionalString, requiredString } from '../input.ts';

export const getQueueUrl: Action = (input, { registry }) => {
  const name = requiredString(input, 'QueueName');
  const owner = optionalString(input, 'QueueOwnerAWSAccountId');
  const queue = owner === undefined || owner === registry.accountId ? registry.byName(name) : undefined;
  if (!queue) throw queueDoesNotExist();
  return { QueueUrl: queue.url };
};
