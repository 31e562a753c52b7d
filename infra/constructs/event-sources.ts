// Event source mappings from wiring.eventSources: SQS with partial batch failures; DynamoDB streams
// with filter criteria, bisect on error, bounded retries and an SQS on-failure destination.
import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { eventSources, functions as functionWiring, queues as queueWiring, type EventSourceWiring } from '../wiring.ts';
import type { WiredFunctions } from './functions.ts';
import type { WiredQueues } from './queues.ts';

/** SQS's smallest maximum concurrency: what a trigger may take when no concurrency is reserved. */
export const MIN_SQS_MAX_CONCURRENCY = 2;

/**
 * `reserveConcurrency: false` (accounts with a small Lambda quota) also holds each SQS trigger to
 * SQS's minimum of 2: at the wiring's 10 it could take a 10-unit account's whole pool, and throttled
 * deliveries count towards maxReceiveCount, so messages would reach the DLQ unrun.
 */
export function addEventSources(functions: WiredFunctions, queues: WiredQueues, table: TableV2, options: { reserveConcurrency?: boolean } = {}): void {
  for (const source of eventSources) {
    const fn = functions.get(source.function);
    if (source.kind === 'sqs') {
      const queue = queues.get(source.queue);
      checkSqsSource(source);
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: source.batchSize,
          maxBatchingWindow: Duration.seconds(source.maxBatchingWindowSeconds),
          maxConcurrency: options.reserveConcurrency === false ? MIN_SQS_MAX_CONCURRENCY : source.maxConcurrency,
          reportBatchItemFailures: source.reportBatchItemFailures,
        }),
      );
      continue;
    }
    fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition[source.startingPosition],
        batchSize: source.batchSize,
        maxBatchingWindow: Duration.seconds(source.maxBatchingWindowSeconds),
        filters: source.filters.map((pattern) => FilterCriteria.filter(pattern)),
        bisectBatchOnError: source.bisectBatchOnError,
        retryAttempts: source.retryAttempts,
        reportBatchItemFailures: source.reportBatchItemFailures,
        onFailure: new SqsDlq(queues.get(source.onFailureQueue)),
      }),
    );
  }
}

/**
 * AWS's rules and advice for an SQS trigger: the queue must hide a message at least as long as the
 * function may run (AWS refuses the mapping otherwise), and should hide it six times as long, so
 * that retries after throttling do not run out its receives; at most the function's reserved
 * concurrency in flight, since each throttled delivery counts toward maxReceiveCount.
 */
export function checkSqsSource(source: Extract<EventSourceWiring, { kind: 'sqs' }>): void {
  const visibility = queueWiring[source.queue].visibilityTimeoutSeconds;
  const fn = functionWiring[source.function];
  if (visibility < 6 * fn.timeoutSeconds) {
    throw new Error(`queue "${source.queue}": visibility timeout ${visibility} s is under six times ${source.function}'s timeout (${fn.timeoutSeconds} s)`);
  }
  if (!Number.isInteger(source.maxConcurrency) || source.maxConcurrency < 2 || source.maxConcurrency > 1000) {
    throw new Error(`${source.function}'s SQS trigger: maxConcurrency must be an integer from 2 to 1000, got ${source.maxConcurrency}`);
  }
  if (source.maxConcurrency > fn.concurrency) {
    throw new Error(`${source.function}'s SQS trigger: maxConcurrency ${source.maxConcurrency} exceeds the function's concurrency ${fn.concurrency}`);
  }
}
