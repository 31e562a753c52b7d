// A started local AppSync HTTP server on a free port, with the project's schema and auth, and a
// small in-memory ResolverRunner standing in for the APPSYNC_JS runtime (built separately).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { api } from '../../../../infra/wiring.ts';
import { createLocalAuth } from '../../../../local/appsync/auth/local.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../../local/dynamodb/client.ts';
import { createAppSyncHttpServer, type AppSyncHttpServer } from '../../../../local/appsync/http/server.ts';
import type { MutationPublishedEvent } from '../../../../local/appsync/http/execute.ts';
import type { RateLimit } from '../../../../local/appsync/http/rate-limit.ts';
import { buildAppSyncSchema } from '../../../../local/appsync/schema/build.ts';
import type { ResolverInvocation, ResolverOutcome, ResolverRunner } from '../../../../local/appsync/runtime/types.ts';
import type { LocalUserPool } from '../../../../local/appsync/auth/user-pool.ts';

const NOW = '2030-01-01T10:00:00Z';

export const PROVIDER = {
  id: 'p1',
  name: 'Dr Who',
  description: null,
  timeZone: 'Europe/London',
  ownerId: 'owner-1',
  createdAt: NOW,
  updatedAt: NOW,
};

const outcome = (data: unknown, errors: ResolverOutcome['errors'] = []): ResolverOutcome => ({
  data,
  errors,
  invalidations: [],
  responseHeaders: {},
});

/** Resolves a handful of fields the way resolvers would, and records every invocation. */
export class FixtureRunner implements ResolverRunner {
  readonly calls: Array<{ typeName: string; fieldName: string; invocation: ResolverInvocation }> = [];
  private readonly fields: Record<string, (inv: ResolverInvocation) => ResolverOutcome> = {
    'Query.getProvider': (inv) => {
      if (inv.arguments.id === 'missing') {
        return outcome(null, [{ message: 'Provider missing not found', errorType: 'NotFound', data: null, errorInfo: { id: 'missing' } }]);
      }
      if (inv.arguments.id === 'crash') throw new Error('runtime crashed');
      if (inv.arguments.id === 'bad-date') return outcome({ ...PROVIDER, createdAt: 'yesterday' });
      if (inv.arguments.id === 'no-name') return outcome({ ...PROVIDER, name: null });
      if (inv.arguments.id === 'partial') {
        return outcome(PROVIDER, [{ message: 'description unavailable', errorType: 'Partial', data: null, errorInfo: null }]);
      }
      // util.error(msg, type, data, errorInfo) with the whole item as data, as resolvers often pass it.
      if (inv.arguments.id === 'with-data') {
        return outcome(null, [{ message: 'Provider is archived', errorType: 'Archived', data: { ...PROVIDER, secret: 's3' }, errorInfo: { ...PROVIDER } }]);
      }
      if (inv.arguments.id === 'append-data') {
        return outcome(PROVIDER, [{ message: 'stale', errorType: 'Stale', data: ['not', 'an', 'object'], errorInfo: null }]);
      }
      return outcome({ ...PROVIDER, id: inv.arguments.id });
    },
    'Query.listProviders': (inv) => {
      const page = { items: [PROVIDER, { ...PROVIDER, id: 'p2' }], nextToken: 'next', scannedCount: 2 };
      if (inv.arguments.limit === 0) return outcome(null, [{ message: 'limit must be positive', errorType: 'ValidationError', data: page, errorInfo: null }]);
      return outcome({ ...page, nextToken: null });
    },
    'Query.getBooking': (inv) => outcome({ id: inv.arguments.id, userId: (inv.identity as { sub: string }).sub }),
    'Mutation.createProvider': (inv) => {
      const input = inv.arguments.input as Record<string, unknown>;
      return outcome({ ...PROVIDER, ...input, id: 'new', ownerId: (inv.identity as { sub: string }).sub });
    },
    'Mutation.publishSlotChange': (inv) => outcome(inv.arguments.input),
  };

  has(typeName: string, fieldName: string): boolean {
    return `${typeName}.${fieldName}` in this.fields;
  }

  async run(typeName: string, fieldName: string, invocation: ResolverInvocation): Promise<ResolverOutcome> {
    this.calls.push({ typeName, fieldName, invocation });
    return this.fields[`${typeName}.${fieldName}`](invocation);
  }
}

export interface TestServer {
  base: string;
  url: string;
  apiKey: string;
  userPool: LocalUserPool;
  runner: FixtureRunner;
  http: AppSyncHttpServer;
  published: MutationPublishedEvent[];
  stateDir: string;
  token(username: string, groups?: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startServer(options: { rateLimit?: RateLimit; maxBodyBytes?: number } = {}): Promise<TestServer> {
  const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-http-'));
  const { auth, userPool, apiKey } = await createLocalAuth(stateDir);
  const runner = new FixtureRunner();
  const published: MutationPublishedEvent[] = [];
  const http = createAppSyncHttpServer({
    model: buildAppSyncSchema(process.cwd(), api.defaultAuth),
    runner,
    auth,
    userPool,
    userPoolGroups: api.userPoolGroups,
    rateLimit: options.rateLimit ?? { limit: 10_000, windowSeconds: 300 },
    maxBodyBytes: options.maxBodyBytes,
    onMutationPublished: (e) => published.push(e),
  });
  const { url, port } = await http.listen(0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${port}`,
    url,
    apiKey: apiKey.id,
    userPool,
    runner,
    http,
    published,
    stateDir,
    token: async (username, groups = []) => (await userPool.issue({ username, groups })).idToken,
    close: async () => {
      await http.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

// Response bodies are checked structurally with toEqual/toMatchObject; a loose type keeps those
// assertions readable where each test knows the shape it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

export async function readJson(res: Response): Promise<JsonBody> {
  return res.json();
}

export async function gql(
  url: string,
  headers: Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; body: JsonBody; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await readJson(res), headers: res.headers };
}

/** Headers of a SigV4-signed POST, as the backend's Lambdas send them. */
export async function signedHeaders(
  url: string,
  body: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS,
  region = LOCAL_REGION,
): Promise<Record<string, string>> {
  const { host, pathname } = new URL(url);
  const signer = new SignatureV4({ credentials, region, service: 'appsync', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: host,
    path: pathname,
    headers: { host, 'content-type': 'application/json' },
    body,
  });
  // fetch sets Host itself, to the same value that was signed.
  const { host: _host, ...rest } = signed.headers as Record<string, string>;
  return rest;
}
