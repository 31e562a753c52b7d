// SQS queues from wiring.queues: SSE, TLS-only, and a dead-letter queue for every queue that
// declares a maxReceiveCount. Every queue that holds failures (each DLQ, and each queue that is a
// failure destination itself) has an alarm as soon as a message waits there: nothing consumes
// them, and a stream failure record points at stream data that is gone after 24 hours.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { acknowledge } from './nag.ts';
import { Construct } from 'constructs';
import { queues, type QueueName } from '../wiring.ts';
import { pascalCase } from './names.ts';

export class WiredQueues extends Construct {
  readonly queues = new Map<QueueName, Queue>();
  readonly deadLetterQueues = new Map<QueueName, Queue>();
  /** By the queue whose failures they watch: its DLQ, or the queue itself when it is a failure destination. */
  readonly failureAlarms = new Map<QueueName, Alarm>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const [name, wiring] of Object.entries(queues) as Array<[QueueName, (typeof queues)[QueueName]]>) {
      const base = pascalCase(name);
      const dlq =
        wiring.maxReceiveCount > 0
          ? new Queue(this, `${base}Dlq`, {
              encryption: QueueEncryption.SQS_MANAGED,
              enforceSSL: true,
              retentionPeriod: Duration.seconds(wiring.dlqRetentionSeconds),
            })
          : undefined;
      const queue = new Queue(this, base, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(wiring.visibilityTimeoutSeconds),
        retentionPeriod: Duration.seconds(wiring.retentionSeconds),
        deadLetterQueue: dlq ? { queue: dlq, maxReceiveCount: wiring.maxReceiveCount } : undefined,
      });
      if (!dlq) {
        acknowledge(queue, 'AwsSolutions-SQS3', `Queue "${name}" is itself a failure destination (maxReceiveCount 0): nothing consumes it to fail.`);
      } else {
        this.deadLetterQueues.set(name, dlq);
      }
      const failures = dlq ?? queue;
      this.failureAlarms.set(
        name,
        new Alarm(this, `${base}FailuresAlarm`, {
          alarmDescription: `A message waits in ${dlq ? `the "${name}" queue's DLQ` : `"${name}", a failure destination`}: look at it before its retention ends.`,
          metric: failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      this.queues.set(name, queue);
    }
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue "${name}" is not in the wiring`);
    return queue;
  }
}
