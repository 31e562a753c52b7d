// The wiring agreement (DESIGN §1): the synthesized stack and the plan the local server runs
// (local/plan.ts, the code from bundleAll) describe the same API. Both sides are reduced to one
// shape: resources by name, refs as symbols ("table.name", "queue.bookings.arn"), literals as is.
// Each part must be equal; a copy of the plan changed in one place must differ in that part only.
import { beforeAll, describe, expect, it } from 'vitest';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { PIPELINE_PASS_THROUGH_CODE } from '../../infra/bundle.ts';
import type { FunctionName, QueueName } from '../../infra/wiring.ts';
import { bundleAll } from '../../local/appsync/runtime/runner.ts';
import { planLocal, type LocalEndpoints, type LocalPlan } from '../../local/plan.ts';
import { logicalId, repoRoot, synthesizeRepoStack, type Synthesized } from './synth.ts';

type Json = Record<string, unknown>;

interface ResolverView {
  kind: string;
  runtime: string;
  dataSource: string | null;
  code: string;
  functions: Array<{ name: string; dataSource: string; runtime: string; code: string }>;
}
interface FunctionView {
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
  concurrency: number;
  environment: Record<string, string>;
}
interface EventSourceView {
  function: string;
  source: string;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  maxConcurrency: number | null;
  startingPosition: string | null;
  filters: unknown[] | null;
  retryAttempts: number | null;
  bisectBatchOnError: boolean | null;
  onFailure: string | null;
  reportBatchItemFailures: boolean;
}
interface QueueView {
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  deadLetter: { maxReceiveCount: number; retentionSeconds: number } | null;
}
interface View {
  resolvers: Record<string, ResolverView>;
  dataSources: Record<string, { kind: string; target: string | null }>;
  functions: Record<string, FunctionView>;
  eventSources: EventSourceView[];
  queues: Record<string, QueueView>;
  apiEnvironment: Record<string, string>;
  apiLimits: { queryDepthLimit: number; resolverCountLimit: number; introspection: string };
}
type Part = keyof View;
const PARTS: Part[] = ['resolvers', 'dataSources', 'functions', 'eventSources', 'queues', 'apiEnvironment', 'apiLimits'];

/** The only resolver runtime the local server executes. */
const APPSYNC_JS = 'APPSYNC_JS@1.0.0';
/** SQS's default, which both targets leave in place for dead-letter queues. */
const DEFAULT_VISIBILITY_TIMEOUT = 30;

// ---- the deployed side: the synthesized template -------------------------------------------

/** Logical id -> the symbol a ref to it stands for. */
function symbolsOf(s: Synthesized): { ref: Map<string, string>; getAtt: Map<string, string> } {
  const ref = new Map<string, string>();
  const getAtt = new Map<string, string>();
  const table = logicalId(s.stack.table);
  ref.set(table, 'table.name');
  getAtt.set(`${table}.Arn`, 'table.arn');
  getAtt.set(`${table}.StreamArn`, 'table.streamArn');
  for (const [name, queue] of s.stack.queues.queues) {
    ref.set(logicalId(queue), `queue.${name}.url`);
    getAtt.set(`${logicalId(queue)}.Arn`, `queue.${name}.arn`);
  }
  for (const [name, dlq] of s.stack.queues.deadLetterQueues) getAtt.set(`${logicalId(dlq)}.Arn`, `queue.${name}-dlq.arn`);
  for (const [name, fn] of s.stack.functions.functions) {
    ref.set(logicalId(fn), `function.${name}`);
    getAtt.set(`${logicalId(fn)}.Arn`, `function.${name}.arn`);
  }
  getAtt.set(`${logicalId(s.stack.graphql.api)}.GraphQLUrl`, 'api.graphqlUrl');
  return { ref, getAtt };
}

/**
 * The handler a NodejsFunction bundles. The template holds only an asset hash (bundling is skipped
 * in tests), so the entry is read from the asset's bundling options; a CDK upgrade that moves it
 * fails here by name, not silently.
 */
function deployedEntry(fn: NodejsFunction): string {
  const stage = fn.node.tryFindChild('Code')?.node.tryFindChild('Stage') as { fingerprintOptions?: { bundling?: { relativeEntryPath?: unknown } } } | undefined;
  const entry = stage?.fingerprintOptions?.bundling?.relativeEntryPath;
  if (typeof entry !== 'string') throw new Error(`${fn.node.path}: the asset's bundling options no longer carry relativeEntryPath`);
  return entry;
}

function deployedView(s: Synthesized): View {
  const symbols = symbolsOf(s);
  const symbol = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    const known = v.Ref !== undefined ? symbols.ref.get(v.Ref) : v['Fn::GetAtt'] ? symbols.getAtt.get(v['Fn::GetAtt'].join('.')) : undefined;
    return known ?? `unknown:${JSON.stringify(value)}`;
  };
  const resources = Object.entries(s.resources);
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
  const runtime = (p: Json) => {
    const r = p.Runtime as { Name?: string; RuntimeVersion?: string } | undefined;
    return `${r?.Name}@${r?.RuntimeVersion}`;
  };
  const env = (vars: unknown) => Object.fromEntries(Object.entries((vars ?? {}) as Json).map(([k, v]) => [k, symbol(v)]));

  const pipelineFunctions = new Map(ofType('AWS::AppSync::FunctionConfiguration').map(([id, r]) => [id, r.Properties]));
  const resolvers: View['resolvers'] = {};
  for (const [, { Properties: p }] of ofType('AWS::AppSync::Resolver')) {
    const functionIds = ((p.PipelineConfig as { Functions?: Array<{ 'Fn::GetAtt': [string, string] }> } | undefined)?.Functions ?? []).map((f) => f['Fn::GetAtt'][0]);
    resolvers[`${p.TypeName}.${p.FieldName}`] = {
      kind: String(p.Kind),
      runtime: runtime(p),
      dataSource: (p.DataSourceName as string | undefined) ?? null,
      code: String(p.Code),
      functions: functionIds.map((id) => {
        const fn = pipelineFunctions.get(id) ?? {};
        return { name: String(fn.Name), dataSource: String(fn.DataSourceName), runtime: runtime(fn), code: String(fn.Code) };
      }),
    };
  }

  const dataSources: View['dataSources'] = {};
  for (const [, { Properties: p }] of ofType('AWS::AppSync::DataSource')) {
    const target = (p.DynamoDBConfig as Json | undefined)?.TableName ?? (p.LambdaConfig as Json | undefined)?.LambdaFunctionArn;
    dataSources[String(p.Name)] = { kind: String(p.Type), target: target === undefined ? null : symbol(target) };
  }

  const functionNames = new Map([...s.stack.functions.functions].map(([name, fn]) => [logicalId(fn), name]));
  const functions: View['functions'] = {};
  for (const [id, { Properties: p }] of ofType('AWS::Lambda::Function')) {
    const name = functionNames.get(id);
    const fn = name && s.stack.functions.functions.get(name);
    functions[name ?? `unknown:${id}`] = {
      entry: fn ? deployedEntry(fn) : 'unknown',
      timeoutSeconds: Number(p.Timeout),
      memoryMb: Number(p.MemorySize),
      concurrency: Number(p.ReservedConcurrentExecutions),
      environment: env((p.Environment as Json | undefined)?.Variables),
    };
  }

  const eventSources = ofType('AWS::Lambda::EventSourceMapping').map(([, { Properties: p }]): EventSourceView => ({
    function: symbol(p.FunctionName).replace(/^function\./, ''),
    source: symbol(p.EventSourceArn),
    batchSize: Number(p.BatchSize),
    maxBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
    maxConcurrency: ((p.ScalingConfig as Json | undefined)?.MaximumConcurrency as number | undefined) ?? null,
    startingPosition: (p.StartingPosition as string | undefined) ?? null,
    filters: ((p.FilterCriteria as { Filters?: Array<{ Pattern: string }> } | undefined)?.Filters ?? null)?.map((f) => JSON.parse(f.Pattern) as unknown) ?? null,
    retryAttempts: (p.MaximumRetryAttempts as number | undefined) ?? null,
    bisectBatchOnError: (p.BisectBatchOnFunctionError as boolean | undefined) ?? null,
    onFailure: (() => {
      const destination = ((p.DestinationConfig as Json | undefined)?.OnFailure as Json | undefined)?.Destination;
      return destination === undefined ? null : symbol(destination);
    })(),
    reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
  }));

  const queueProps = new Map(ofType('AWS::SQS::Queue').map(([id, r]) => [id, r.Properties]));
  const queues: View['queues'] = {};
  for (const [id, p] of queueProps) {
    const name = symbol({ Ref: id }).replace(/^queue\.(.*)\.url$/, '$1');
    if ([...s.stack.queues.deadLetterQueues.values()].some((dlq) => logicalId(dlq) === id)) continue;
    const redrive = p.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] }; maxReceiveCount: number } | undefined;
    const dlq = redrive ? queueProps.get(redrive.deadLetterTargetArn['Fn::GetAtt'][0]) : undefined;
    queues[name] = {
      visibilityTimeoutSeconds: Number(p.VisibilityTimeout ?? DEFAULT_VISIBILITY_TIMEOUT),
      retentionSeconds: Number(p.MessageRetentionPeriod),
      deadLetter: redrive ? { maxReceiveCount: redrive.maxReceiveCount, retentionSeconds: Number(dlq?.MessageRetentionPeriod) } : null,
    };
  }

  const [api] = ofType('AWS::AppSync::GraphQLApi');
  // AppSync's meaning of an absent property: no depth limit, the 10,000 quota, introspection on.
  const apiProps = api?.[1].Properties ?? {};
  const apiLimits = {
    queryDepthLimit: Number(apiProps.QueryDepthLimit ?? 0),
    resolverCountLimit: Number(apiProps.ResolverCountLimit ?? 0),
    introspection: String(apiProps.IntrospectionConfig ?? 'ENABLED'),
  };
  return { resolvers, dataSources, functions, eventSources: sortSources(eventSources), queues, apiEnvironment: env(apiProps.EnvironmentVariables), apiLimits };
}

// ---- the local side: what local/server.ts runs -----------------------------------------------

/** Fake endpoints whose every value names the ref it resolves, so both sides compare as symbols. */
const LOCAL = 'local:';
const endpoints: LocalEndpoints = {
  tableName: `${LOCAL}table.name`,
  tableArn: `${LOCAL}table.arn`,
  streamArn: `${LOCAL}table.streamArn`,
  queueUrl: (name: QueueName) => `${LOCAL}queue.${name}.url`,
  queueArn: (name: QueueName) => `${LOCAL}queue.${name}.arn`,
  graphqlUrl: `${LOCAL}api.graphqlUrl`,
};
const localSymbol = (value: string) => (value.startsWith(LOCAL) ? value.slice(LOCAL.length) : value);

function localView(plan: LocalPlan, code: ReadonlyMap<string, string>): View {
  const codeOf = (entry: string | undefined) => (entry === undefined ? PIPELINE_PASS_THROUGH_CODE : (code.get(entry) ?? `missing bundle: ${entry}`));
  const resolvers: View['resolvers'] = {};
  for (const spec of plan.resolvers) {
    resolvers[`${spec.typeName}.${spec.fieldName}`] = {
      kind: spec.kind,
      runtime: APPSYNC_JS,
      dataSource: spec.kind === 'UNIT' ? (spec.dataSource ?? null) : null,
      code: codeOf(spec.entry),
      functions: spec.functions.map((fn) => ({ name: fn.name, dataSource: fn.dataSource, runtime: APPSYNC_JS, code: codeOf(fn.entry) })),
    };
  }
  // As local/server.ts builds them: DynamoDB on the plan's table, Lambda on the named function.
  const dataSources: View['dataSources'] = Object.fromEntries(
    Object.entries(plan.dataSources).map(([name, ds]) => [
      name,
      { kind: ds.kind, target: ds.kind === 'AMAZON_DYNAMODB' ? localSymbol(endpoints.tableName) : ds.kind === 'AWS_LAMBDA' ? `function.${ds.function}.arn` : null },
    ]),
  );
  const functions: View['functions'] = Object.fromEntries(
    Object.entries(plan.functions).map(([name, fn]) => [
      name,
      {
        entry: fn.entry,
        timeoutSeconds: fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
        concurrency: fn.concurrency,
        environment: Object.fromEntries(Object.entries(plan.functionEnvironments[name as FunctionName]).map(([k, v]) => [k, localSymbol(v)])),
      },
    ]),
  );
  const eventSources = plan.eventSources.map((source): EventSourceView =>
    source.kind === 'sqs'
      ? {
          function: source.function,
          source: localSymbol(endpoints.queueArn(source.queue)),
          batchSize: source.batchSize,
          maxBatchingWindowSeconds: source.maxBatchingWindowSeconds,
          maxConcurrency: source.maxConcurrency,
          startingPosition: null,
          filters: null,
          retryAttempts: null,
          bisectBatchOnError: null,
          onFailure: null,
          reportBatchItemFailures: source.reportBatchItemFailures,
        }
      : {
          function: source.function,
          source: localSymbol(endpoints.streamArn),
          batchSize: source.batchSize,
          maxBatchingWindowSeconds: source.maxBatchingWindowSeconds,
          maxConcurrency: null,
          startingPosition: source.startingPosition,
          filters: source.filters.length ? source.filters : null,
          retryAttempts: source.retryAttempts,
          bisectBatchOnError: source.bisectBatchOnError,
          onFailure: localSymbol(endpoints.queueArn(source.onFailureQueue)),
          reportBatchItemFailures: source.reportBatchItemFailures,
        },
  );
  // As local/server.ts creates them: a `<name>-dlq` wherever maxReceiveCount > 0.
  const queues: View['queues'] = Object.fromEntries(
    Object.entries(plan.queues).map(([name, q]) => [
      name,
      {
        visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
        retentionSeconds: q.retentionSeconds,
        deadLetter: q.maxReceiveCount > 0 ? { maxReceiveCount: q.maxReceiveCount, retentionSeconds: q.dlqRetentionSeconds } : null,
      },
    ]),
  );
  const apiEnvironment = Object.fromEntries(Object.entries(plan.apiEnvironment).map(([k, v]) => [k, localSymbol(v)]));
  // As local/server.ts builds its model: the plan's limits, enforced by the HTTP and real-time servers.
  const { queryDepthLimit, resolverCountLimit, introspection } = plan.apiLimits;
  return { resolvers, dataSources, functions, eventSources: sortSources(eventSources), queues, apiEnvironment, apiLimits: { queryDepthLimit, resolverCountLimit, introspection } };
}

function sortSources(sources: EventSourceView[]): EventSourceView[] {
  return [...sources].sort((a, b) => `${a.function} ${a.source}`.localeCompare(`${b.function} ${b.source}`));
}

// ---- the agreement ---------------------------------------------------------------------------

let deployed: View;
let plan: LocalPlan;
let code: Map<string, string>;

beforeAll(async () => {
  // No process overrides: HOLD_SECONDS in the runner's environment must not stand in for the wiring.
  plan = planLocal(repoRoot, endpoints, {});
  const [synthesized, bundled] = await Promise.all([synthesizeRepoStack(), bundleAll(repoRoot, plan.resolvers)]);
  deployed = deployedView(synthesized);
  code = bundled;
}, 120_000);

describe('the synthesized stack and the local plan agree', () => {
  it('on every resolver: field, kind, data source, pipeline functions in order, runtime and the exact code', () => {
    expect(Object.keys(deployed.resolvers).length).toBeGreaterThan(0);
    expect(Object.values(deployed.resolvers).some((r) => r.functions.length > 1)).toBe(true);
    expect(localView(plan, code).resolvers).toEqual(deployed.resolvers);
  });

  it('on every data source: name, kind and target', () => {
    expect(Object.keys(deployed.dataSources).length).toBeGreaterThan(0);
    expect(localView(plan, code).dataSources).toEqual(deployed.dataSources);
  });

  it('on every Lambda: handler entry, timeout, memory, concurrency, environment names and values', () => {
    expect(Object.keys(deployed.functions).length).toBeGreaterThan(0);
    expect(localView(plan, code).functions).toEqual(deployed.functions);
  });

  it('on every event source: function, queue or stream, batching, filters, retries, bisect, on-failure', () => {
    expect(deployed.eventSources.some((s) => s.filters !== null)).toBe(true);
    expect(localView(plan, code).eventSources).toEqual(deployed.eventSources);
  });

  it('on every queue: visibility timeout, retention and dead-letter redrive', () => {
    expect(localView(plan, code).queues).toEqual(deployed.queues);
  });

  it('on the API environment variables, names and values', () => {
    expect(Object.keys(deployed.apiEnvironment).length).toBeGreaterThan(0);
    expect(localView(plan, code).apiEnvironment).toEqual(deployed.apiEnvironment);
  });

  it('on the execution limits: query depth, resolver count, introspection', () => {
    expect(deployed.apiLimits.queryDepthLimit).toBeGreaterThan(0);
    expect(localView(plan, code).apiLimits).toEqual(deployed.apiLimits);
  });
});

// ---- drift is caught ---------------------------------------------------------------------------

type Drift = [string, Part, (plan: LocalPlan, code: Map<string, string>) => LocalPlan | void];

const firstPipeline = (p: LocalPlan) => {
  const spec = p.resolvers.find((r) => r.kind === 'PIPELINE' && r.functions.length > 1);
  if (!spec) throw new Error('no pipeline with two functions to drift');
  return spec;
};
const firstUnit = (p: LocalPlan) => {
  const spec = p.resolvers.find((r) => r.kind === 'UNIT');
  if (!spec) throw new Error('no unit resolver to drift');
  return spec;
};
const firstStream = (p: LocalPlan) => {
  const source = p.eventSources.find((s) => s.kind === 'dynamodb-stream');
  if (!source || source.kind !== 'dynamodb-stream') throw new Error('no stream event source to drift');
  return source;
};

const DRIFTS: Drift[] = [
  ['a resolver only the local server has', 'resolvers', (p) => void p.resolvers.push({ ...firstUnit(p), fieldName: 'localOnly' })],
  ['a resolver on another data source', 'resolvers', (p) => void (firstUnit(p).dataSource = 'NONE')],
  ['pipeline functions in another order', 'resolvers', (p) => void firstPipeline(p).functions.reverse()],
  ['resolver code that differs from the deployed bundle', 'resolvers', (p, c) => void c.set(firstUnit(p).entry as string, `${c.get(firstUnit(p).entry as string)}\n// drift\n`)],
  ['a Lambda data source on another function', 'dataSources', (p) => {
    const [name] = Object.entries(p.dataSources).find(([, ds]) => ds.kind === 'AWS_LAMBDA') ?? [];
    p.dataSources[name as string] = { kind: 'AWS_LAMBDA', function: 'booking-processor' };
  }],
  ['a function with another handler entry', 'functions', (p) => void (p.functions['expiry-processor'].entry = p.functions['booking-processor'].entry)],
  ['a function with another timeout', 'functions', (p) => void (p.functions['booking-processor'].timeoutSeconds += 1)],
  ['a function with another memory size', 'functions', (p) => void (p.functions['generate-slots'].memoryMb *= 2)],
  ['a function environment variable renamed', 'functions', (p) => {
    const env = p.functionEnvironments['booking-processor'];
    const [name] = Object.keys(env);
    env[`${name}_LOCAL`] = env[name];
    delete env[name];
  }],
  ['an event source with another batch size', 'eventSources', (p) => void (p.eventSources[0].batchSize += 1)],
  ['an event source with another batching window', 'eventSources', (p) => void (p.eventSources[0].maxBatchingWindowSeconds += 1)],
  ['an SQS trigger with another maximum concurrency', 'eventSources', (p) => {
    const sqs = p.eventSources.find((source) => source.kind === 'sqs');
    if (sqs?.kind === 'sqs') sqs.maxConcurrency -= 1;
  }],
  ['a stream filter pattern changed', 'eventSources', (p) => void (firstStream(p).filters = [{ eventName: ['INSERT'] }])],
  ['stream retries changed', 'eventSources', (p) => void (firstStream(p).retryAttempts += 1)],
  ['bisect on error switched', 'eventSources', (p) => void (firstStream(p).bisectBatchOnError = !firstStream(p).bisectBatchOnError)],
  ['another on-failure destination', 'eventSources', (p) => void (firstStream(p).onFailureQueue = 'bookings')],
  ['a queue with another visibility timeout', 'queues', (p) => void (p.queues.bookings.visibilityTimeoutSeconds += 1)],
  ['an API environment variable only the local server has', 'apiEnvironment', (p) => void (p.apiEnvironment.LOCAL_ONLY = '1')],
  ['HOLD_SECONDS overridden from the process environment', 'apiEnvironment', () => planLocal(repoRoot, endpoints, { HOLD_SECONDS: '7' })],
  ['another query depth limit', 'apiLimits', (p) => void (p.apiLimits = { ...p.apiLimits, queryDepthLimit: p.apiLimits.queryDepthLimit + 1 })],
  ['another resolver count limit', 'apiLimits', (p) => void (p.apiLimits = { ...p.apiLimits, resolverCountLimit: p.apiLimits.resolverCountLimit + 1 })],
  ['introspection switched', 'apiLimits', (p) => void (p.apiLimits = { ...p.apiLimits, introspection: p.apiLimits.introspection === 'ENABLED' ? 'DISABLED' : 'ENABLED' })],
];

describe('a plan that drifts from the stack fails the agreement', () => {
  it.each(DRIFTS)('%s', (_what, part, drift) => {
    // Wiring objects are shared module state: drift a deep copy only.
    const copy = structuredClone(plan);
    const codeCopy = new Map(code);
    const drifted = localView(drift(copy, codeCopy) ?? copy, codeCopy);
    expect(drifted[part]).not.toEqual(deployed[part]);
    for (const other of PARTS.filter((p) => p !== part)) expect(drifted[other], other).toEqual(deployed[other]);
  });
});
