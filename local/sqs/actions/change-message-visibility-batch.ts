import type { Action } from '../action.ts';
import { batchEntries, entryFailure, type BatchResultError } from '../batch.ts';
import { queueOf, requiredInteger, requiredString } from '../input.ts';
import { checkVisibilityTimeout } from '../visibility.ts';

export const changeMessageVisibilityBatch: Action = (input, { registry, now }) => {
  const queue = queueOf(input, registry);
  const entries = batchEntries(input, 'ChangeMessageVisibilityBatchRequestEntry');
  const Successful: Array<{ Id: string }> = [];
  const Failed: BatchResultError[] = [];
  for (const entry of entries) {
    try {
      const handle = requiredString(entry, 'ReceiptHandle');
      queue.changeVisibility(handle, checkVisibilityTimeout(requiredInteger(entry, 'VisibilityTimeout')), now());
      Successful.push({ Id: entry.Id });
    } catch (error) {
      Failed.push(entryFailure(entry.Id, error));
    }
  }
  return { Successful, Failed };
};
