// ListQueues: up to 1000 URLs; with MaxResults, pages carry a NextToken (queue-pages.ts).
import type { Action } from '../action.ts';
import { optionalString } from '../input.ts';
import { queuePage } from '../queue-pages.ts';

export const listQueues: Action = (input, { registry }) => {
  const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
  const names = registry
    .list()
    .map((queue) => queue.name)
    .filter((name) => name.startsWith(prefix));
  const { urls, nextToken } = queuePage(input, names, registry);
  if (urls.length === 0) return {};
  return { QueueUrls: urls, ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
};
