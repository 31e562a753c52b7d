// Event source mappings from wiring.eventSources: SQS with partial batch failures; DynamoDB streams
// with filter criteria, bisect on error, bounded retries and an SQS on-failure destination.
import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { eventSources, functions as functionWiring, queues as queueWiring } from '../wiring.ts';
import type { WiredFunctions } from './functions.ts';
import type { WiredQueues } from './queues.ts';

export function addEventSources(functions: WiredFunctions, queues: WiredQueues, table: TableV2): void {
  for (const source of eventSources) {
    const fn = functions.get(source.function);
    if (source.kind === 'sqs') {
      const queue = queues.get(source.queue);
      // AWS refuses a mapping whose queue hides messages for less time than the function may run.
      if (queueWiring[source.queue].visibilityTimeoutSeconds < functionWiring[source.function].timeoutSeconds) {
        throw new Error(`queue "${source.queue}": visibility timeout is shorter than ${source.function}'s timeout`);
      }
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: source.batchSize,
          maxBatchingWindow: Duration.seconds(source.maxBatchingWindowSeconds),
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
