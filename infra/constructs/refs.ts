// Resolves the wiring's Refs to CloudFormation tokens: the same Refs resolve to local endpoints in
// the local server.
import type { GraphqlApi } from 'aws-cdk-lib/aws-appsync';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { EnvValue, Ref } from '../wiring.ts';
import type { WiredQueues } from './queues.ts';

export interface RefTargets {
  table: TableV2;
  queues: WiredQueues;
  /** Absent while the API itself is being built: its own environment cannot refer to it. */
  api?: GraphqlApi;
}

export function resolveRef(ref: Ref, targets: RefTargets): string {
  switch (ref.ref) {
    case 'table':
      if (ref.attr === 'name') return targets.table.tableName;
      if (ref.attr === 'arn') return targets.table.tableArn;
      if (!targets.table.tableStreamArn) throw new Error('the table has no stream, but the wiring refers to its stream ARN');
      return targets.table.tableStreamArn;
    case 'queue': {
      const queue = targets.queues.get(ref.queue);
      return ref.attr === 'url' ? queue.queueUrl : queue.queueArn;
    }
    case 'api':
      if (!targets.api) throw new Error('the API environment cannot refer to the API itself');
      return targets.api.graphqlUrl;
  }
}

export function resolveEnvironment(environment: Record<string, EnvValue>, targets: RefTargets): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, typeof value === 'string' ? value : resolveRef(value, targets)]),
  );
}
