import type { Action } from '../action.ts';
import { queueOf, stringList } from '../input.ts';
import { checkRequestedAttributeNames } from '../queue-attributes.ts';

export const getQueueAttributes: Action = (input, { registry, now }) => {
  const queue = queueOf(input, registry);
  const requested = stringList(input, 'AttributeNames');
  if (requested.length === 0) return {};
  checkRequestedAttributeNames(requested);
  const counts = queue.counts(now());
  const all: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
    ...Object.fromEntries(queue.attributes),
  };
  const wanted = requested.includes('All') ? Object.keys(all) : requested;
  const attributes = Object.fromEntries(wanted.filter((name) => name in all).map((name) => [name, all[name]]));
  return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
};
