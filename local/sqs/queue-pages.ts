// The paging ListQueues and ListDeadLetterSourceQueues share: up to 1000 URLs; with MaxResults,
// pages carry a NextToken (the last name returned).
import type { Input } from './action.ts';
import { invalidParameterValue } from './errors.ts';
import { optionalInteger, optionalString } from './input.ts';
import { MAX_LIST_QUEUES_RESULTS } from './limits.ts';
import type { QueueRegistry } from './registry.ts';

export interface QueuePage {
  urls: string[];
  nextToken?: string;
}

/** The page of `names` (in order) that the request's MaxResults and NextToken ask for. */
export function queuePage(input: Input, names: readonly string[], registry: QueueRegistry): QueuePage {
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
  const rest = after === undefined ? names : names.filter((name) => name > after);
  const page = rest.slice(0, maxResults ?? MAX_LIST_QUEUES_RESULTS);
  const more = maxResults !== undefined && rest.length > page.length;
  return {
    urls: page.map((name) => registry.url(name)),
    ...(more ? { nextToken: Buffer.from(page[page.length - 1], 'utf8').toString('base64url') } : {}),
  };
}
