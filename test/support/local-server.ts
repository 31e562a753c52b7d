// A whole local slotsync (HTTP, real-time, Lambdas, SQS, streams, TTL) on the test run's shared
// DynamoDB Local, with its own table, state directory and Lambda build directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startLocalServer, REPO_ROOT, type LocalServer, type LocalServerOptions } from '../../local/server.ts';
import { dynamodbEndpoint } from './dynamodb.ts';

export interface TestServer extends LocalServer {
  /** A user's id token (Cognito-shaped, signed by the server's local pool). */
  token(username: string, groups?: string[]): Promise<string>;
  /** POST /graphql with the given auth header(s); returns the parsed body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert
  gql<T = any>(auth: Record<string, string>, query: string, variables?: Record<string, unknown>): Promise<{ data: T; errors?: Array<{ errorType: string | null; message: string; path?: unknown }> }>;
  /** Ends the server and removes its state. */
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<LocalServerOptions> = {}): Promise<TestServer> {
  const id = randomUUID().slice(0, 8);
  const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-test-'));
  const server = await startLocalServer({
    port: 0,
    stateDir,
    dynamodbEndpoint: dynamodbEndpoint(),
    tableName: `api-${id}`,
    lambdaBuildDir: join(REPO_ROOT, '.slotsync', 'build', `test-${id}`),
    seed: false,
    rateLimit: { limit: 1_000_000, windowSeconds: 300 },
    log: () => undefined,
    ...options,
  });
  return {
    ...server,
    token: async (username, groups = []) => (await server.userPool.issue({ username, groups })).idToken,
    gql: async (auth, query, variables = {}) => {
      const res = await fetch(server.outputs.graphqlEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    close: async () => {
      await server.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
