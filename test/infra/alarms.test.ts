// The stack's alarms: which metrics they watch at which thresholds, that every one notifies the
// encrypted, TLS-only topic on ALARM and on OK, and the optional email subscription from context.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { contextEmail } from '../../infra/context.ts';
import { SlotsyncStack } from '../../infra/stack.ts';
import { api as apiWiring, eventSources, functions, queues, type FunctionName, type QueueName } from '../../infra/wiring.ts';
import { logicalId, newApp, repoRoot, synthesizeRepoStack, type Synthesized } from './synth.ts';

type Json = Record<string, unknown>;
interface AlarmProps {
  Namespace: string;
  MetricName: string;
  Dimensions: Array<{ Name: string; Value: unknown }>;
  Statistic: string;
  Period: number;
  Threshold: number;
  EvaluationPeriods: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
  AlarmDescription: string;
}

let s: Synthesized;

beforeAll(async () => {
  s = await synthesizeRepoStack();
});

const alarmsOf = (template: Template) => Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties as AlarmProps);
const alarms = () => alarmsOf(s.template);
const ofType = (type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);
const topicId = () => logicalId(s.stack.alarms.topic);
const functionRef = (name: FunctionName) => ({ Ref: logicalId(s.stack.functions.get(name)) });
/** The one alarm on `metric` whose first dimension is `value`. */
function alarmOn(metric: string, value: unknown, template = s.template): AlarmProps {
  const found = alarmsOf(template).filter((a) => a.MetricName === metric && JSON.stringify(a.Dimensions[0].Value) === JSON.stringify(value));
  expect(found, `${metric} on ${JSON.stringify(value)}`).toHaveLength(1);
  return found[0];
}
const streamConsumers = eventSources.filter((e) => e.kind === 'dynamodb-stream').map((e) => e.function);

describe('alarms', () => {
  it('are exactly: per function Errors and Throttles, per stream consumer IteratorAge, failures, bookings age, AppSync 5XX', () => {
    const names = Object.keys(functions).length;
    expect(alarms()).toHaveLength(2 * names + streamConsumers.length + Object.keys(queues).length + 2);
    expect(streamConsumers.sort()).toEqual(['change-publisher', 'expiry-processor']);
  });

  it('all notify the topic on ALARM and on OK, fire on one 5-minute period, and take missing data as fine', () => {
    for (const a of alarms()) {
      expect(a.AlarmActions, a.MetricName).toEqual([{ Ref: topicId() }]);
      expect(a.OKActions, a.MetricName).toEqual([{ Ref: topicId() }]);
      // Idle Lambdas, queues and APIs publish no data points, which is no failure.
      expect(a).toMatchObject({ Period: 300, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
      expect(a.AlarmDescription.length, a.MetricName).toBeGreaterThan(20);
      expect(a.AlarmDescription).not.toMatch(/\n/);
    }
  });

  for (const name of Object.keys(functions) as FunctionName[]) {
    it(`${name}: Errors and Throttles`, () => {
      const errors = alarmOn('Errors', functionRef(name));
      expect(errors).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum' });
      // Every function's errors are faults: generate-slots answers a refused rule (test/functions/generate-slots).
      expect(errors.Threshold).toBe(1);
      expect(alarmOn('Throttles', functionRef(name))).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 1 });
    });
  }

  it('watch the stream consumers\' IteratorAge: 5 minutes behind (stream records last 24 hours)', () => {
    for (const name of streamConsumers) {
      expect(alarmOn('IteratorAge', functionRef(name)), name).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Maximum', Threshold: 5 * 60 * 1000 });
    }
    expect(alarms().filter((a) => a.MetricName === 'IteratorAge')).toHaveLength(streamConsumers.length);
  });

  it('raise an alarm when a message waits where failures land (each DLQ, each failure destination)', () => {
    const visible = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    const watched = visible.map((a) => (a.Dimensions[0].Value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]).sort();
    const expected = (Object.keys(queues) as QueueName[])
      .map((name) => logicalId(s.stack.queues.deadLetterQueues.get(name) ?? s.stack.queues.get(name)))
      .sort();
    expect(watched).toEqual(expected);
    expect(s.stack.queues.deadLetterQueues.has('bookings')).toBe(true);
    for (const a of visible) {
      // The most messages seen over 5 minutes: one is enough, nothing consumes these queues.
      expect(a).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 1 });
    }
  });

  it('watch the bookings queue\'s oldest message past its hold length and retries, not before', () => {
    const age = alarmOn('ApproximateAgeOfOldestMessage', { 'Fn::GetAtt': [logicalId(s.stack.queues.get('bookings')), 'QueueName'] });
    expect(age).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum' });
    // A HoldDeadline is as old as the hold (its delay) when it becomes visible, and a failing
    // message is seen again after each 60 s visibility timeout until its third receive.
    const hold = Number(apiWiring.environment.HOLD_SECONDS);
    expect(hold).toBe(300);
    expect(age.Threshold).toBe(hold + 3 * 60);
  });

  it('watch AppSync 5XXError on the API', () => {
    const api = alarmOn('5XXError', { 'Fn::GetAtt': [logicalId(s.stack.graphql.api), 'ApiId'] });
    expect(api).toMatchObject({ Namespace: 'AWS/AppSync', Statistic: 'Sum', Threshold: 5 });
    expect(api.Dimensions).toEqual([{ Name: 'GraphQLAPIId', Value: { 'Fn::GetAtt': [logicalId(s.stack.graphql.api), 'ApiId'] } }]);
  });

  it('has no Throttles alarms without reserved concurrency (small accounts), the rest unchanged', () => {
    const stack = new SlotsyncStack(newApp(), 'SlotsyncSmall', { root: repoRoot, resolvers: s.specs, resolverCode: s.code, reserveConcurrency: false });
    const small = alarmsOf(Template.fromStack(stack));
    expect(small.filter((a) => a.MetricName === 'Throttles')).toEqual([]);
    expect(small).toHaveLength(alarms().length - Object.keys(functions).length);
  });
});

describe('alarm topic', () => {
  it('is encrypted with a rotated key CloudWatch may use, and takes only TLS publishes and this account\'s alarms', () => {
    const [[, topic], ...others] = ofType('AWS::SNS::Topic');
    expect(others).toHaveLength(0);
    const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const key = s.resources[keyId];
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    // SNS's AWS-managed key would not do: its policy lets no CloudWatch alarm encrypt.
    const keyStatements = (key.Properties.KeyPolicy as { Statement: Json[] }).Statement;
    expect(keyStatements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
    const [[, policy]] = ofType('AWS::SNS::TopicPolicy');
    expect(policy.Properties.Topics).toEqual([{ Ref: topicId() }]);
    const statements = (policy.Properties.PolicyDocument as { Statement: Json[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const cloudwatch = statements.find((st) => JSON.stringify(st.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }));
    expect(cloudwatch).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: topicId() } });
    expect(JSON.stringify(cloudwatch!.Condition)).toContain(':alarm:*');
    expect(cloudwatch!.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  it('is an output, AlarmTopicArn', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: topicId() });
  });

  it('has an email subscription only when alarmEmail is given', () => {
    expect(ofType('AWS::SNS::Subscription')).toEqual([]);
    const stack = new SlotsyncStack(newApp(), 'SlotsyncMailed', { root: repoRoot, resolvers: s.specs, resolverCode: s.code, alarmEmail: 'ops@example.com' });
    const subscriptions = Object.values(Template.fromStack(stack).findResources('AWS::SNS::Subscription')).map((r) => r.Properties as Json);
    expect(subscriptions).toEqual([{ Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: logicalId(stack.alarms.topic) } }]);
  });
});

describe('-c alarmEmail', () => {
  it('reads one address, trimmed; unset or empty is none', () => {
    expect(contextEmail('alarmEmail', 'ops@example.com')).toBe('ops@example.com');
    expect(contextEmail('alarmEmail', ' ops+alarms@sub.example.org ')).toBe('ops+alarms@sub.example.org');
    for (const none of [undefined, null, '', '  ']) expect(contextEmail('alarmEmail', none)).toBeUndefined();
  });

  it('stops the synth on anything else, naming the flag and the value', () => {
    expect(() => contextEmail('alarmEmail', 'not-an-email')).toThrow('-c alarmEmail: "not-an-email" is not an email address');
    for (const bad of ['ops@example', '@example.com', 'ops@', 'ops @example.com', 'a@example.com,b@example.com', true, 42, ['ops@example.com']]) {
      expect(() => contextEmail('alarmEmail', bad), JSON.stringify(bad)).toThrow('is not an email address');
    }
  });
});
