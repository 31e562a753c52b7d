// `npm start` in one process: DynamoDB Local, local SQS, the Lambda sandboxes, the event sources,
// the TTL sweeper and the AppSync-compatible HTTP + real-time server, all from the wiring
// (local/plan.ts). Nothing here knows a field, a function or a queue by name.
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './state-dir.ts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { discoverResolvers } from '../infra/resolvers.ts';
import { api, table as tableWiring, type FunctionName, type QueueName } from '../infra/wiring.ts';
import { buildAppSyncSchema } from './appsync/schema/build.ts';
import { createLocalAuth } from './appsync/auth/index.ts';
import { createDynamoDbDataSource } from './appsync/datasources/dynamodb/index.ts';
import { createLambdaDataSource } from './appsync/datasources/lambda.ts';
import { createNoneDataSource } from './appsync/datasources/none.ts';
import type { DataSource } from './appsync/datasources/types.ts';
import { createAppSyncHttpServer, GRAPHQL_PATH } from './appsync/http/server.ts';
import type { RateLimit } from './appsync/http/rate-limit.ts';
import { attachRealtime, REALTIME_PATH, type RealtimeServer } from './appsync/realtime/server.ts';
import { bundleAll, createResolverRunner } from './appsync/runtime/runner.ts';
import { localDynamoDb, localDynamoDbStreams, localDynamoDbWire, LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb/client.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb/launcher.ts';
import { ensureTable } from './dynamodb/table.ts';
import { camelCase } from '../infra/constructs/names.ts';
import { createQueues, deadLetterQueueName, startEventSources } from './event-sources.ts';
import { GRAPHIQL_ASSET_PATHS, serveGraphiql } from './graphiql/page.ts';
import { createLocalLambda } from './lambda/index.ts';
import { ensurePortFree, freePort } from './net.ts';
import { planLocal, type LocalPlan } from './plan.ts';
import { seedDemoData, type SeedResult } from './seed.ts';
import { keepQueuedMessages, type MessageKeeper } from './sqs/keeper.ts';
import { keepStreamCheckpoints } from './streams/keeper.ts';
import { startLocalSqs } from './sqs/index.ts';
import { TtlDeletionRegistry } from './ttl/registry.ts';
import { startTtlSweeper } from './ttl/sweeper.ts';

export { REPO_ROOT };

export interface LocalServerOptions {
  root?: string;
  /** HTTP port for /graphql and /graphql/realtime; 0 picks a free one. Default 4000. */
  port?: number;
  host?: string;
  /** Keys, DynamoDB data and outputs.json live here. Default `<root>/.slotsync`. */
  stateDir?: string;
  /** A throwaway database: nothing is kept between runs. */
  inMemory?: boolean;
  /** Overrides of the API's literal environment variables (HOLD_SECONDS, MAX_ACTIVE_HOLDS). */
  env?: Record<string, string | undefined>;
  seed?: boolean;
  ttlIntervalMs?: number;
  rateLimit?: RateLimit;
  keepAliveIntervalMs?: number;
  /** Use a running DynamoDB (tests share one) instead of starting DynamoDB Local. */
  dynamodbEndpoint?: string;
  /**
   * A DynamoDB Local the caller started already (`slotsync start` boots the JVM before it loads
   * this module); the server owns it from here on and stops it on stop() or a failed start.
   */
  dynamodb?: Promise<DynamoDbLocal>;
  /** The table's name; default the wiring's. Tests give each server its own table. */
  tableName?: string;
  /**
   * Replace a function's handler module (tests inject faults at the Lambda boundary this way;
   * the production handlers carry no test branches).
   */
  functionEntries?: Partial<Record<FunctionName, string>>;
  /** Log every data source call with its duration (SLOTSYNC_TRACE=1). */
  traceDataSources?: boolean;
  /** Where Lambda bundles go (inside root). Default `<root>/.slotsync/build/functions`. */
  lambdaBuildDir?: string;
  log?: (line: string) => void;
}

/**
 * outputs.json: the endpoints and the key, and, under the names of the CDK stack's outputs, where
 * failed work waits (docs/RUNBOOK.md rehearses its steps against these), with the local endpoints
 * an AWS CLI or SDK needs to reach them (--endpoint-url).
 */
export interface LocalOutputs {
  graphqlEndpoint: string;
  realtimeEndpoint: string;
  apiKey: string;
  region: string;
  authModes: string[];
  dynamodbEndpoint: string;
  tableName: string;
  sqsEndpoint: string;
  /** `${camelCase(queue)}QueueUrl`, and for a queue with a DLQ `${...}DlqUrl` and `${...}DlqArn`. */
  [queueOutput: `${string}QueueUrl` | `${string}DlqUrl` | `${string}DlqArn`]: string;
}

export interface LocalServer {
  outputs: LocalOutputs;
  port: number;
  plan: LocalPlan;
  tableName: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  queueUrl(name: QueueName): string;
  userPool: Awaited<ReturnType<typeof createLocalAuth>>['userPool'];
  realtime: RealtimeServer;
  /** The HTTP server behind /graphql and /graphql/realtime. */
  httpServer: import('node:http').Server;
  seed: SeedResult;
  /**
   * Settles, with what happened, if the DynamoDB Local this server started ends on its own: the
   * API cannot answer without it, /health says so, and the owner should stop the server.
   */
  lost: Promise<string>;
  stop(): Promise<void>;
}

/** A data source that logs each call: which field, which operation, how long, and any error type. */
function traced(name: string, ds: DataSource, log: (line: string) => void): DataSource {
  return {
    invoke: async (request, invocation) => {
      const started = performance.now();
      const outcome = await ds.invoke(request, invocation);
      const op = (request as { operation?: string } | null)?.operation ?? 'payload';
      const ms = (performance.now() - started).toFixed(1);
      log(`trace ${invocation.info.parentTypeName}.${invocation.info.fieldName} ${name} ${op} ${ms} ms${outcome.error ? ` ${outcome.error.type}` : ''}`);
      return outcome;
    },
  };
}

/**
 * A data source that waits for the real one: the resolver code compiles (CPU) while DynamoDB Local
 * and the Lambdas are still starting. Nothing calls it before /health is ready.
 */
function deferred(ready: Promise<DataSource>): DataSource {
  return { invoke: async (request, invocation) => (await ready).invoke(request, invocation) };
}

/** The data source key for nextTokens, kept so tokens stay valid across restarts. */
function tokenKey(stateDir: string): Buffer {
  const file = join(stateDir, 'page-token.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const root = resolve(options.root ?? REPO_ROOT);
  const host = options.host ?? '127.0.0.1';
  const stateDir = resolve(options.stateDir ?? join(root, '.slotsync'));
  const log = options.log ?? ((line: string) => console.log(line));

  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) {
      await s().catch((err) => log(`slotsync: shutdown step failed: ${err instanceof Error ? err.message : String(err)}`));
    }
  };
  // Registered before anything can fail, so no JVM outlives a failed start; stopped last.
  const own = (starting: Promise<DynamoDbLocal>) => {
    starting.catch(() => undefined);
    stoppers.push(() => starting.then((d) => d.stop(), () => undefined));
    return starting;
  };
  let ddbStarting = options.dynamodb && own(options.dynamodb);
  /** A JVM that ended during the start is why it failed, not the ECONNREFUSED it caused: its exit is seen within moments. */
  const lostWhileStarting = async (): Promise<string | undefined> => {
    const ddb = await ddbStarting?.catch(() => undefined);
    if (!ddb) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const moment = new Promise<undefined>((resolveMoment) => (timer = setTimeout(() => resolveMoment(undefined), LOST_GRACE_MS)));
    try {
      return await Promise.race([ddb.lost, moment]);
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    mkdirSync(stateDir, { recursive: true });
    await ensurePortFree(options.port ?? 4000, host);
    ddbStarting ??= own(
      options.dynamodbEndpoint
        ? Promise.resolve({ endpoint: options.dynamodbEndpoint, port: Number(new URL(options.dynamodbEndpoint).port), lost: new Promise<string>(() => undefined), stop: async () => undefined })
        : startDynamoDbLocal(options.inMemory ? {} : { dataDir: join(stateDir, 'dynamodb') }),
    );

    // While the JVM boots (the longest step), do everything that does not need DynamoDB.
    const sqs = await startLocalSqs({ region: LOCAL_REGION });
    // Queued messages outlive a restart, as SQS keeps them (sqs/keeper.ts): put back once the
    // wiring's queues exist, saved again as they change and at stop.
    const sqsFile = options.inMemory ? undefined : join(stateDir, 'sqs-messages.json');
    let messageKeeper: MessageKeeper | undefined;
    stoppers.push(async () => {
      try {
        const saved = messageKeeper?.close() ?? 0;
        if (saved > 0) log(`sqs: kept ${saved} queued message(s) in ${sqsFile} for the next start`);
      } catch (err) {
        log(`sqs: could not keep the queued messages: ${(err as Error).message}`);
      }
      await sqs.stop();
    });
    const http = { port: options.port ?? 4000 };
    // The API URL is known before the server listens only when the port is fixed; port 0 resolves
    // to a free port now, so the URL in the Lambdas' environment is final.
    if (http.port === 0) http.port = await freePort(host);
    const specs = discoverResolvers(root);
    const tableReady = ddbStarting.then(async (ddb) => {
      const client = localDynamoDb(ddb.endpoint);
      return { ddb, client, info: await ensureTable(client, tableWiring, options.tableName ?? tableWiring.name) };
    });
    const [{ auth, userPool, apiKey }, code, { ddb, client, info }] = await Promise.all([createLocalAuth(stateDir), bundleAll(root, specs), tableReady]);
    const dynamodb = localDynamoDbWire(ddb.endpoint);
    stoppers.push(async () => dynamodb.close());
    const sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const endpoints = {
      tableName: info.tableName,
      tableArn: info.tableArn,
      streamArn: info.streamArn,
      queueUrl: (name: QueueName) => sqs.queueUrl(name),
      queueArn: (name: QueueName) => sqs.queueArn(name),
      graphqlUrl: `http://${host}:${http.port}${GRAPHQL_PATH}`,
    };
    const plan = planLocal(root, endpoints, options.env ?? process.env);
    const model = buildAppSyncSchema(root, api.defaultAuth, plan.apiLimits);

    await createQueues(sqsClient, sqs, plan.queues);
    if (sqsFile) messageKeeper = keepQueuedMessages({ file: sqsFile, sqs, log });

    // The Lambda bundles build in esbuild's own process while the resolver code compiles here.
    const buildDir = options.lambdaBuildDir ?? join(root, '.slotsync', 'build', 'functions');
    const lambdaStarting = createLocalLambda({
      root,
      functions: Object.fromEntries(
        Object.entries(plan.functions).map(([name, fn]) => [name, { ...fn, entry: options.functionEntries?.[name as FunctionName] ?? fn.entry }]),
      ),
      environment: plan.functionEnvironments,
      sharedEnvironment: {
        AWS_REGION: LOCAL_REGION,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
        AWS_ENDPOINT_URL_SQS: sqs.endpoint,
        // Handlers log at INFO in AWS (CloudWatch); on a developer's console only warnings show.
        POWERTOOLS_LOG_LEVEL: process.env.SLOTSYNC_LAMBDA_LOG_LEVEL ?? 'WARN',
      },
      buildDir,
    });
    if (options.lambdaBuildDir) stoppers.push(async () => rmSync(buildDir, { recursive: true, force: true }));
    lambdaStarting.catch(() => undefined);
    stoppers.push(() => lambdaStarting.then((lambda) => lambda.stop(), () => undefined));

    const dataSourcesReady = lambdaStarting.then((lambda) => {
      const tokens = tokenKey(stateDir);
      const trace = options.traceDataSources ?? process.env.SLOTSYNC_TRACE === '1';
      const built: Record<string, DataSource> = {};
      for (const [name, ds] of Object.entries(plan.dataSources)) {
        if (ds.kind === 'AMAZON_DYNAMODB') built[name] = createDynamoDbDataSource({ dynamodb, tableName: info.tableName, tokenKey: tokens });
        else if (ds.kind === 'AWS_LAMBDA') built[name] = createLambdaDataSource(lambda, ds.function);
        else built[name] = createNoneDataSource();
        if (trace) built[name] = traced(name, built[name], log);
      }
      return built;
    });
    dataSourcesReady.catch(() => undefined);
    const runner = createResolverRunner({
      root,
      specs: plan.resolvers,
      code,
      dataSources: Object.fromEntries(Object.keys(plan.dataSources).map((name) => [name, deferred(dataSourcesReady.then((all) => all[name]))])),
      env: plan.apiEnvironment,
      onLog: (line, field) => log(`resolver ${field.typeName}.${field.fieldName}: ${line}`),
    });
    const lambda = await lambdaStarting;
    await dataSourcesReady;

    // The HTTP server publishes into the real-time server, which attaches to the HTTP server.
    const live: { realtime?: RealtimeServer } = {};
    let ready = false;
    const server = createAppSyncHttpServer({
      model,
      runner,
      auth,
      userPool,
      userPoolGroups: api.userPoolGroups,
      rateLimit: options.rateLimit,
      onMutationPublished: (event) => live.realtime?.publish(event.mutationField, event.result),
      onSubscriptionsInvalidated: (i) => live.realtime?.invalidate(i.subscriptionField, i.payload),
    });
    const realtime = attachRealtime(server.server, { appsync: model, auth, runner, keepAliveIntervalMs: options.keepAliveIntervalMs });
    let lost = false;
    void ddb.lost.then(() => (lost = true));
    server.route('GET', '/health', (_req, res) => {
      const status = lost ? 'dynamodb-lost' : ready ? 'ok' : 'starting';
      res.writeHead(status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status }));
    });
    const graphiql = { graphqlPath: GRAPHQL_PATH, realtimePath: REALTIME_PATH, apiKey: apiKey.id, defaultQuery: DEFAULT_QUERY };
    for (const path of GRAPHIQL_PATHS) {
      server.route('GET', path, (req, res) => void serveGraphiql(graphiql, req, res));
    }
    const bound = await server.listen(http.port, host);
    http.port = bound.port;
    stoppers.push(() => server.close());
    live.realtime = realtime;
    stoppers.push(() => realtime.close());

    const streams = localDynamoDbStreams(ddb.endpoint);
    stoppers.push(async () => streams.close());
    const ttlDeletions = new TtlDeletionRegistry();
    // Stream mappings go on from where the last run left them, as Lambda's do.
    const checkpointKeeper = options.inMemory ? undefined : keepStreamCheckpoints({ file: join(stateDir, 'stream-checkpoints.json'), ttlDeletions, log });
    // Registered before the mappings start, so its last write comes after they have stopped.
    if (checkpointKeeper) stoppers.push(async () => checkpointKeeper.close());
    await startEventSources(
      plan.eventSources,
      { lambda, sqs, sqsClient, streams, table: info, ttlDeletions, log, resume: checkpointKeeper?.resume, onStreamMapping: (name, mapping) => checkpointKeeper?.track(name, mapping) },
      (stopMapping) => stoppers.push(stopMapping),
    );
    const sweeper = startTtlSweeper({
      client,
      tableName: info.tableName,
      ttlAttribute: tableWiring.ttlAttribute,
      intervalMs: options.ttlIntervalMs ?? 1000,
      registry: ttlDeletions,
      onError: (err) => log(`ttl: ${err instanceof Error ? err.message : String(err)}`),
    });
    stoppers.push(() => sweeper.stop());

    const outputs: LocalOutputs = {
      graphqlEndpoint: `http://${host}:${http.port}${GRAPHQL_PATH}`,
      realtimeEndpoint: `ws://${host}:${http.port}${REALTIME_PATH}`,
      apiKey: apiKey.id,
      region: LOCAL_REGION,
      authModes: [api.defaultAuth, ...api.additionalAuth],
      dynamodbEndpoint: ddb.endpoint,
      tableName: info.tableName,
      sqsEndpoint: sqs.endpoint,
    };
    for (const [name, queue] of Object.entries(plan.queues)) {
      const base = camelCase(name);
      outputs[`${base}QueueUrl`] = sqs.queueUrl(name);
      if (queue.maxReceiveCount === 0) continue;
      outputs[`${base}DlqUrl`] = sqs.queueUrl(deadLetterQueueName(name));
      outputs[`${base}DlqArn`] = sqs.queueArn(deadLetterQueueName(name));
    }
    const seed = options.seed === false ? { seeded: false } : await seedDemoData({ graphqlUrl: outputs.graphqlEndpoint, userPool, client, tableName: info.tableName });
    writeFileSync(join(stateDir, 'outputs.json'), `${JSON.stringify(outputs, null, 2)}\n`);
    ready = true;

    return {
      outputs,
      port: http.port,
      plan,
      tableName: info.tableName,
      dynamodbEndpoint: ddb.endpoint,
      sqsEndpoint: sqs.endpoint,
      queueUrl: (name) => sqs.queueUrl(name),
      userPool,
      realtime,
      httpServer: server.server,
      seed,
      lost: ddb.lost,
      stop,
    };
  } catch (err) {
    const lost = await lostWhileStarting();
    await stop();
    throw lost ? new Error(lost, { cause: err }) : err;
  }
}

/** How long a failed start waits to learn whether DynamoDB Local's end caused it. */
const LOST_GRACE_MS = 250;

const GRAPHIQL_PATHS = ['/', ...GRAPHIQL_ASSET_PATHS];

const DEFAULT_QUERY = `# slotsync. The x-api-key header (below) reads
# providers and slots. To book, replace it with
#   {"Authorization": "<token>"}
# from: npx slotsync token --user alice
# Watch slots come back live, in a second tab:
#   subscription { onSlotReleased(providerId: "<id>") { slotId status reason } }
query Providers {
  listProviders(limit: 5) { items { id name timeZone } }
}
`;
