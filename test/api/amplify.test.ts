// A stock third-party client against the whole local API: aws-amplify v6's generateClient() in Node
// queries with the API key, mutates as a signed-in user pool session, and receives, over the
// real-time endpoint, the slot change that the real pipeline (DynamoDB stream → change-publisher
// Lambda → IAM publish mutation) pushes when the user holds a slot; then it unsubscribes.
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJWT } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket, type ClientOptions } from 'ws';
import type { ClientRequestArgs } from 'node:http';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/**
 * Node 20 has no global WebSocket, and Amplify dials wss:// for any endpoint that is not an AWS
 * one. The local server speaks plain ws, so the loopback wss:// URL is mapped to ws://.
 */
class LoopbackWebSocket extends WsWebSocket {
  constructor(url: string | URL, protocols?: string | string[], options?: ClientOptions | ClientRequestArgs) {
    super(String(url).replace(/^wss:\/\/127\.0\.0\.1:/, 'ws://127.0.0.1:'), protocols, options);
  }
}

/** The part of the Amplify client used here (its full generic type is too deep for tsc). */
interface Client {
  graphql(options: Record<string, unknown>): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely and asserted
type Result = { data: Record<string, any>; errors?: unknown[] };

let server: TestServer;
const original = (globalThis as { WebSocket?: unknown }).WebSocket;

function configure(session?: { idToken: string; accessToken: string }): Client {
  const endpoint = server.outputs.graphqlEndpoint;
  Amplify.configure(
    {
      API: {
        GraphQL: session
          ? { endpoint, region: 'us-east-1', defaultAuthMode: 'userPool' }
          : { endpoint, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: server.outputs.apiKey },
      },
    },
    session
      ? { Auth: { tokenProvider: { getTokens: async () => ({ accessToken: decodeJWT(session.accessToken), idToken: decodeJWT(session.idToken) }) } } }
      : undefined,
  );
  return generateClient() as unknown as Client;
}

async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = LoopbackWebSocket;
  server = await startTestServer();
});

afterAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = original;
  await server?.close();
});

describe('aws-amplify v6 against the local API', () => {
  it('queries with the API key, mutates as a user, and receives the slot change the pipeline publishes', async () => {
    const owner = await server.userPool.issue({ username: 'amplify-owner', groups: ['providers'] });
    const asOwner = configure(owner);
    const created = (await asOwner.graphql({
      query: `mutation($input: CreateProviderInput!) { createProvider(input: $input) { id name } }`,
      variables: { input: { name: 'Amplify Clinic', timeZone: 'America/New_York' } },
    })) as Result;
    const providerId = created.data.createProvider.id as string;
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const availability = (await asOwner.graphql({
      query: `mutation($input: CreateAvailabilityInput!) { createAvailability(input: $input) { slotCount } }`,
      variables: { input: { providerId, daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'], startTime: '10:00', endTime: '11:00', slotDurationMinutes: 30, validFrom: day, validTo: day } },
    })) as Result;
    expect(availability.data.createAvailability.slotCount).toBe(2);

    const publicClient = configure();
    const listed = (await publicClient.graphql({
      query: `query($p: ID!, $d: AWSDate!) { listSlots(providerId: $p, from: $d, to: $d) { items { id status } } }`,
      variables: { p: providerId, d: day },
    })) as Result;
    const slotId = listed.data.listSlots.items[0].id as string;

    const events: Array<{ data: { onSlotChanged: { slotId: string; status: string; reason: string } } }> = [];
    const observable = publicClient.graphql({
      query: `subscription($p: ID!) { onSlotChanged(providerId: $p) { providerId slotId status previousStatus reason } }`,
      variables: { p: providerId },
    }) as { subscribe(o: { next(e: never): void; error(e: unknown): void }): { unsubscribe(): void } };
    const errors: unknown[] = [];
    const subscription = observable.subscribe({ next: (e) => events.push(e), error: (e) => errors.push(e) });
    await waitFor(() => (server.realtime.subscriptionCount === 1 ? true : undefined), 'the subscription to be live');

    const alice = await server.userPool.issue({ username: 'amplify-alice' });
    const held = (await configure(alice).graphql({
      query: `mutation($s: ID!) { createBooking(input: {slotId: $s}) { id status } }`,
      variables: { s: slotId },
    })) as Result;
    expect(held.data.createBooking.status).toBe('PENDING');

    // The GENERATED events of the new slots may still be on their way; wait for the hold's.
    const event = await waitFor(() => events.find((e) => e.data.onSlotChanged.slotId === slotId && e.data.onSlotChanged.status === 'HELD'), 'the HELD slot change');
    expect(event.data.onSlotChanged).toMatchObject({ slotId, status: 'HELD', previousStatus: 'AVAILABLE', reason: 'HELD' });
    expect(errors).toEqual([]);
    subscription.unsubscribe();
    await waitFor(() => (server.realtime.subscriptionCount === 0 ? true : undefined), 'the unsubscribe to reach the server');
  });
});
