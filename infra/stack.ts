// The slotsync stack: everything it creates is read from infra/wiring.ts, the schema and
// discoverResolvers(); nothing here names a table key, queue, function, batch size or resolver.
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnGraphQLApi } from 'aws-cdk-lib/aws-appsync';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { buildSchema } from 'graphql';
import { SlotsyncAlarms } from './constructs/alarms.ts';
import { ApiResolvers } from './constructs/api-resolvers.ts';
import { addEventSources } from './constructs/event-sources.ts';
import { WiredFunctions } from './constructs/functions.ts';
import { BookingApi } from './constructs/graphql-api.ts';
import { iamOnlyMutationFields } from './constructs/publish-fields.ts';
import { pascalCase } from './constructs/names.ts';
import { WiredQueues } from './constructs/queues.ts';
import { ApiRateLimit } from './constructs/rate-limit.ts';
import { BookingUserPool } from './constructs/user-pool.ts';
import { discoverResolvers, type ResolverSpec } from './resolvers.ts';
import { readSchemaSDL } from './schema.ts';
import { table as tableWiring } from './wiring.ts';

export interface SlotsyncStackProps extends StackProps {
  /** Repository root: schema, resolver and handler paths are relative to it. */
  root: string;
  /** Bundled resolver code keyed by entry (bundleResolverSpecs); bundling is async, stacks are not. */
  resolverCode: ReadonlyMap<string, string>;
  /** Defaults to discoverResolvers(root). */
  resolvers?: ResolverSpec[];
  /** Keep the table, user pool and logs when the stack is deleted (default true). */
  retainData?: boolean;
  /**
   * Reserve the wiring's per-function concurrency (default true). Reserving 80 executions needs an
   * account quota of at least 180; `-c reserveConcurrency=false` deploys to smaller accounts.
   */
  reserveConcurrency?: boolean;
  /** Subscribed to the alarm topic by email (`-c alarmEmail=...`); the recipient confirms it. */
  alarmEmail?: string;
}

export class SlotsyncStack extends Stack {
  readonly table: TableV2;
  readonly queues: WiredQueues;
  readonly users: BookingUserPool;
  readonly graphql: BookingApi;
  readonly functions: WiredFunctions;
  readonly resolvers: ApiResolvers;
  readonly rateLimit: ApiRateLimit;
  readonly alarms: SlotsyncAlarms;

  constructor(scope: Construct, id: string, props: SlotsyncStackProps) {
    super(scope, id, props);
    const retain = props.retainData ?? true;
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const schema = buildSchema(readSchemaSDL(props.root));
    const resolvers = props.resolvers ?? discoverResolvers(props.root, schema);

    const key = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new TableV2(this, 'Table', {
      partitionKey: key(tableWiring.partitionKey),
      sortKey: key(tableWiring.sortKey),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableWiring.ttlAttribute,
      dynamoStream: StreamViewType[tableWiring.streamView],
      globalSecondaryIndexes: tableWiring.globalSecondaryIndexes.map((gsi) => ({
        indexName: gsi.indexName,
        partitionKey: key(gsi.partitionKey),
        sortKey: key(gsi.sortKey),
      })),
      deletionProtection: retain,
      removalPolicy,
    });

    const queues = (this.queues = new WiredQueues(this, 'Queues'));
    const users = (this.users = new BookingUserPool(this, 'Users', { removalPolicy }));
    const api = (this.graphql = new BookingApi(this, 'GraphQL', {
      root: props.root,
      userPool: users.userPool,
      refs: { table: this.table, queues },
      removalPolicy,
    }));
    const functions = (this.functions = new WiredFunctions(this, 'Functions', {
      root: props.root,
      table: this.table,
      queues,
      api: api.api,
      publishFields: iamOnlyMutationFields(schema),
      removalPolicy,
      reserveConcurrency: props.reserveConcurrency,
    }));
    this.resolvers = new ApiResolvers(this, 'Resolvers', { api: api.api, table: this.table, functions, resolvers, code: props.resolverCode });
    addEventSources(functions, queues, this.table, { reserveConcurrency: props.reserveConcurrency });
    this.rateLimit = new ApiRateLimit(this, 'RateLimit', { apiArn: api.api.arn });
    const alarms = (this.alarms = new SlotsyncAlarms(this, 'Alarms', {
      functions,
      queues,
      api: api.api,
      reserveConcurrency: props.reserveConcurrency,
      email: props.alarmEmail,
    }));

    const output = (name: string, value: string, description: string) => new CfnOutput(this, name, { value, description });
    output('GraphqlUrl', api.api.graphqlUrl, 'GraphQL endpoint (HTTPS)');
    output('RealtimeUrl', (api.api.node.defaultChild as CfnGraphQLApi).attrRealtimeUrl, 'Real-time subscriptions endpoint (WSS)');
    output('GraphqlApiId', api.api.apiId, 'AppSync API id (aws appsync ... --api-id)');
    // API keys ship in public clients (x-api-key), as .slotsync/outputs.json gives the local one.
    output('ApiKey', api.apiKey.attrApiKey, 'API key for public reads; it expires 364 days after the last deploy (redeploy to extend)');
    output('ApiKeyId', api.apiKey.attrApiKeyId, 'API key id (aws appsync update-api-key --api-id <GraphqlApiId> --id <ApiKeyId>)');
    output('UserPoolId', users.userPool.userPoolId, 'Cognito user pool id');
    output('UserPoolClientId', users.client.userPoolClientId, 'Cognito user pool client id');
    output('Region', this.region, 'Region');
    output('TableName', this.table.tableName, 'DynamoDB table name');
    output('AlarmTopicArn', alarms.topic.topicArn, 'SNS topic every alarm notifies (aws sns subscribe --topic-arn <AlarmTopicArn> ...)');
    // What docs/RUNBOOK.md's steps name: where failed work waits, and the ARN a redrive starts from.
    for (const [name, queue] of queues.queues) {
      const base = pascalCase(name);
      output(`${base}QueueUrl`, queue.queueUrl, `SQS queue "${name}" (aws sqs receive-message --queue-url <${base}QueueUrl> ...)`);
      const dlq = queues.deadLetterQueues.get(name);
      if (!dlq) continue;
      output(`${base}DlqUrl`, dlq.queueUrl, `Dead-letter queue of "${name}"`);
      output(`${base}DlqArn`, dlq.queueArn, `Dead-letter queue of "${name}" (aws sqs start-message-move-task --source-arn <${base}DlqArn> redrives it)`);
    }
  }
}
