// The SQS → Lambda event source mapping, run locally the way Lambda's poller runs in AWS: it
// long-polls the queue (the local SQS in process, or any endpoint over HTTP: see
// event-source-calls.ts), invokes the function with a Lambda SQSEvent, and then
// - on success deletes the whole batch;
// - on a partial batch response (ReportBatchItemFailures) deletes all but the failed messages;
// - when the function throws (or the response is invalid) deletes nothing: the messages become
//   visible again after the queue's visibility timeout, and the queue's RedrivePolicy moves them
//   to the DLQ after maxReceiveCount receives.
// A message is deleted only after the invocation that carried it returned, and only with that
// receive's handle, so a deleted message is never handed to the function again.
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { readBatchResponse } from './batch-response.ts';
import { httpQueueCalls, inProcessQueueCalls } from './event-source-calls.ts';
import type { LocalSqs } from './index.ts';
import { toSqsEvent, toSqsRecord } from './lambda-event.ts';
import { MAX_BATCH_ENTRIES, MAX_RECEIVE_MESSAGES, MAX_WAIT_TIME_SECONDS } from './limits.ts';

export interface SqsEventSourceOptions {
  /** Where the queue lives: the local SQS of this process (called in process) or an SQS endpoint. */
  sqs: { local: LocalSqs } | { endpoint: string };
  queueUrl: string;
  /** 1–10, or up to 10,000 with a batching window of at least 1 s (Lambda's rule). */
  batchSize: number;
  /** 0–300 s: how long to gather messages for one batch. */
  maxBatchingWindowSeconds: number;
  /**
   * 2–1000: Lambda's bound on batches in flight. Locally one batch is in flight at a time, within
   * any bound; the value is checked as Lambda checks it, so a wiring AWS would refuse fails here too.
   */
  maxConcurrency?: number;
  reportBatchItemFailures: boolean;
  functionName: string;
  invoke: (event: SQSEvent) => Promise<unknown>;
  region: string;
  /** Invocation and polling failures; by default one line on stderr. */
  onError?: (error: unknown) => void;
}

export interface SqsEventSource {
  /** Stops polling and resolves once the batch in flight is invoked and settled. */
  stop(): Promise<void>;
}

/** Lambda's synchronous invocation payload limit; larger batches are invoked in parts. */
const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;
const MAX_BATCH_SIZE = 10_000;
const MAX_BATCHING_WINDOW_SECONDS = 300;
const MAX_CONCURRENCY = 1000;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;

function validate(options: SqsEventSourceOptions): void {
  const { batchSize, maxBatchingWindowSeconds: window } = options;
  if (!Number.isInteger(window) || window < 0 || window > MAX_BATCHING_WINDOW_SECONDS) {
    throw new Error(
      `SQS event source: maxBatchingWindowSeconds must be an integer from 0 to ${MAX_BATCHING_WINDOW_SECONDS}, got ${window}`
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new Error(`SQS event source: batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}, got ${batchSize}`);
  }
  if (batchSize > MAX_RECEIVE_MESSAGES && window < 1) {
    throw new Error('SQS event source: a batchSize above 10 needs maxBatchingWindowSeconds of at least 1, as in Lambda');
  }
  const { maxConcurrency } = options;
  if (maxConcurrency !== undefined && (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > MAX_CONCURRENCY)) {
    throw new Error(`SQS event source: maxConcurrency must be an integer from 2 to ${MAX_CONCURRENCY}, got ${maxConcurrency}`);
  }
  if (!options.functionName) throw new Error('SQS event source: functionName is required');
  for (const [name, url] of [
    ['endpoint', 'endpoint' in options.sqs ? options.sqs.endpoint : options.sqs.local.endpoint],
    ['queueUrl', options.queueUrl],
  ] as const) {
    if (!URL.canParse(url)) throw new Error(`SQS event source: ${name} is not a URL: "${url}"`);
  }
  if (typeof options.invoke !== 'function') throw new Error('SQS event source: invoke must be a function');
}

/** `{"Records":[]}`: the event around its records. */
const EMPTY_EVENT_BYTES = Buffer.byteLength(JSON.stringify({ Records: [] }));

/**
 * Splits a batch so that each invocation stays under Lambda's payload limit. It measures the event
 * records the function receives, not the received messages: a record is larger by its Lambda
 * fields (eventSourceARN, awsRegion, ... ~170 bytes), enough to push thousands of small messages over.
 */
function invocationParts(messages: Message[], arn: string, region: string): Message[][] {
  const parts: Message[][] = [];
  let current: Message[] = [];
  let bytes = EMPTY_EVENT_BYTES;
  for (const message of messages) {
    const size = Buffer.byteLength(JSON.stringify(toSqsRecord(message, arn, region)));
    // A record after the first adds a comma.
    if (current.length > 0 && bytes + 1 + size <= MAX_INVOKE_PAYLOAD_BYTES) {
      current.push(message);
      bytes += 1 + size;
      continue;
    }
    if (current.length > 0) parts.push(current);
    current = [message];
    bytes = EMPTY_EVENT_BYTES + size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  validate(options);
  const { queueUrl, functionName, region } = options;
  const report =
    options.onError ??
    ((error: unknown) => {
      process.stderr.write(`[sqs → ${functionName}] ${error instanceof Error ? error.message : String(error)}\n`);
    });
  const calls = 'local' in options.sqs ? inProcessQueueCalls(options.sqs.local, queueUrl) : httpQueueCalls(options.sqs.endpoint, queueUrl, region);
  const polling = new AbortController();
  let eventSourceArn: string | undefined;

  const receive = (max: number, waitSeconds: number): Promise<Message[]> => calls.receive(max, waitSeconds, polling.signal);

  /** One long poll, then, with a batching window, more receives until the batch is full. */
  async function collectBatch(): Promise<Message[]> {
    const batch = await receive(Math.min(MAX_RECEIVE_MESSAGES, options.batchSize), MAX_WAIT_TIME_SECONDS);
    if (batch.length === 0 || options.maxBatchingWindowSeconds === 0) return batch;
    const deadline = Date.now() + options.maxBatchingWindowSeconds * 1000;
    // Bounded by the deadline and the batch size; stop() ends it early.
    while (batch.length < options.batchSize && Date.now() < deadline && !polling.signal.aborted) {
      const waitSeconds = Math.min(MAX_WAIT_TIME_SECONDS, Math.ceil((deadline - Date.now()) / 1000));
      try {
        batch.push(...(await receive(Math.min(MAX_RECEIVE_MESSAGES, options.batchSize - batch.length), waitSeconds)));
      } catch (error) {
        // The messages gathered so far are invoked; they must not wait out a visibility timeout.
        if (!polling.signal.aborted) report(error);
        break;
      }
    }
    return batch;
  }

  async function deleteMessages(messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += MAX_BATCH_ENTRIES) {
      const chunk = messages.slice(start, start + MAX_BATCH_ENTRIES);
      try {
        const failed = await calls.deleteBatch(chunk.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })));
        for (const failure of failed) {
          report(new Error(`deleting message ${chunk[Number(failure.Id)]?.MessageId} failed: ${failure.Code}: ${failure.Message}`));
        }
      } catch (error) {
        // Undeleted messages come back after their visibility timeout: delivered again, not lost.
        report(error);
      }
    }
  }

  async function invokeAndSettle(messages: Message[], arn: string): Promise<void> {
    let response: unknown;
    try {
      response = await options.invoke(toSqsEvent(messages, arn, region));
    } catch (error) {
      report(error);
      return;
    }
    if (!options.reportBatchItemFailures) {
      await deleteMessages(messages);
      return;
    }
    const ids = new Set(messages.map((message) => message.MessageId ?? ''));
    const outcome = readBatchResponse(response, ids);
    if (outcome.kind === 'invalid') {
      report(new Error(`${functionName} returned an invalid batch response (${outcome.reason}); the whole batch is retried`));
      return;
    }
    await deleteMessages(messages.filter((message) => !outcome.messageIds.has(message.MessageId ?? '')));
  }

  async function queueArn(): Promise<string> {
    eventSourceArn ??= await calls.queueArn(polling.signal);
    if (!eventSourceArn) throw new Error(`queue ${queueUrl} reported no QueueArn`);
    return eventSourceArn;
  }

  async function run(): Promise<void> {
    let backoff = FIRST_BACKOFF_MS;
    // One long poll (at most 20 s) per pass; stop() aborts it and ends the loop.
    while (!polling.signal.aborted) {
      try {
        const arn = await queueArn();
        const batch = await collectBatch();
        for (const part of invocationParts(batch, arn, region)) await invokeAndSettle(part, arn);
        backoff = FIRST_BACKOFF_MS;
      } catch (error) {
        if (polling.signal.aborted) break;
        report(error);
        await sleep(backoff, polling.signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  const running = run();
  return {
    async stop() {
      polling.abort();
      await running;
      calls.close();
    },
  };
}
