// The wiring's queues and event source mappings, started on the local services: each SQS mapping
// polls its queue, each stream mapping polls the table's stream, and failed stream batches go to
// their on-failure queue, as Lambda's event source mappings do.
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EventSourceWiring, QueueWiring } from '../infra/wiring.ts';
import { LOCAL_REGION } from './dynamodb/client.ts';
import type { DynamoDbStreamsWire } from './dynamodb/wire.ts';
import type { LocalLambda } from './lambda/index.ts';
import { startSqsEventSource } from './sqs/event-source.ts';
import type { LocalSqs } from './sqs/index.ts';
import { startStreamEventSource, type StreamCheckpoints } from './streams/index.ts';
import type { TtlDeletionRegistry } from './ttl/registry.ts';

/** The local name of a queue's dead-letter queue (the CDK stack lets CloudFormation name it). */
export function deadLetterQueueName(queue: string): string {
  return `${queue}-dlq`;
}

/** Each queue of the wiring, with a `<name>-dlq` and its redrive policy where it has one. */
export async function createQueues(client: SQSClient, sqs: LocalSqs, queues: Record<string, QueueWiring>): Promise<void> {
  for (const [name, queue] of Object.entries(queues)) {
    const attributes: Record<string, string> = {
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(queue.retentionSeconds),
    };
    if (queue.maxReceiveCount > 0) {
      const dlq = deadLetterQueueName(name);
      await client.send(new CreateQueueCommand({ QueueName: dlq, Attributes: { MessageRetentionPeriod: String(queue.dlqRetentionSeconds) } }));
      attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: sqs.queueArn(dlq), maxReceiveCount: queue.maxReceiveCount });
    }
    await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  }
}

export interface EventSourceTargets {
  lambda: LocalLambda;
  sqs: LocalSqs;
  sqsClient: SQSClient;
  streams: DynamoDbStreamsWire;
  table: { tableName: string; streamArn: string };
  ttlDeletions: TtlDeletionRegistry;
  log: (line: string) => void;
  /** Checkpoints of the last run, by function: each stream mapping goes on from its own. */
  resume?: Record<string, StreamCheckpoints>;
  /** Told of each stream mapping once it runs, by function: whoever keeps their checkpoints. */
  onStreamMapping?: (functionName: string, mapping: { checkpoints(): StreamCheckpoints }) => void;
}

/**
 * Starts every mapping; `onStarted` receives each one's stop as soon as it runs, so a failure of
 * one still leaves the others stoppable. Resolves once all have started, rejects if any failed.
 */
export async function startEventSources(
  sources: readonly EventSourceWiring[],
  targets: EventSourceTargets,
  onStarted: (stop: () => Promise<void>) => void,
): Promise<void> {
  const { lambda, sqs, sqsClient } = targets;
  // Checkpoints are kept by function: one stream mapping each (the table has one stream).
  const streamFunctions = sources.filter((s) => s.kind === 'dynamodb-stream').map((s) => s.function);
  const twice = streamFunctions.find((name, i) => streamFunctions.indexOf(name) !== i);
  if (twice) throw new Error(`the wiring maps the table's stream to ${twice} twice; one stream mapping per function`);
  const streamSources: Array<Promise<void>> = [];
  for (const source of sources) {
    const invoke = (event: unknown) => lambda.invoke(source.function, event);
    if (source.kind === 'sqs') {
      const mapping = startSqsEventSource({
        sqs: { local: sqs },
        queueUrl: sqs.queueUrl(source.queue),
        batchSize: source.batchSize,
        maxBatchingWindowSeconds: source.maxBatchingWindowSeconds,
        maxConcurrency: source.maxConcurrency,
        reportBatchItemFailures: source.reportBatchItemFailures,
        functionName: source.function,
        invoke,
        region: LOCAL_REGION,
      });
      onStarted(() => mapping.stop());
    } else {
      const failureQueue = sqs.queueUrl(source.onFailureQueue);
      streamSources.push(
        startStreamEventSource({
          streams: targets.streams,
          streamArn: targets.table.streamArn,
          tableName: targets.table.tableName,
          source,
          invoke,
          sendToOnFailure: async (record) => {
            await sqsClient.send(new SendMessageCommand({ QueueUrl: failureQueue, MessageBody: JSON.stringify(record) }));
          },
          ttlDeletions: targets.ttlDeletions,
          region: LOCAL_REGION,
          functionArn: lambda.functionArn(source.function),
          log: targets.log,
          resume: targets.resume?.[source.function],
        }).then((mapping) => {
          targets.onStreamMapping?.(source.function, mapping);
          onStarted(() => mapping.stop());
        }),
      );
    }
  }
  // All settled before failing, so every mapping that did start can be stopped.
  const failed = (await Promise.allSettled(streamSources)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
