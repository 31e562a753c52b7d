// cdk-nag v3 acknowledgments: each finding is acknowledged by its exact id on the construct that
// owns it (and so its children), with the one-line reason an auditor reads.
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The finding id cdk-nag's IAM5 reports for `<resource ARN><suffix>`, e.g. `/index/*` or `:*`. */
export function wildcardFinding(resource: CfnElement, suffix: string, attribute = 'Arn'): string {
  const logicalId = Stack.of(resource).resolve(resource.logicalId) as string;
  return `AwsSolutions-IAM5[Resource::<${logicalId}.${attribute}>${suffix}]`;
}
