// Connecting to the real-time endpoint: both handshake styles, refused connections with AppSync's
// connection_error, connection_init/connection_ack, keep-alives and the idle timeout.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import {
  ackedClient,
  apiKeyHeaders,
  b64,
  connectWithQuery,
  connectWithSubprotocol,
  startHarness,
  startMessage,
  subscribe,
  tokenHeaders,
  type Harness,
} from './harness.ts';
import { RawClient, waitFor } from './ws-client.ts';

const UNAUTHORIZED = {
  type: 'connection_error',
  payload: {
    errors: [{ errorType: 'com.amazonaws.deepdish.graphql.auth#UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 400 }],
  },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ connectionTimeoutMs: 123_000 });
});
afterAll(() => h.close());

describe('handshake', () => {
  it('accepts the header-<base64url> subprotocol and answers connection_init with connection_ack {connectionTimeoutMs}', async () => {
    const client = await connectWithSubprotocol(h, apiKeyHeaders(h));
    expect(client.ws.protocol).toBe('graphql-ws');
    client.send({ type: 'connection_init' });
    expect(await client.nextFrame()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 123_000 } });
    client.close();
  });

  it('acknowledges with connectionTimeoutMs 300000 (AppSync\'s 5 minutes) when the server sets none', async () => {
    const own = await startHarness();
    try {
      const client = await connectWithSubprotocol(own, apiKeyHeaders(own));
      client.send({ type: 'connection_init' });
      expect(await client.nextFrame()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } });
      client.close();
    } finally {
      await own.close();
    }
  });

  it('accepts the ?header=<base64>&payload=e30= query handshake', async () => {
    const client = await connectWithQuery(h, apiKeyHeaders(h));
    expect(client.ws.protocol).toBe('graphql-ws');
    client.send({ type: 'connection_init' });
    expect(await client.nextFrame()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 123_000 } });
    client.close();
  });

  it('acknowledges on the first start when the client skips connection_init (it is optional)', async () => {
    const client = await connectWithSubprotocol(h, apiKeyHeaders(h));
    const id = await subscribe(h, client, 'subscription { onSlotChanged(providerId: "01HZX0000000000000000000PA") { slotId } }');
    expect(client.frames.map((f) => f.type)).toEqual(['connection_ack', 'start_ack']);
    expect(client.frames[1].id).toBe(id);
    client.close();
  });

  it('sends one connection_ack however many connection_init arrive', async () => {
    const client = await connectWithSubprotocol(h, apiKeyHeaders(h));
    client.send({ type: 'connection_init' });
    client.send({ type: 'connection_init' });
    await client.nextOfType('connection_ack');
    // A bad frame after both inits: its error is the next frame only if no second ack came before it.
    client.send('not json');
    expect(await client.nextFrame()).toMatchObject({ type: 'error', payload: { errors: [{ errorType: 'MalformedMessage' }] } });
    client.close();
  });

  it('refuses an upgrade without the graphql-ws subprotocol', async () => {
    await expect(RawClient.open(`${h.url}?header=${encodeURIComponent(b64(apiKeyHeaders(h)))}`, ['graphql-transport-ws'])).rejects.toThrow(/400/);
  });

  it('refuses upgrades beyond maxConnections with 503; a closed connection frees its place', async () => {
    const capped = await startHarness({ maxConnections: 2 });
    const clients: RawClient[] = [];
    try {
      clients.push(await ackedClient(capped), await ackedClient(capped));
      await expect(connectWithSubprotocol(capped, apiKeyHeaders(capped))).rejects.toThrow(/HTTP 503/);
      expect(capped.realtime.connectionCount).toBe(2);
      clients[0].close();
      await waitFor(() => (capped.realtime.connectionCount === 1 ? true : undefined), 'the closed connection to be released');
      clients.push(await ackedClient(capped));
    } finally {
      for (const c of clients) c.close();
      await capped.close();
    }
  });

  it('leaves upgrades on other paths to the server\'s other upgrade handlers', async () => {
    const other = (req: IncomingMessage, socket: Duplex) => {
      if (req.url === '/graphql/other') socket.end('HTTP/1.1 418 I\'m a teapot\r\n\r\n');
    };
    h.server.on('upgrade', other);
    try {
      await expect(RawClient.open(`ws://${h.host}/graphql/other`, ['graphql-ws'])).rejects.toThrow(/HTTP 418/);
    } finally {
      h.server.off('upgrade', other);
    }
  });
});

describe('refused connections', () => {
  const refusals: Array<[string, (h: Harness) => Promise<RawClient>]> = [
    ['no header at all', (h) => RawClient.open(h.url, ['graphql-ws'])],
    ['an unknown API key', (h) => connectWithSubprotocol(h, apiKeyHeaders(h, 'da2-aaaaaaaaaaaaaaaaaaaaaaaaaa'))],
    ['an unknown API key in the query handshake', (h) => connectWithQuery(h, apiKeyHeaders(h, 'da2-aaaaaaaaaaaaaaaaaaaaaaaaaa'))],
    ['a header object with no credentials', (h) => connectWithSubprotocol(h, { host: h.host })],
    ['a forged token', (h) => connectWithSubprotocol(h, tokenHeaders(h, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'))],
    ['a header that is not base64 JSON', (h) => RawClient.open(h.url, ['graphql-ws', 'header-%%%'])],
    ['a header that is a JSON array', (h) => RawClient.open(`${h.url}?header=${Buffer.from('[1]').toString('base64')}`, ['graphql-ws'])],
  ];

  it.each(refusals)('%s: connection_init is answered with connection_error in AppSync\'s shape, then close', async (_name, connect) => {
    const client = await connect(h);
    client.send({ type: 'connection_init' });
    expect(await client.nextFrame()).toEqual(UNAUTHORIZED);
    await client.closed();
    expect(client.frames).toHaveLength(1);
  });

  it('an expired token is refused at connect', async () => {
    const { accessToken } = await h.userPool.issue({ username: 'late', issuedAt: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 3600 });
    const client = await connectWithSubprotocol(h, tokenHeaders(h, accessToken));
    client.send({ type: 'connection_init' });
    expect(await client.nextFrame()).toEqual(UNAUTHORIZED);
    await client.closed();
  });

  it('a refused client that starts without connection_init gets connection_error, and no subscription', async () => {
    const client = await connectWithSubprotocol(h, apiKeyHeaders(h, 'da2-aaaaaaaaaaaaaaaaaaaaaaaaaa'));
    const subscriptions = h.realtime.subscriptionCount;
    client.send(startMessage(h, 'subscription { onSlotChanged(providerId: "01HZX0000000000000000000PA") { slotId } }').message);
    expect(await client.nextFrame()).toEqual(UNAUTHORIZED);
    await client.closed();
    expect(h.realtime.subscriptionCount).toBe(subscriptions);
  });

  it('a refused client that says nothing gets connection_error after a bounded wait', async () => {
    const quick = await startHarness({ idleTimeoutMs: 50 });
    try {
      const client = await RawClient.open(quick.url, ['graphql-ws']);
      expect(await client.nextFrame()).toEqual(UNAUTHORIZED);
      await client.closed();
    } finally {
      await quick.close();
    }
  });

  it('closing the server closes refused sockets that are still waiting', async () => {
    const own = await startHarness();
    const client = await RawClient.open(own.url, ['graphql-ws']);
    await waitFor(() => (own.realtime.connectionCount === 0 ? true : undefined), 'the refusal to be decided');
    await own.close();
    expect(await client.closed()).toBe(1001);
  });
});

describe('keep-alive and idle timeout', () => {
  it('sends ka at the configured interval once acknowledged, and not before', async () => {
    const fast = await startHarness({ keepAliveIntervalMs: 25 });
    try {
      const silent = await connectWithSubprotocol(fast, apiKeyHeaders(fast));
      const client = await ackedClient(fast);
      await waitFor(() => (client.frames.filter((f) => f.type === 'ka').length >= 3 ? true : undefined), 'three ka frames');
      expect(client.frames[0].type).toBe('connection_ack');
      expect(client.frames.slice(1).every((f) => f.type === 'ka')).toBe(true);
      expect(client.frames.filter((f) => f.type === 'ka')[0]).toEqual({ type: 'ka' });
      // The socket that never sent connection_init saw the same ticks and got no ka.
      expect(silent.frames).toEqual([]);
      silent.close();
      client.close();
    } finally {
      await fast.close();
    }
  });

  it('sends ka every 60 s when the server sets no interval', async () => {
    // Only the server's interval timer is faked (the sockets and waits run on real timers), so the
    // clock can be moved a minute on; the harness must start after it is installed.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let own: Harness | undefined;
    try {
      own = await startHarness();
      const client = await ackedClient(own);
      const kas = () => client.frames.filter((f) => f.type === 'ka').length;
      // A frame the server answers at once: had a ka been sent before it, it would have arrived first.
      const probe = async () => {
        client.send('not json');
        await client.next((f) => f.type === 'error', 'the answer to the probe');
      };
      vi.advanceTimersByTime(59_999);
      await probe();
      expect(kas()).toBe(0);
      vi.advanceTimersByTime(1);
      await waitFor(() => (kas() === 1 ? true : undefined), 'the first ka');
      vi.advanceTimersByTime(59_999);
      await probe();
      expect(kas()).toBe(1);
      vi.advanceTimersByTime(1);
      await waitFor(() => (kas() === 2 ? true : undefined), 'the second ka');
      client.close();
    } finally {
      await own?.close();
      vi.useRealTimers();
    }
  });

  it('closes a connection with no subscriptions after the idle timeout, but keeps one with a subscription', async () => {
    const idle = await startHarness({ keepAliveIntervalMs: 20, idleTimeoutMs: 60 });
    try {
      const busy = await ackedClient(idle);
      await subscribe(idle, busy, 'subscription { onSlotChanged(providerId: "01HZX0000000000000000000PA") { slotId } }');
      const quiet = await ackedClient(idle);
      await quiet.closed();
      expect(busy.closeCode).toBeNull();
      expect(busy.ws.readyState).toBe(WebSocket.OPEN);
      await waitFor(() => (idle.realtime.connectionCount === 1 ? true : undefined), 'the server to drop the idle connection');
      busy.close();
    } finally {
      await idle.close();
    }
  });
});

describe('server bookkeeping', () => {
  it('counts connections and subscriptions, and forgets them when a client goes away', async () => {
    const before = { connections: h.realtime.connectionCount, subscriptions: h.realtime.subscriptionCount };
    const client = await ackedClient(h);
    await subscribe(h, client, 'subscription { onSlotChanged(providerId: "01HZX0000000000000000000PA") { slotId } }');
    await subscribe(h, client, 'subscription { onSlotChanged(providerId: "01HZX0000000000000000000PB") { slotId } }');
    expect(h.realtime.connectionCount).toBe(before.connections + 1);
    expect(h.realtime.subscriptionCount).toBe(before.subscriptions + 2);
    client.close();
    await waitFor(() => (h.realtime.subscriptionCount === before.subscriptions ? true : undefined), 'subscriptions to be released');
    await waitFor(() => (h.realtime.connectionCount === before.connections ? true : undefined), 'the connection to be released');
  });

  it('closes every connection when the server closes', async () => {
    const own = await startHarness();
    const client = await ackedClient(own);
    await own.close();
    expect(await client.closed()).toBe(1001);
  });
});
