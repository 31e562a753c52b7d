import type { Action } from '../action.ts';
import { purgeQueueInProgress } from '../errors.ts';
import { queueOf } from '../input.ts';
import { PURGE_INTERVAL_MS } from '../limits.ts';

export const purgeQueue: Action = (input, { registry, now }) => {
  const queue = queueOf(input, registry);
  const at = now();
  if (queue.lastPurgeAt !== undefined && at - queue.lastPurgeAt < PURGE_INTERVAL_MS) throw purgeQueueInProgress(queue.name);
  queue.lastPurgeAt = at;
  queue.purge();
  return {};
};
