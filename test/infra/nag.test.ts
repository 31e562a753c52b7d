// cdk-nag's AwsSolutions pack finds nothing unacknowledged in the stack, every acknowledgment
// carries a one-line reason, and CDK itself reports no errors or warnings.
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeRepoStack, type Synthesized } from './synth.ts';

let s: Synthesized;

beforeAll(async () => {
  s = await synthesizeRepoStack();
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding, error or warning', () => {
    const report = new AwsSolutionsChecks(s.app).validateScope(s.stack);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('justifies every acknowledgment in one line', () => {
    const acknowledged = s.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(reason.trim().length, id).toBeGreaterThan(20);
      expect(reason, id).not.toMatch(/\n/);
    }
  });

  it('still catches a finding nobody acknowledged', async () => {
    // Guards the test above: the pack runs on this stack's resources and reports what it sees.
    const { Queue } = await import('aws-cdk-lib/aws-sqs');
    const { Topic } = await import('aws-cdk-lib/aws-sns');
    const { Key } = await import('aws-cdk-lib/aws-kms');
    const { App, Stack } = await import('aws-cdk-lib');
    const app = new App();
    const stack = new Stack(app, 'Unacknowledged');
    new Queue(stack, 'PlainQueue');
    new Topic(stack, 'PlainTopic');
    new Key(stack, 'PlainKey');
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'AwsSolutions-SNS3', 'AwsSolutions-KMS5']),
    );
  });
});

describe('CDK annotations', () => {
  it('has no errors or warnings on any construct of the stack', () => {
    const annotations = Annotations.fromStack(s.stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });
});
