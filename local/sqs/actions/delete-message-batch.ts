import type { Action } from '../action.ts';
import { batchEntries, entryFailure, type BatchResultError } from '../batch.ts';
import { queueOf, requiredString } from '../input.ts';

export const deleteMessageBatch: Action = (input, { registry, now }) => {
  const queue = queueOf(input, registry);
  const entries = batchEntries(input, 'DeleteMessageBatchRequestEntry');
  const Successful: Array<{ Id: string }> = [];
  const Failed: BatchResultError[] = [];
  for (const entry of entries) {
    try {
      queue.delete(requiredString(entry, 'ReceiptHandle'), now());
      Successful.push({ Id: entry.Id });
    } catch (error) {
      Failed.push(entryFailure(entry.Id, error));
    }
  }
  return { Successful, Failed };
};
