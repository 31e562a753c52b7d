// One NodejsFunction per wiring.functions entry, bundled by the local esbuild (no Docker), with its
// own role holding only what the wiring's grants name.
import { type CfnElement, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { GraphqlApi } from 'aws-cdk-lib/aws-appsync';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { acknowledge, wildcardFinding } from './nag.ts';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { functions, type FunctionName, type Grant, type QueueName } from '../wiring.ts';
import { pascalCase } from './names.ts';
import type { WiredQueues } from './queues.ts';
import { resolveEnvironment } from './refs.ts';

export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;
export const LAMBDA_ARCHITECTURE = Architecture.ARM_64;

// ESM output keeps top-level await and `import.meta` working; the banner gives bundled CommonJS
// dependencies the `require` they expect.
const ESM_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export interface WiredFunctionsProps {
  root: string;
  table: TableV2;
  queues: WiredQueues;
  api: GraphqlApi;
  /** Mutation fields `api:publish` allows: the IAM-only publish mutations. */
  publishFields: string[];
  removalPolicy: RemovalPolicy;
  /** Reserve each function's wiring concurrency (default true); accounts with a small quota opt out. */
  reserveConcurrency?: boolean;
}

export class WiredFunctions extends Construct {
  readonly functions = new Map<FunctionName, NodejsFunction>();

  constructor(scope: Construct, id: string, props: WiredFunctionsProps) {
    super(scope, id);
    for (const [name, wiring] of Object.entries(functions) as Array<[FunctionName, (typeof functions)[FunctionName]]>) {
      const base = pascalCase(name);
      const logGroup = new LogGroup(this, `${base}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: props.removalPolicy });
      // An own role instead of the managed basic-execution policy: logs only to this function's group.
      const role = new Role(this, `${base}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
      logGroup.grantWrite(role);
      const fn = new NodejsFunction(this, base, {
        entry: join(props.root, wiring.entry),
        handler: 'handler',
        runtime: LAMBDA_RUNTIME,
        architecture: LAMBDA_ARCHITECTURE,
        timeout: Duration.seconds(wiring.timeoutSeconds),
        memorySize: wiring.memoryMb,
        reservedConcurrentExecutions: props.reserveConcurrency === false ? undefined : wiring.concurrency,
        environment: resolveEnvironment(wiring.environment, { table: props.table, queues: props.queues, api: props.api }),
        role,
        logGroup,
        tracing: Tracing.ACTIVE,
        projectRoot: props.root,
        depsLockFilePath: join(props.root, 'package-lock.json'),
        bundling: {
          format: OutputFormat.ESM,
          target: 'node22',
          mainFields: ['module', 'main'],
          banner: ESM_REQUIRE_BANNER,
          // Bundle the SDK too: the deployed code is the code the local runtime runs.
          externalModules: [],
          minify: true,
          keepNames: true,
        },
      });
      for (const grant of wiring.grants) applyGrant(fn, grant, props);
      acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', 'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) supports no resource-level permissions.');
      if (wiring.grants.some((g) => g.startsWith('table:'))) {
        acknowledge(role, wildcardFinding(props.table.node.defaultChild as CfnElement, '/index/*'), 'Queries by the table\'s GSIs.');
      }
      acknowledge(fn, 'AwsSolutions-L1', `${LAMBDA_RUNTIME.name} is the runtime the design fixes and the local runtime matches; moving up is a deliberate change.`);
      this.functions.set(name, fn);
    }
  }

  get(name: FunctionName): NodejsFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`function "${name}" is not in the wiring`);
    return fn;
  }
}

function applyGrant(fn: NodejsFunction, grant: Grant, props: WiredFunctionsProps): void {
  if (grant === 'table:read') {
    props.table.grantReadData(fn);
  } else if (grant === 'table:write') {
    props.table.grantWriteData(fn);
  } else if (grant === 'api:publish') {
    if (props.publishFields.length === 0) throw new Error('api:publish: the schema has no IAM-only mutation to publish through');
    props.api.grantMutation(fn, ...props.publishFields);
  } else {
    const [, queue, action] = grant.split(':') as [string, QueueName, string];
    if (action !== 'send') throw new Error(`unknown grant "${grant}"`);
    props.queues.get(queue).grantSendMessages(fn);
  }
}
