// What Lambda does with one batch of stream records: invoke; on a function error retry in order
// (bisecting first when configured: splits do not count as retries); on a partial batch
// response checkpoint before the first failed record and retry from it; when the retries are
// used up, send the batch's description to the on-failure destination and move on. Throttles
// are retried without counting, as Lambda does for errors that happen before the function runs.
import { isThrottleOrServiceError } from '../lambda/errors.ts';
import { LambdaFunctionError } from '../lambda/types.ts';
import type { LambdaStreamRecord } from './record.ts';

export interface BatchPolicy {
  /** -1: retry until the records expire. */
  retryAttempts: number;
  bisectBatchOnError: boolean;
  reportBatchItemFailures: boolean;
}

export interface ExhaustedBatch {
  records: LambdaStreamRecord[];
  invokeCount: number;
  functionError?: string;
}

export interface BatchRunner {
  policy: BatchPolicy;
  invoke(event: { Records: LambdaStreamRecord[] }): Promise<unknown>;
  onExhausted(batch: ExhaustedBatch): Promise<void>;
  /** Waits ms, or less when the event source stops. */
  pause(ms: number): Promise<void>;
  stopped(): boolean;
  log(message: string): void;
  retryBaseDelayMs: number;
}

type Attempt =
  | { kind: 'success' }
  | { kind: 'partial'; fromIndex: number }
  | { kind: 'failed'; functionError?: string; bisect: boolean; reason: string }
  | { kind: 'throttled'; reason: string };

interface Work {
  records: LambdaStreamRecord[];
  retries: number;
  invokes: number;
}

/**
 * Resolves true once every record is processed or described on the on-failure destination; false
 * if the source stopped first (the batch is then read again after a restart).
 */
export async function runBatch(records: LambdaStreamRecord[], runner: BatchRunner): Promise<boolean> {
  const { policy } = runner;
  const queue: Work[] = [{ records, retries: 0, invokes: 0 }];
  let throttles = 0;
  while (queue.length > 0 && !runner.stopped()) {
    const work = queue[0];
    const attempt = await invokeOnce(work.records, runner);
    if (attempt.kind === 'throttled') {
      throttles++;
      runner.log(`invocation not started (${attempt.reason}); retrying`);
      await runner.pause(Math.min(100 * 2 ** Math.min(throttles, 6), 5000));
      continue;
    }
    throttles = 0;
    work.invokes++;
    if (attempt.kind === 'success') {
      queue.shift();
      continue;
    }
    if (attempt.kind === 'failed' && attempt.bisect && policy.bisectBatchOnError && work.records.length > 1) {
      const middle = Math.ceil(work.records.length / 2);
      runner.log(`batch of ${work.records.length} failed (${attempt.reason}); bisecting`);
      queue.splice(0, 1, { records: work.records.slice(0, middle), retries: work.retries, invokes: 0 }, {
        records: work.records.slice(middle),
        retries: work.retries,
        invokes: 0,
      });
      continue;
    }
    if (attempt.kind === 'partial') work.records = work.records.slice(attempt.fromIndex);
    work.retries++;
    const reason = attempt.kind === 'partial' ? `partial failure from ${work.records[0].dynamodb.SequenceNumber}` : attempt.reason;
    if (policy.retryAttempts >= 0 && work.retries > policy.retryAttempts) {
      runner.log(`batch of ${work.records.length} failed (${reason}); retries exhausted, sending to the on-failure destination`);
      queue.shift();
      await runner.onExhausted({
        records: work.records,
        invokeCount: work.invokes,
        functionError: attempt.kind === 'failed' ? attempt.functionError : undefined,
      });
      continue;
    }
    runner.log(`batch of ${work.records.length} failed (${reason}); retry ${work.retries}`);
    await runner.pause(Math.min(runner.retryBaseDelayMs * 2 ** (work.retries - 1), 5000));
  }
  return queue.length === 0;
}

async function invokeOnce(records: LambdaStreamRecord[], runner: BatchRunner): Promise<Attempt> {
  let result: unknown;
  try {
    result = await runner.invoke({ Records: records });
  } catch (err) {
    if (isThrottleOrServiceError(err)) return { kind: 'throttled', reason: (err as Error).name };
    const functionError = err instanceof LambdaFunctionError ? err.functionError : 'Unhandled';
    const reason = err instanceof LambdaFunctionError ? `${err.errorType}: ${err.errorMessage}` : String((err as Error)?.message ?? err);
    return { kind: 'failed', functionError, bisect: true, reason };
  }
  return runner.policy.reportBatchItemFailures ? readBatchItemFailures(result, records) : { kind: 'success' };
}

/**
 * Lambda's reading of a partial batch response: no response, a null or empty list is success; an
 * itemIdentifier that is empty, null or not a sequence number of the batch fails the whole batch.
 */
function readBatchItemFailures(result: unknown, records: LambdaStreamRecord[]): Attempt {
  if (typeof result !== 'object' || result === null) return { kind: 'success' };
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  const invalid = (why: string): Attempt => ({ kind: 'failed', bisect: false, reason: `invalid batchItemFailures: ${why}` });
  if (!Array.isArray(failures)) return invalid('not a list');
  if (failures.length === 0) return { kind: 'success' };
  let fromIndex = records.length;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return invalid('empty or missing itemIdentifier');
    const index = records.findIndex((record) => record.dynamodb.SequenceNumber === id);
    if (index < 0) return invalid(`itemIdentifier ${id} is not in the batch`);
    fromIndex = Math.min(fromIndex, index);
  }
  return { kind: 'partial', fromIndex };
}
