// Auth at connect and again per start, for every mode the API has: API key, Cognito id and access
// tokens (Amplify sends the access token), and IAM SigV4 signed exactly as Amplify signs it; plus
// the schema's auth directives applied to the subscription field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  b64url,
  apiKeyHeaders,
  connectWithQuery,
  connectWithSubprotocol,
  iamHeaders,
  PROVIDER_A,
  slotChange,
  start,
  startHarness,
  startMessage,
  subscribe,
  tokenHeaders,
  type Harness,
  type Headers,
} from './harness.ts';
import { RawClient } from './ws-client.ts';

const ON_SLOT_CHANGED = `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId status } }`;
const ON_MY_BOOKING = 'subscription { onMyBookingChanged { bookingId userId status } }';

let h: Harness;
let idToken: string;
let accessToken: string;
beforeAll(async () => {
  h = await startHarness();
  ({ idToken, accessToken } = await h.userPool.issue({ username: 'alice', groups: ['customers'] }));
});
afterAll(() => h.close());

async function connectAcked(headers: Headers, style: 'subprotocol' | 'query' = 'subprotocol'): Promise<RawClient> {
  const client = style === 'subprotocol' ? await connectWithSubprotocol(h, headers) : await connectWithQuery(h, headers);
  // Sent at once on open, as Amplify does: the server must not lose it while it verifies the header.
  client.send({ type: 'connection_init' });
  const first = await client.nextFrame();
  expect(first).toMatchObject({ type: 'connection_ack' });
  return client;
}

/** Proves a subscription is live: a published change reaches it. */
async function expectDelivery(client: RawClient, id: string): Promise<void> {
  h.realtime.publish('publishSlotChange', slotChange());
  expect(await client.nextOfType('data', id)).toEqual({
    type: 'data',
    id,
    payload: { data: { onSlotChanged: { slotId: slotChange().slotId, status: 'AVAILABLE' } } },
  });
}

describe('connect, per auth mode', () => {
  const modes: Array<[string, () => Promise<Headers>]> = [
    ['API key', async () => apiKeyHeaders(h)],
    ['Cognito id token', async () => tokenHeaders(h, idToken)],
    ['Cognito access token', async () => tokenHeaders(h, accessToken)],
    ['Cognito access token as Bearer', async () => tokenHeaders(h, `Bearer ${accessToken}`)],
    ['IAM SigV4 over /graphql/connect with body {}', () => iamHeaders(h, '/graphql/connect', '{}')],
  ];

  it.each(modes)('%s, header-<base64url> subprotocol', async (_mode, headers) => {
    (await connectAcked(await headers())).close();
  });

  it.each(modes)('%s, ?header= query', async (_mode, headers) => {
    (await connectAcked(await headers(), 'query')).close();
  });

  it.each<[string, () => Promise<Headers>]>([
    ['IAM signed over /graphql instead of /graphql/connect', () => iamHeaders(h, '/graphql', '{}')],
    ['IAM signed over another body', () => iamHeaders(h, '/graphql/connect', '{"a":1}')],
    ['IAM with an unknown secret', () => iamHeaders(h, '/graphql/connect', '{}', { accessKeyId: 'slotsynclocal', secretAccessKey: 'wrong' })],
    ['IAM with an unknown access key', () => iamHeaders(h, '/graphql/connect', '{}', { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' })],
    ['IAM headers for another host', async () => ({ ...(await iamHeaders(h, '/graphql/connect', '{}')), host: 'elsewhere:1' })],
  ])('refuses %s', async (_name, headers) => {
    const client = await connectWithSubprotocol(h, await headers());
    client.send({ type: 'connection_init' });
    expect(await client.nextFrame()).toMatchObject({ type: 'connection_error', payload: { errors: [{ errorCode: 400 }] } });
    await client.closed();
  });
});

describe('start, per auth mode', () => {
  let client: RawClient;
  beforeAll(async () => {
    client = await connectAcked(apiKeyHeaders(h));
  });
  afterAll(() => client.close());

  it('API key', async () => {
    await expectDelivery(client, await subscribe(h, client, ON_SLOT_CHANGED, { authorization: apiKeyHeaders(h) }));
  });

  it('Cognito id token, on a connection opened with an API key', async () => {
    await expectDelivery(client, await subscribe(h, client, ON_SLOT_CHANGED, { authorization: tokenHeaders(h, idToken) }));
  });

  it('Cognito access token', async () => {
    await expectDelivery(client, await subscribe(h, client, ON_SLOT_CHANGED, { authorization: tokenHeaders(h, accessToken) }));
  });

  it('IAM SigV4 over /graphql with the data string as body passes auth (then the field directive decides)', async () => {
    const query = 'subscription { onMyBookingChanged { bookingId } }';
    const data = JSON.stringify({ query, variables: {} });
    const authorization = await iamHeaders(h, '/graphql', data);
    const id = 'iam-start';
    client.send({ id, type: 'start', payload: { data, extensions: { authorization } } });
    // onMyBookingChanged is user-pool only: IAM passes auth but the directive denies the field.
    expect(await client.next((f) => f.id === id)).toEqual({
      type: 'error',
      id,
      payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onMyBookingChanged on type Subscription' }] },
    });
  });

  it('IAM signed over another data string is refused', async () => {
    const { id, data } = startMessage(h, ON_SLOT_CHANGED);
    const authorization = await iamHeaders(h, '/graphql', `${data} `);
    client.send({ id, type: 'start', payload: { data, extensions: { authorization } } });
    expect(await client.next((f) => f.id === id)).toMatchObject({
      type: 'error',
      id,
      payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 403 }] },
    });
  });

  it('IAM signed over /graphql/connect is refused for a start', async () => {
    const { id, data } = startMessage(h, ON_SLOT_CHANGED);
    const authorization = await iamHeaders(h, '/graphql/connect', data);
    client.send({ id, type: 'start', payload: { data, extensions: { authorization } } });
    expect(await client.next((f) => f.id === id)).toMatchObject({ type: 'error', payload: { errors: [{ errorType: 'UnauthorizedException' }] } });
  });

  it.each<[string, () => Headers]>([
    ['no credentials', () => ({ host: h.host })],
    ['an unknown API key', () => apiKeyHeaders(h, 'da2-bbbbbbbbbbbbbbbbbbbbbbbbbb')],
    ['a forged token', () => tokenHeaders(h, `${accessToken.slice(0, -4)}AAAA`)],
  ])('refuses a start with %s, and the connection stays usable', async (_name, headers) => {
    const { reply } = await start(h, client, ON_SLOT_CHANGED, { authorization: headers() });
    expect(reply).toMatchObject({ type: 'error', payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 401 }] } });
    await expectDelivery(client, await subscribe(h, client, ON_SLOT_CHANGED));
  });
});

describe('auth directives on the subscription field', () => {
  it('onMyBookingChanged with an API key: Unauthorized, and the resolver never runs', async () => {
    const client = await connectAcked(apiKeyHeaders(h));
    const calls = h.runner.calls.length;
    const { id, reply } = await start(h, client, ON_MY_BOOKING);
    expect(reply).toEqual({
      type: 'error',
      id,
      payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onMyBookingChanged on type Subscription' }] },
    });
    expect(h.runner.calls.length).toBe(calls);
    client.close();
  });

  it('reports sourceIp as the HTTP API does: the peer, then at most 10 x-forwarded-for addresses', async () => {
    const forwarded = Array.from({ length: 12 }, (_, i) => `203.0.113.${i + 1}`);
    const client = await RawClient.open(h.url, ['graphql-ws', `header-${b64url(tokenHeaders(h, accessToken))}`], {
      headers: { 'x-forwarded-for': forwarded.join(', ') },
    });
    client.send({ type: 'connection_init' });
    await client.nextOfType('connection_ack');
    await subscribe(h, client, ON_MY_BOOKING, { authorization: tokenHeaders(h, accessToken) });
    expect((h.runner.calls.at(-1)!.invocation.identity as { sourceIp: string[] }).sourceIp).toEqual(['127.0.0.1', ...forwarded.slice(0, 10)]);
    client.close();
  });

  it('onSlotChanged with IAM (not among its directives): Unauthorized', async () => {
    const client = await connectAcked(apiKeyHeaders(h));
    const { id, data } = startMessage(h, ON_SLOT_CHANGED);
    client.send({ id, type: 'start', payload: { data, extensions: { authorization: await iamHeaders(h, '/graphql', data) } } });
    expect(await client.next((f) => f.id === id)).toMatchObject({ type: 'error', payload: { errors: [{ errorType: 'Unauthorized' }] } });
    client.close();
  });

  it('onMyBookingChanged with a Cognito token: the resolver sees the caller and filters on their sub', async () => {
    const client = await connectAcked(tokenHeaders(h, accessToken));
    const id = await subscribe(h, client, ON_MY_BOOKING, { authorization: tokenHeaders(h, accessToken) });
    const { invocation } = h.runner.calls.at(-1)!;
    expect(invocation.authType).toBe('User Pool Authorization');
    expect(invocation.identity).toMatchObject({ username: 'alice', groups: ['customers'], sourceIp: ['127.0.0.1'] });
    expect(invocation.info).toMatchObject({ fieldName: 'onMyBookingChanged', parentTypeName: 'Subscription', selectionSetList: ['bookingId', 'userId', 'status'] });
    expect(invocation.request.domainName).toBe(h.host);
    const sub = (invocation.identity as { sub: string }).sub;
    const change = (userId: string, bookingId: string) => ({
      bookingId, userId, providerId: PROVIDER_A, slotId: 's', status: 'CONFIRMED', previousStatus: 'PENDING', at: '2030-01-01T00:00:00.000Z',
    });
    h.realtime.publish('publishBookingChange', change('someone-else', 'b-other'));
    h.realtime.publish('publishBookingChange', change(sub, 'b-mine'));
    // Delivery is in publish order: the first data frame being the caller's own proves the other was filtered out.
    expect(await client.nextOfType('data')).toEqual({
      type: 'data',
      id,
      payload: { data: { onMyBookingChanged: { bookingId: 'b-mine', userId: sub, status: 'CONFIRMED' } } },
    });
    client.close();
  });

  it('an IAM identity reaches the resolver with the IAM shape', async () => {
    const client = await connectAcked(await iamHeaders(h, '/graphql/connect', '{}'));
    const { id, data } = startMessage(h, ON_SLOT_CHANGED);
    // A start authorized by API key on an IAM connection: each start carries its own credentials.
    client.send({ id, type: 'start', payload: { data, extensions: { authorization: apiKeyHeaders(h) } } });
    await client.nextOfType('start_ack', id);
    expect(h.runner.calls.at(-1)!.invocation.authType).toBe('API Key Authorization');
    expect(h.runner.calls.at(-1)!.invocation.identity).toBeNull();
    client.close();
  });
});
