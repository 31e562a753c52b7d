// The real-time server on a plain node http.Server with the real auth (API key, a local user pool
// in a temp state dir, IAM with the local credentials), plus the header objects clients send per
// auth mode, built the way AppSync clients build them.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  createAuth,
  loadOrCreateApiKey,
  localIamPrincipal,
  openLocalUserPool,
  type ApiKey,
  type LocalUserPool,
} from '../../../../local/appsync/auth/index.ts';
import { attachRealtime, REALTIME_PATH, type RealtimeOptions, type RealtimeServer } from '../../../../local/appsync/realtime/server.ts';
import { buildAppSyncSchema, buildAppSyncSchemaFromSDL, type AppSyncSchema } from '../../../../local/appsync/schema/build.ts';
import { freePort } from '../../../../local/net.ts';
import { discoverResolvers } from '../../../../infra/resolvers.ts';
import { createNoneDataSource } from '../../../../local/appsync/datasources/none.ts';
import type { DataSource } from '../../../../local/appsync/datasources/types.ts';
import { bundleAll, createResolverRunner } from '../../../../local/appsync/runtime/runner.ts';
import type { ResolverRunner } from '../../../../local/appsync/runtime/types.ts';
import type { ResolverInvocation } from '../../../../local/appsync/runtime/types.ts';
import { RawClient } from './ws-client.ts';

export const REGION = 'us-east-1';
/** The local stack's SigV4 key pair (local/dynamodb/client.ts LOCAL_CREDENTIALS). */
export const IAM_CREDENTIALS = { accessKeyId: 'slotsynclocal', secretAccessKey: 'slotsynclocalsecret' };
const ROOT = new URL('../../../../', import.meta.url).pathname;

export interface Harness {
  server: Server;
  port: number;
  /** What clients put in `host`: the HTTP API's host, as AppSync clients send the appsync-api host. */
  host: string;
  url: string;
  realtime: RealtimeServer;
  apiKey: ApiKey;
  userPool: LocalUserPool;
  runner: RecordingRunner;
  appsync: AppSyncSchema;
  close(): Promise<void>;
}

/** A runner that remembers every invocation, so tests can see what the resolver was given. */
export interface RecordingRunner extends ResolverRunner {
  calls: Array<{ fieldName: string; invocation: ResolverInvocation }>;
}

function recording(runner: ResolverRunner): RecordingRunner {
  const calls: RecordingRunner['calls'] = [];
  return {
    calls,
    has: (typeName, fieldName) => runner.has(typeName, fieldName),
    run: (typeName, fieldName, invocation, request) => {
      calls.push({ fieldName, invocation });
      return runner.run(typeName, fieldName, invocation, request);
    },
  };
}

/** The real runner over the project's bundled Subscription resolvers (resolvers/Subscription.*). */
async function projectRunner(): Promise<ResolverRunner> {
  const specs = discoverResolvers(ROOT).filter((spec) => spec.typeName === 'Subscription');
  const code = await bundleAll(ROOT, specs);
  return createResolverRunner({ root: ROOT, specs, code, dataSources: { NONE: createNoneDataSource() }, env: {} });
}

/**
 * The real runner over APPSYNC_JS code given inline (already-bundled ESM), one unit resolver per
 * Subscription field, on a NONE data source or on the one given.
 */
export function inlineRunner(codeByField: Record<string, string>, dataSource: DataSource = createNoneDataSource()): ResolverRunner {
  const specs = Object.keys(codeByField).map((fieldName) => ({
    typeName: 'Subscription',
    fieldName,
    kind: 'UNIT' as const,
    dataSource: 'DS',
    entry: `inline/Subscription.${fieldName}.js`,
    functions: [],
  }));
  const code = new Map(specs.map((spec) => [spec.entry, codeByField[spec.fieldName]]));
  return createResolverRunner({ root: ROOT, specs, code, dataSources: { DS: dataSource }, env: {} });
}

export interface HarnessOptions extends Partial<Omit<RealtimeOptions, 'appsync' | 'auth' | 'runner'>> {
  /** A schema other than the project's (default mode: user pools, like the project). */
  sdl?: string;
  runner?: ResolverRunner;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { sdl, runner: givenRunner, ...realtimeOptions } = options;
  const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-realtime-'));
  const apiKey = loadOrCreateApiKey(stateDir);
  const userPool = await openLocalUserPool(stateDir);
  const auth = createAuth({
    defaultMode: 'AMAZON_COGNITO_USER_POOLS',
    additionalModes: ['API_KEY', 'AWS_IAM'],
    apiKeys: [apiKey],
    userPool,
    iamPrincipals: [localIamPrincipal(IAM_CREDENTIALS)],
    region: REGION,
  });
  const appsync = sdl ? buildAppSyncSchemaFromSDL(sdl, 'AMAZON_COGNITO_USER_POOLS') : buildAppSyncSchema(ROOT, 'AMAZON_COGNITO_USER_POOLS');
  const runner = recording(givenRunner ?? (await projectRunner()));
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  const realtime = attachRealtime(server, { appsync, auth, runner, ...realtimeOptions });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const host = `127.0.0.1:${port}`;
  return {
    server,
    port,
    host,
    url: `ws://${host}${REALTIME_PATH}`,
    realtime,
    apiKey,
    userPool,
    runner,
    appsync,
    close: async () => {
      await realtime.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export type Headers = Record<string, string>;

export const amzDate = (date = new Date()) => date.toISOString().replace(/[:-]|\.\d{3}/g, '');

export function apiKeyHeaders(h: Harness, key = h.apiKey.id): Headers {
  return { host: h.host, 'x-amz-date': amzDate(), 'x-api-key': key };
}

export function tokenHeaders(h: Harness, token: string): Headers {
  return { host: h.host, Authorization: token };
}

/**
 * SigV4 as amplify-js signs for the real-time endpoint (AWSWebSocketProvider/authHeaders.ts): a POST
 * to https://HOST/graphql/connect with body `{}` at connect, to https://HOST/graphql with the
 * `data` string as body per start, over accept/content-encoding/content-type/host/x-amz-date.
 */
export async function iamHeaders(h: Harness, path: '/graphql/connect' | '/graphql', body: string, credentials = IAM_CREDENTIALS): Promise<Headers> {
  const signer = new SignatureV4({ credentials, region: REGION, service: 'appsync', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'https:',
    hostname: h.host,
    path,
    headers: {
      accept: 'application/json, text/javascript',
      'content-encoding': 'amz-1.0',
      'content-type': 'application/json; charset=UTF-8',
      host: h.host,
    },
    body,
  });
  return signed.headers as Headers;
}

export const b64 = (headers: Headers) => Buffer.from(JSON.stringify(headers)).toString('base64');
export const b64url = (headers: Headers) => Buffer.from(JSON.stringify(headers)).toString('base64url');

/** Connects with the `header-<base64url>` subprotocol (current Amplify JS). */
export function connectWithSubprotocol(h: Harness, headers: Headers): Promise<RawClient> {
  return RawClient.open(h.url, ['graphql-ws', `header-${b64url(headers)}`]);
}

/** Connects with `?header=<base64>&payload=e30=` (AWS docs, gql-python). */
export function connectWithQuery(h: Harness, headers: Headers): Promise<RawClient> {
  return RawClient.open(`${h.url}?header=${encodeURIComponent(b64(headers))}&payload=e30=`, ['graphql-ws']);
}

/** A connected, acknowledged API-key client. */
export async function ackedClient(h: Harness, headers: Headers = apiKeyHeaders(h)): Promise<RawClient> {
  const client = await connectWithSubprotocol(h, headers);
  client.send({ type: 'connection_init' });
  await client.nextOfType('connection_ack');
  return client;
}

let nextId = 0;
export const newId = () => `sub-${(nextId += 1)}`;

export interface StartOptions {
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Defaults to API-key headers. */
  authorization?: Headers;
  id?: string;
}

export function startMessage(h: Harness, query: string, options: StartOptions = {}): { id: string; data: string; message: unknown } {
  const id = options.id ?? newId();
  const data = JSON.stringify({ query, variables: options.variables ?? {}, ...(options.operationName ? { operationName: options.operationName } : {}) });
  const authorization = options.authorization ?? apiKeyHeaders(h);
  return { id, data, message: { id, type: 'start', payload: { data, extensions: { authorization } } } };
}

/** Sends a start and waits for its start_ack or error; returns the id and that frame. */
export async function start(h: Harness, client: RawClient, query: string, options: StartOptions = {}) {
  const { id, message } = startMessage(h, query, options);
  client.send(message);
  const reply = await client.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'), `start_ack or error for ${id}`);
  return { id, reply };
}

export async function subscribe(h: Harness, client: RawClient, query: string, options: StartOptions = {}): Promise<string> {
  const { id, reply } = await start(h, client, query, options);
  if (reply.type !== 'start_ack') throw new Error(`start ${id} failed: ${JSON.stringify(reply.payload)}`);
  return id;
}

// Valid ULIDs for provider and slot ids (the resolvers validate them).
export const PROVIDER_A = '01HZX0000000000000000000PA';
export const PROVIDER_B = '01HZX0000000000000000000PB';
export const SLOT_1 = '01HZX0000000000000000000S1';

/** A publishSlotChange result, every field selected. */
export function slotChange(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    providerId: PROVIDER_A,
    date: '2030-01-07',
    slotId: SLOT_1,
    startTime: '2030-01-07T09:00:00.000Z',
    status: 'AVAILABLE',
    previousStatus: 'HELD',
    reason: 'EXPIRED',
    at: '2030-01-07T08:00:00.000Z',
    ...overrides,
  };
}

export const SLOT_FIELDS = 'providerId date slotId startTime status previousStatus reason at';
