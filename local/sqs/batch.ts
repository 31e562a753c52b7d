// The checks every *Batch action makes before touching a message, and its per-entry results.
import type { Input } from './action.ts';
import { batchEntryIdsNotDistinct, emptyBatchRequest, invalidBatchEntryId, SqsError, tooManyEntriesInBatchRequest } from './errors.ts';
import { MAX_BATCH_ENTRIES, MAX_BATCH_ENTRY_ID_LENGTH } from './limits.ts';

const ENTRY_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_BATCH_ENTRY_ID_LENGTH}}$`);

export interface BatchEntry extends Input {
  Id: string;
}

export interface BatchResultError {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** Entries: 1 to 10, each an object with a valid, unique Id. */
export function batchEntries(input: Input, entryShape: string): BatchEntry[] {
  const raw = input.Entries;
  if (!Array.isArray(raw) || raw.length === 0) throw emptyBatchRequest(entryShape);
  if (raw.length > MAX_BATCH_ENTRIES) throw tooManyEntriesInBatchRequest(raw.length, MAX_BATCH_ENTRIES);
  const seen = new Set<string>();
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null || typeof entry.Id !== 'string' || !ENTRY_ID.test(entry.Id)) {
      throw invalidBatchEntryId();
    }
    if (seen.has(entry.Id)) throw batchEntryIdsNotDistinct(entry.Id);
    seen.add(entry.Id);
  }
  return raw as BatchEntry[];
}

/** A failed entry as SQS reports it; anything but an SqsError is a defect and propagates. */
export function entryFailure(id: string, error: unknown): BatchResultError {
  if (!(error instanceof SqsError)) throw error;
  return { Id: id, SenderFault: error.senderFault, Code: error.code, Message: error.message };
}
