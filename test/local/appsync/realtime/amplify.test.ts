// A stock third-party client against the local real-time server: aws-amplify v6's generateClient()
// in Node subscribes with the API key and with a Cognito user-pool session (Amplify sends the
// access token), receives a change published on the server side, and unsubscribes with a stop.
// Queries and mutations through Amplify need the HTTP server and are covered where it is wired.
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJWT } from 'aws-amplify/auth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket, type ClientOptions } from 'ws';
import type { ClientRequestArgs } from 'node:http';
import { PROVIDER_A, PROVIDER_B, slotChange, startHarness, type Harness } from './harness.ts';
import { waitFor } from './ws-client.ts';

/** Every frame Amplify's sockets sent and received, to see the protocol it actually spoke. */
const wire: Array<{ direction: 'sent' | 'received'; frame: { type?: string; id?: string } }> = [];
const openedUrls: string[] = [];

/**
 * Node 20 has no global WebSocket, and Amplify always dials wss:// for endpoints that are not
 * *.appsync-api.*.amazonaws.com. The local server speaks plain ws (no TLS on the laptop), so the
 * loopback wss:// URL is mapped to ws://; everything else about the socket is ws's own.
 */
class LoopbackWebSocket extends WsWebSocket {
  constructor(url: string | URL, protocols?: string | string[], options?: ClientOptions | ClientRequestArgs) {
    const target = String(url).replace(/^wss:\/\/127\.0\.0\.1:/, 'ws://127.0.0.1:');
    super(target, protocols, options);
    openedUrls.push(target);
    this.on('message', (data) => wire.push({ direction: 'received', frame: JSON.parse(data.toString()) }));
  }

  override send(data: unknown, ...rest: unknown[]): void {
    if (typeof data === 'string') wire.push({ direction: 'sent', frame: JSON.parse(data) });
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

const ON_SLOT_CHANGED = /* GraphQL */ `
  subscription OnSlotChanged($providerId: ID!) {
    onSlotChanged(providerId: $providerId) { providerId slotId status reason }
  }
`;

interface SlotEvent {
  data: { onSlotChanged: { providerId: string; slotId: string; status: string; reason: string } };
}

/** The part of generateClient()'s client used here (its full generic type is too deep for tsc to compare). */
interface SubscriptionClient {
  graphql(options: Record<string, unknown>): unknown;
}
const newClient = () => generateClient() as unknown as SubscriptionClient;

let h: Harness;
const original = (globalThis as { WebSocket?: unknown }).WebSocket;
beforeAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = LoopbackWebSocket;
  h = await startHarness();
});
afterAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = original;
  await h.close();
});
afterEach(async () => {
  // Amplify closes its socket about a second after the last unsubscribe.
  await waitFor(() => (h.realtime.connectionCount === 0 ? true : undefined), 'Amplify to close its socket');
});

/** Subscribes through Amplify and returns the received events, the subscription and any error. */
function watch(client: SubscriptionClient, options: Record<string, unknown> = {}) {
  const events: SlotEvent[] = [];
  const errors: unknown[] = [];
  const observable = client.graphql({ query: ON_SLOT_CHANGED, variables: { providerId: PROVIDER_A }, ...options }) as unknown as {
    subscribe(observer: { next(e: SlotEvent): void; error(e: unknown): void }): { unsubscribe(): void };
  };
  const subscription = observable.subscribe({ next: (e) => events.push(e), error: (e) => errors.push(e) });
  return { events, errors, subscription };
}

async function receiveAndUnsubscribe(client: SubscriptionClient, options: Record<string, unknown> = {}): Promise<void> {
  const wireStart = wire.length;
  const { events, errors, subscription } = watch(client, options);
  // Live once the server has registered it (start_ack is sent right after).
  await waitFor(() => (h.realtime.subscriptionCount === 1 || errors.length > 0 ? true : undefined), 'the subscription to go live');
  expect(errors).toEqual([]);
  h.realtime.publish('publishSlotChange', slotChange({ providerId: PROVIDER_B, slotId: 'other-provider' }));
  h.realtime.publish('publishSlotChange', slotChange({ slotId: 'for-amplify' }));
  await waitFor(() => (events.length > 0 ? true : undefined), 'Amplify to deliver the event');
  expect(events[0]).toEqual({ data: { onSlotChanged: { providerId: PROVIDER_A, slotId: 'for-amplify', status: 'AVAILABLE', reason: 'EXPIRED' } } });

  subscription.unsubscribe();
  await waitFor(() => (h.realtime.subscriptionCount === 0 ? true : undefined), 'the server to drop the subscription');
  const frames = wire.slice(wireStart);
  const startFrame = frames.find((w) => w.direction === 'sent' && w.frame.type === 'start')!;
  const id = startFrame.frame.id;
  await waitFor(() => (wire.slice(wireStart).some((w) => w.direction === 'received' && w.frame.type === 'complete' && w.frame.id === id) ? true : undefined), 'complete');
  const conversation = wire.slice(wireStart).filter((w) => w.frame.type !== 'ka').map((w) => `${w.direction} ${w.frame.type}`);
  expect(conversation).toEqual([
    'sent connection_init',
    'received connection_ack',
    'sent start',
    'received start_ack',
    'received data',
    'sent stop',
    'received complete',
  ]);
  expect(events).toHaveLength(1);
}

describe('aws-amplify v6 generateClient() subscriptions', () => {
  it('with the API key: subscribes over the header-<base64url> subprotocol, receives, unsubscribes with a stop', async () => {
    Amplify.configure({
      API: { GraphQL: { endpoint: `http://${h.host}/graphql`, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: h.apiKey.id } },
    });
    await receiveAndUnsubscribe(newClient());
    expect(openedUrls.at(-1)).toBe(`ws://${h.host}/graphql/realtime`);
  });

  it('with a Cognito user-pool session: Amplify sends the access token, the resolver sees the user', async () => {
    const { idToken, accessToken } = await h.userPool.issue({ username: 'amplify-user' });
    Amplify.configure(
      {
        API: { GraphQL: { endpoint: `http://${h.host}/graphql`, region: 'us-east-1', defaultAuthMode: 'userPool' } },
      },
      {
        Auth: {
          // The app's signed-in session: tokens from the local user pool instead of Cognito.
          tokenProvider: { getTokens: async () => ({ accessToken: decodeJWT(accessToken), idToken: decodeJWT(idToken) }) },
        },
      },
    );
    const calls = h.runner.calls.length;
    await receiveAndUnsubscribe(newClient());
    const { invocation } = h.runner.calls[calls];
    expect(invocation.authType).toBe('User Pool Authorization');
    expect(invocation.identity).toMatchObject({ username: 'amplify-user', claims: { token_use: 'access' } });
  });

  it('with an explicit authToken on the operation', async () => {
    const { accessToken } = await h.userPool.issue({ username: 'token-user' });
    Amplify.configure({
      API: { GraphQL: { endpoint: `http://${h.host}/graphql`, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: h.apiKey.id } },
    });
    const calls = h.runner.calls.length;
    await receiveAndUnsubscribe(newClient(), { authMode: 'lambda', authToken: accessToken });
    expect(h.runner.calls[calls].invocation.identity).toMatchObject({ username: 'token-user' });
  });

  it('an unknown API key: Amplify gets the connection_error and reports the subscription as failed', async () => {
    Amplify.configure({
      API: { GraphQL: { endpoint: `http://${h.host}/graphql`, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: 'da2-cccccccccccccccccccccccccc' } },
    });
    const wireStart = wire.length;
    const { errors, subscription } = watch(newClient());
    await waitFor(() => (errors.length > 0 ? true : undefined), 'Amplify to report the refusal');
    subscription.unsubscribe();
    expect(wire.slice(wireStart).filter((w) => w.direction === 'received').map((w) => w.frame.type)).toEqual(['connection_error']);
    expect(JSON.stringify(errors[0])).toMatch(/UnauthorizedException/);
  });
});
