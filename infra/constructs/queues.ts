// SQS queues from wiring.queues: SSE, TLS-only, and a dead-letter queue for every queue that
// declares a maxReceiveCount. The alarms on the queues where failures land are in alarms.ts.
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { acknowledge } from './nag.ts';
import { Construct } from 'constructs';
import { queues, type QueueName } from '../wiring.ts';
import { pascalCase } from './names.ts';

export class WiredQueues extends Construct {
  readonly queues = new Map<QueueName, Queue>();
  readonly deadLetterQueues = new Map<QueueName, Queue>();

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
      this.queues.set(name, queue);
    }
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue "${name}" is not in the wiring`);
    return queue;
  }
}
