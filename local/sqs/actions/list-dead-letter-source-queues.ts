// ListDeadLetterSourceQueues: the queues whose RedrivePolicy targets this one, paged as ListQueues
// pages (queue-pages.ts; its errors' words for this action UNCONFIRMED). The member is `queueUrls`,
// lower-case and required, as the SDK model has it.
import type { Action } from '../action.ts';
import { queueOf } from '../input.ts';
import { queuePage } from '../queue-pages.ts';

export const listDeadLetterSourceQueues: Action = (input, { registry }) => {
  const queue = queueOf(input, registry);
  const names = registry.deadLetterSources(queue).map((source) => source.name);
  const { urls, nextToken } = queuePage(input, names, registry);
  return { queueUrls: urls, ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
};
