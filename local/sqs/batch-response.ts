// Lambda's reading of a handler's partial batch response (ReportBatchItemFailures), per the
// Lambda Developer Guide: no response, no or an empty batchItemFailures list is complete
// success; a malformed list, an empty, null, missing or unknown itemIdentifier is complete
// failure (the whole batch is retried).

export type BatchOutcome = { kind: 'failed-items'; messageIds: Set<string> } | { kind: 'invalid'; reason: string };

export function readBatchResponse(response: unknown, batchMessageIds: ReadonlySet<string>): BatchOutcome {
  const none: BatchOutcome = { kind: 'failed-items', messageIds: new Set() };
  if (typeof response !== 'object' || response === null) return none;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return none;
  if (!Array.isArray(failures)) return { kind: 'invalid', reason: 'batchItemFailures is not a list' };
  const messageIds = new Set<string>();
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return { kind: 'invalid', reason: 'an itemIdentifier is missing, null or empty' };
    if (!batchMessageIds.has(id)) return { kind: 'invalid', reason: `itemIdentifier ${id} is not a message of the batch` };
    messageIds.add(id);
  }
  return { kind: 'failed-items', messageIds };
}
