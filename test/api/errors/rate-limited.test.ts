// DESIGN §6 RateLimited: over the per-client-IP limit the server answers as the WAF rule's custom
// response does: HTTP 429 with {errors:[{errorType:'RateLimited', message}]}, whatever the caller
// sends and whoever the caller is.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ListProvidersDocument } from '../../../client/generated/operations.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { apiKeyAuth, send, userAuth } from '../flows/fixture.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ rateLimit: { limit: 3, windowSeconds: 300 } });
});

afterAll(async () => {
  await server?.close();
});

describe('RateLimited', () => {
  it('serves the first 3 requests of the window and answers the rest with HTTP 429 RateLimited', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await send(server, apiKeyAuth(server), ListProvidersDocument, {}));
    expect(answers.map((a) => [a.status, a.errors])).toEqual([
      [200, undefined],
      [200, undefined],
      [200, undefined],
    ]);

    const user = await userAuth(server, 'limited-alice');
    const logged = vi.spyOn(console, 'error');
    for (const auth of [apiKeyAuth(server), user, {}]) {
      const limited = await send(server, auth, ListProvidersDocument, {});
      expect(limited.status).toBe(429);
      expect(limited.data).toBeNull();
      expect(limited.errors).toEqual([{ errorType: 'RateLimited', message: 'Too many requests from this IP address; wait a moment and retry.' }]);
    }
    // The server says once, not per request, how to raise the limit.
    const said = logged.mock.calls.map((c) => String(c[0])).filter((line) => line.includes('SLOTSYNC_RATE_LIMIT'));
    logged.mockRestore();
    expect(said).toEqual([
      'appsync: over 3 requests in 300 s from one IP address: answering 429 RateLimited, as the WAF rule does. For a load test, raise the limit with SLOTSYNC_RATE_LIMIT (requests per window).',
    ]);
  });
});
