// ListQueues: up to 1000 URLs; with MaxResults, pages carry a NextToken (the last name returned).
import type { Action } from '../action.ts';
import { invalidParameterValue } from '../errors.ts';
import { optionalInteger, optionalString } from '../input.ts';
import { MAX_LIST_QUEUES_RESULTS } from '../limits.ts';

export const listQueues: Action = (input, { registry }) => {
  const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
  const maxResults = optionalInteger(input, 'MaxResults');
  if (maxResults !== undefined && (maxResults < 1 || maxResults > MAX_LIST_QUEUES_RESULTS)) {
    throw invalidParameterValue(
      `Value ${maxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and ${MAX_LIST_QUEUES_RESULTS}.`
    );
  }
  const token = optionalString(input, 'NextToken');
  let after: string | undefined;
  if (token !== undefined) {
    if (maxResults === undefined)
      throw invalidParameterValue('MaxResults is a mandatory parameter when you provide a value for NextToken.');
    after = Buffer.from(token, 'base64url').toString('utf8');
    if (after.length === 0) throw invalidParameterValue('Invalid NextToken value.');
  }
  const names = registry
    .list()
    .map((queue) => queue.name)
    .filter((name) => name.startsWith(prefix) && (after === undefined || name > after));
  const page = names.slice(0, maxResults ?? MAX_LIST_QUEUES_RESULTS);
  if (page.length === 0) return {};
  const more = maxResults !== undefined && names.length > page.length;
  return {
    QueueUrls: page.map((name) => registry.url(name)),
    ...(more ? { NextToken: Buffer.from(page[page.length - 1], 'utf8').toString('base64url') } : {}),
  };
};
