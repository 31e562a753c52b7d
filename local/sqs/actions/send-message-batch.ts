import type { Action } from '../action.ts';
import { batchEntries, entryFailure, type BatchResultError } from '../batch.ts';
import { batchRequestTooLong } from '../errors.ts';
import { queueOf } from '../input.ts';
import { MAX_MESSAGE_SIZE } from '../limits.ts';
import { payloadSize, sendOne, type SentMessage } from '../send.ts';

export const sendMessageBatch: Action = (input, context) => {
  const queue = queueOf(input, context.registry);
  const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
  // The whole request is refused before any entry is sent.
  const total = entries.reduce((sum, entry) => sum + payloadSize(entry), 0);
  if (total > MAX_MESSAGE_SIZE) throw batchRequestTooLong(MAX_MESSAGE_SIZE, total);
  const Successful: Array<SentMessage & { Id: string }> = [];
  const Failed: BatchResultError[] = [];
  for (const entry of entries) {
    try {
      Successful.push({ Id: entry.Id, ...sendOne(queue, entry, context) });
    } catch (error) {
      Failed.push(entryFailure(entry.Id, error));
    }
  }
  return { Successful, Failed };
};
