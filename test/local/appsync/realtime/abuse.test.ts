// What a broken or hostile client can do to the real-time endpoint: each case costs that client its
// frame or its connection, never the server (an unheard 'error' or rejection used to stop the whole
// process) and never a socket left open (an unanswered upgrade held a descriptor for good).
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Auth } from '../../../../local/appsync/auth/index.ts';
import { MAX_RULE_DEPTH } from '../../../../local/appsync/http/nesting.ts';
import { attachRealtime, REALTIME_PATH } from '../../../../local/appsync/realtime/server.ts';
import { freePort } from '../../../../local/net.ts';
import type { ResolverRunner } from '../../../../local/appsync/runtime/types.ts';
import { ackedClient, apiKeyHeaders, b64url, newId, PROVIDER_A, SLOT_FIELDS, startHarness, subscribe, type Harness } from './harness.ts';
import { RawClient } from './ws-client.ts';

const ON_SLOT_CHANGED = `subscription Watch($p: ID!) { onSlotChanged(providerId: $p) { ${SLOT_FIELDS} } }`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** The server still serves: a new client subscribes. */
async function stillServes(): Promise<void> {
  const client = await ackedClient(h);
  await subscribe(h, client, ON_SLOT_CHANGED, { variables: { p: PROVIDER_A } });
  client.close();
}

/** Sends `request` on a raw TCP socket; resolves with what came back once the server closed it. */
function rawExchange(request: string, port = h.port): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}

const upgradeRequest = (target: string) =>
  `GET ${target} HTTP/1.1\r\nHost: ${h.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: graphql-ws\r\n\r\n`;

describe('frames that break the WebSocket protocol', () => {
  it('a frame over 512 KB closes that connection with 1009, before or after auth; the server goes on', async () => {
    const unauthenticated = await RawClient.open(h.url, ['graphql-ws']);
    unauthenticated.send('x'.repeat(600 * 1024));
    expect(await unauthenticated.closed()).toBe(1009);
    const client = await ackedClient(h);
    client.send('x'.repeat(600 * 1024));
    expect(await client.closed()).toBe(1009);
    await stillServes();
  });

  it('a text frame that is not UTF-8 closes that connection with 1007; the server goes on', async () => {
    const client = await ackedClient(h);
    client.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await client.closed()).toBe(1007);
    await stillServes();
  });
});

describe('start payloads', () => {
  it('data that is JSON but not an object: MalformedHttpRequestException, connection kept', async () => {
    const client = await ackedClient(h);
    for (const data of ['null', '[]', '"query"', '7']) {
      const id = newId();
      client.send({ id, type: 'start', payload: { data, extensions: { authorization: apiKeyHeaders(h) } } });
      expect(await client.nextFrame()).toMatchObject({ type: 'error', id, payload: { errors: [{ errorType: 'MalformedHttpRequestException' }] } });
    }
    expect(client.closeCode).toBeNull();
    client.close();
  });

  it('a document nested past graphql-java\'s grammar depth: its parse error, connection kept', async () => {
    const client = await ackedClient(h);
    const id = newId();
    const deep = `subscription { onSlotChanged(providerId: "p") ${'{ a '.repeat(2000)}${'}'.repeat(2000)} }`;
    client.send({ id, type: 'start', payload: { data: JSON.stringify({ query: deep }), extensions: { authorization: apiKeyHeaders(h) } } });
    expect(await client.nextFrame()).toEqual({
      type: 'error',
      id,
      payload: {
        errors: [
          {
            message: `Invalid Syntax : More than ${MAX_RULE_DEPTH} deep 'grammar' rules have been entered. To prevent Denial Of Service attacks, parsing has been cancelled.`,
          },
        ],
      },
    });
    expect(client.closeCode).toBeNull();
    client.close();
  });
});

describe('upgrades the endpoint does not take', () => {
  it('a request target that is not a URL: 400, and the socket is closed', async () => {
    expect(await rawExchange(upgradeRequest('//['))).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    await stillServes();
  });

  it('another path: 404, and the socket is closed, so a stop does not wait on it', async () => {
    const other = await startHarness();
    const reply = await rawExchange(upgradeRequest('/graphql'), other.port);
    expect(reply).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[\s\S]*No WebSocket endpoint at \/graphql\./);
    await other.close();
  });

  it('a refused client that never closes its side: the server closes the socket all the same, so a stop does not wait on it', async () => {
    const other = await startHarness();
    const socket = connect({ port: other.port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.write(upgradeRequest('/graphql')));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    await new Promise((resolve) => socket.once('end', resolve));
    expect(reply).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    try {
      const stopped = await Promise.race([other.close().then(() => 'stopped'), new Promise((resolve) => setTimeout(resolve, 5_000, 'still waiting'))]);
      expect(stopped).toBe('stopped');
    } finally {
      socket.destroy();
    }
  });

  it('a client that resets its socket as it is refused costs the server nothing', async () => {
    const other = await startHarness();
    try {
      for (let i = 0; i < 20; i += 1) {
        await new Promise<void>((resolve) => {
          const socket = connect(other.port, '127.0.0.1', () => {
            socket.write(upgradeRequest('/graphql'));
            socket.resetAndDestroy();
          });
          socket.on('error', () => undefined);
          socket.on('close', () => resolve());
        });
      }
      expect(await rawExchange(upgradeRequest('/graphql'), other.port)).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    } finally {
      await other.close();
    }
  });
});

describe('faults of the server\'s own', () => {
  it('a resolver run that throws ends that connection, logged, and the server goes on', async () => {
    const broken: ResolverRunner = { has: () => true, run: () => Promise.reject(new Error('runner broke')) };
    const other = await startHarness({ runner: broken });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const client = await ackedClient(other);
      client.send({ type: 'start', id: newId(), payload: { data: JSON.stringify({ query: ON_SLOT_CHANGED, variables: { p: PROVIDER_A } }), extensions: { authorization: apiKeyHeaders(other) } } });
      expect(await client.closed()).toBe(1006);
      expect(logged.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^appsync: real-time message failed: Error: runner broke/)]);
      // Another client still connects and is acknowledged.
      (await ackedClient(other)).close();
    } finally {
      logged.mockRestore();
      await other.close();
    }
  });

  it('an authentication that throws at connect ends that connection, logged, and the server goes on', async () => {
    const auth = { modes: ['API_KEY'], authenticate: () => Promise.reject(new Error('auth broke')) } as unknown as Auth;
    const server = createServer((_req, res) => res.writeHead(404).end());
    const realtime = attachRealtime(server, { appsync: h.appsync, auth, runner: h.runner });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const url = `ws://127.0.0.1:${port}${REALTIME_PATH}`;
      for (let i = 0; i < 2; i += 1) {
        const client = await RawClient.open(url, ['graphql-ws', `header-${b64url(apiKeyHeaders(h))}`]);
        expect(await client.closed()).toBe(1006);
      }
      expect(logged.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^appsync: real-time connect failed: Error: auth broke/),
        expect.stringMatching(/^appsync: real-time connect failed: Error: auth broke/),
      ]);
    } finally {
      logged.mockRestore();
      await realtime.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
