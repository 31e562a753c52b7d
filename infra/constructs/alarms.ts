// The stack's CloudWatch alarms, each with the one-line reason it exists, and the SNS topic they
// all notify on ALARM and on OK. Every alarm treats missing data as fine: Lambda, SQS and AppSync
// publish nothing while idle. The topic is encrypted with a key of its own: CloudWatch may not use
// SNS's AWS-managed key, so an alarm could not publish to a topic encrypted with it.
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { GraphqlApi } from 'aws-cdk-lib/aws-appsync';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { API_SETTINGS } from '../../functions/shared/model.ts';
import { api as apiWiring, eventSources, functions, queues as queueWiring, type FunctionName, type QueueName } from '../wiring.ts';
import type { WiredFunctions } from './functions.ts';
import { pascalCase } from './names.ts';
import type { WiredQueues } from './queues.ts';

/**
 * Why each function's errors matter. One error in a period raises the alarm: every function's
 * errors are faults (generate-slots answers a refused rule instead of throwing it, and the
 * consumers report a failed record per record).
 */
const FUNCTION_ERROR_REASONS: Record<FunctionName, string> = {
  'generate-slots': 'createAvailability is failing: providers cannot publish availability',
  'enqueue-booking': 'createBooking is failing: holds are given back and callers get errors',
  'booking-processor': 'booking messages are not being processed: bookings stay unwritten and hold deadlines are late',
  'expiry-processor': 'the TTL backstop that expires holds whose deadline message was lost is failing',
  'change-publisher': 'slot and booking changes are not reaching subscribers',
};

/** Why a lagging stream consumer matters; DynamoDB keeps stream records for 24 hours. */
const STREAM_LAG_REASONS: Partial<Record<FunctionName, string>> = {
  'expiry-processor': 'holds whose deadline message was lost stay held longer, and past 24 hours their stream records are gone',
  'change-publisher': 'subscribers get slot and booking changes late',
};

/** Stream consumers keep up within seconds; 5 minutes leaves room for a 2,000-slot rule's burst and a failing batch's retries. */
const ITERATOR_AGE_THRESHOLD = Duration.minutes(5);

/** 5XX are requests AppSync failed to execute (a resolver's GraphQL errors are not): a few, not a stray one. */
const API_5XX_THRESHOLD = 5;

/**
 * The age of the bookings queue's oldest message that means processing is late. A HoldDeadline is
 * sent with the hold as its delay and its age counts from the send, so it is that old when it
 * becomes visible; a failing message is seen again after each visibility timeout until the DLQ
 * takes it. Past both, a deadline is late whether or not SQS counts delayed messages in the metric.
 */
function bookingsAgeThresholdSeconds(): number {
  const hold = Number(apiWiring.environment.HOLD_SECONDS);
  const { min, max } = API_SETTINGS.HOLD_SECONDS;
  if (!Number.isInteger(hold) || hold < min || hold > max) {
    throw new Error(`api.environment.HOLD_SECONDS must be a whole number from ${min} to ${max}, got ${String(apiWiring.environment.HOLD_SECONDS)}`);
  }
  const { visibilityTimeoutSeconds, maxReceiveCount } = queueWiring.bookings;
  return hold + visibilityTimeoutSeconds * maxReceiveCount;
}

export interface SlotsyncAlarmsProps {
  functions: WiredFunctions;
  queues: WiredQueues;
  api: GraphqlApi;
  /** Throttles alarms are for reserved concurrency, the ceiling the wiring chose (default true). */
  reserveConcurrency?: boolean;
  /** Subscribed to the topic when given (`-c alarmEmail=...`, infra/context.ts). */
  email?: string;
}

export class SlotsyncAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms = new Map<string, Alarm>();

  constructor(scope: Construct, id: string, props: SlotsyncAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const key = new Key(this, 'TopicKey', {
      description: 'slotsync alarm notifications (SNS topic encryption)',
      enableKeyRotation: true,
      // SNS keeps no messages once delivered: nothing encrypted with the key outlives the topic.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', { displayName: 'slotsync alarms', masterKey: key, enforceSSL: true });
    // This account's alarms only (the topic policy replaces SNS's default, which allowed the account).
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const notify = new SnsAction(this.topic);

    const alarm = (alarmId: string, reason: string, metric: IMetric, threshold: number) => {
      const created = new Alarm(this, alarmId, {
        alarmDescription: reason,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.set(alarmId, created);
    };
    // Every alarm looks at 5-minute periods and fires on the first one past its threshold.
    const period = Duration.minutes(5);

    for (const name of Object.keys(functions) as FunctionName[]) {
      const fn = props.functions.get(name);
      const base = pascalCase(name);
      alarm(`${base}Errors`, `${name}: ${FUNCTION_ERROR_REASONS[name]}.`, fn.metricErrors({ period, statistic: 'Sum' }), 1);
      if (props.reserveConcurrency !== false) {
        alarm(
          `${base}Throttles`,
          `${name} was throttled at its reserved concurrency (${functions[name].concurrency}): calls failed or waited; raise it in the wiring or find the burst.`,
          fn.metricThrottles({ period, statistic: 'Sum' }),
          1,
        );
      }
    }

    for (const source of eventSources) {
      if (source.kind !== 'dynamodb-stream') continue;
      const reason = STREAM_LAG_REASONS[source.function];
      if (!reason) throw new Error(`stream consumer ${source.function} has no iterator-age reason in infra/constructs/alarms.ts`);
      // One mapping per consumer: the function's IteratorAge is its mapping's.
      alarm(
        `${pascalCase(source.function)}IteratorAge`,
        `${source.function} is ${ITERATOR_AGE_THRESHOLD.toMinutes()}+ minutes behind the table's stream; ${reason}.`,
        props.functions.get(source.function).metric('IteratorAge', { period, statistic: 'Maximum' }),
        ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      );
    }

    // Nothing consumes the queues where failures land (each DLQ, and each queue that is a failure
    // destination itself), and a stream failure record points at stream data gone after 24 hours.
    for (const name of Object.keys(queueWiring) as QueueName[]) {
      const dlq = props.queues.deadLetterQueues.get(name);
      const failures = dlq ?? props.queues.get(name);
      alarm(
        `${pascalCase(name)}FailedMessages`,
        `A message waits in ${dlq ? `the "${name}" queue's DLQ` : `"${name}", a failure destination`}: look at it before its retention ends.`,
        failures.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        1,
      );
    }

    const ageThreshold = bookingsAgeThresholdSeconds();
    alarm(
      'BookingsAge',
      `A "bookings" message has waited ${ageThreshold} s, past its hold length and retries: bookings and hold deadlines are being processed late.`,
      props.queues.get('bookings').metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
      ageThreshold,
    );

    alarm(
      'Api5xx',
      `AppSync failed to execute ${API_5XX_THRESHOLD}+ requests in 5 minutes (5XX: a fault of AppSync or of the API's setup, not a resolver's error).`,
      new Metric({ namespace: 'AWS/AppSync', metricName: '5XXError', dimensionsMap: { GraphQLAPIId: props.api.apiId }, period, statistic: 'Sum' }),
      API_5XX_THRESHOLD,
    );
  }
}
