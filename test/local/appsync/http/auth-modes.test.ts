// Every auth mode through real HTTP requests: accepted, refused at the request level (401/403),
// and denied per field by the schema's directives (Unauthorized inside a 200).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, importJWK } from 'jose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gql, signedHeaders, startServer, type TestServer, readJson } from './support.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

const GET_PROVIDER = 'query { getProvider(id: "p1") { id name } }';
const PUBLISH = `mutation P($input: SlotChangeInput!) { publishSlotChange(input: $input) { providerId slotId status at } }`;
const slotChange = {
  providerId: 'p1',
  date: '2030-01-02',
  slotId: 's1',
  startTime: '2030-01-02T09:00:00Z',
  status: 'AVAILABLE',
  reason: 'EXPIRED',
  at: '2030-01-02T08:59:00Z',
};

describe('request-level authentication', () => {
  it('refuses a request without credentials with 401 UnauthorizedException', async () => {
    const r = await gql(s.url, {}, GET_PROVIDER);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] });
    expect(r.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
  });

  it('accepts a valid API key and refuses a wrong one', async () => {
    const ok = await gql(s.url, { 'x-api-key': s.apiKey }, GET_PROVIDER);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ data: { getProvider: { id: 'p1', name: 'Dr Who' } } });
    expect(s.runner.calls.at(-1)?.invocation.identity).toBeNull();
    expect(s.runner.calls.at(-1)?.invocation.authType).toBe('API Key Authorization');

    const wrong = await gql(s.url, { 'x-api-key': 'da2-aaaaaaaaaaaaaaaaaaaaaaaaaa' }, GET_PROVIDER);
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors[0]).toEqual({ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' });
  });

  it('accepts a user-pool token and builds the Cognito identity', async () => {
    const token = await s.token('alice', ['providers']);
    const r = await gql(s.url, { authorization: token, 'x-forwarded-for': '203.0.113.7' }, GET_PROVIDER);
    expect(r.status).toBe(200);
    const inv = s.runner.calls.at(-1)!.invocation;
    expect(inv.authType).toBe('User Pool Authorization');
    expect(inv.identity).toMatchObject({
      username: 'alice',
      issuer: s.userPool.issuer,
      defaultAuthStrategy: 'ALLOW',
      groups: ['providers'],
      sourceIp: ['127.0.0.1', '203.0.113.7'],
    });
    const identity = inv.identity as { sub: string; claims: Record<string, unknown> };
    expect(identity.claims['cognito:username']).toBe('alice');
    expect(identity.claims.sub).toBe(identity.sub);
  });

  it('gives a user in no groups ctx.identity.groups null, not an empty list, as AppSync does', async () => {
    const r = await gql(s.url, { authorization: await s.token('nobody') }, GET_PROVIDER);
    expect(r.status).toBe(200);
    expect(s.runner.calls.at(-1)!.invocation.identity).toMatchObject({ username: 'nobody', groups: null });
  });

  it('refuses an expired token', async () => {
    const { idToken } = await s.userPool.issue({ username: 'alice', issuedAt: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 3600 });
    const r = await gql(s.url, { authorization: idToken }, GET_PROVIDER);
    expect(r.status).toBe(401);
    expect(r.body.errors[0]).toEqual({ errorType: 'UnauthorizedException', message: 'Token has expired.' });
  });

  it('refuses a tampered token (claims changed after signing)', async () => {
    const token = await s.token('mallory');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims['cognito:groups'] = ['admins'];
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    const r = await gql(s.url, { authorization: forged }, GET_PROVIDER);
    expect(r.status).toBe(401);
    expect(r.body.errors[0].errorType).toBe('UnauthorizedException');
  });

  it('refuses a token signed by the right key for another issuer', async () => {
    const jwk = JSON.parse(readFileSync(join(s.stateDir, 'user-pool-signing-key.json'), 'utf8'));
    const key = await importJWK(jwk, 'RS256');
    const token = await new SignJWT({ token_use: 'id', 'cognito:username': 'eve', aud: 'slotsynclocalclient', sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setIssuer('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
    const r = await gql(s.url, { authorization: token }, GET_PROVIDER);
    expect(r.status).toBe(401);
    expect(r.body.errors[0].errorType).toBe('UnauthorizedException');
  });

  it('refuses a token of the pool for another app client, and one with no token_use', async () => {
    const jwk = JSON.parse(readFileSync(join(s.stateDir, 'user-pool-signing-key.json'), 'utf8'));
    const key = await importJWK(jwk, 'RS256');
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT({ 'cognito:username': 'eve', sub: 'x', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
        .setIssuer(s.userPool.issuer)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key);
    for (const token of [await signed({ token_use: 'id', aud: 'anotherclient' }), await signed({ aud: 'slotsynclocalclient' })]) {
      const r = await gql(s.url, { authorization: token }, GET_PROVIDER);
      expect(r.status).toBe(401);
      expect(r.body.errors[0]).toEqual({ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' });
    }
  });

  it('refuses a value that is not a JWT', async () => {
    const r = await gql(s.url, { authorization: 'not-a-token' }, GET_PROVIDER);
    expect(r.status).toBe(401);
    expect(r.body.errors[0]).toEqual({ errorType: 'UnauthorizedException', message: 'Unable to parse JWT token.' });
  });

  it('accepts a SigV4-signed request and builds the IAM identity', async () => {
    const body = JSON.stringify({ query: PUBLISH, variables: { input: slotChange } });
    const headers = await signedHeaders(s.url, body);
    const res = await fetch(s.url, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({
      data: { publishSlotChange: { providerId: 'p1', slotId: 's1', status: 'AVAILABLE', at: '2030-01-02T08:59:00Z' } },
    });
    const inv = s.runner.calls.at(-1)!.invocation;
    expect(inv.authType).toBe('IAM Authorization');
    expect(inv.identity).toMatchObject({ accountId: '000000000000', sourceIp: ['127.0.0.1'], cognitoIdentityPoolId: null });
  });

  it('refuses a SigV4 request whose body was changed after signing', async () => {
    const body = JSON.stringify({ query: PUBLISH, variables: { input: slotChange } });
    const headers = await signedHeaders(s.url, body);
    const res = await fetch(s.url, { method: 'POST', headers, body: body.replace('s1', 's2') });
    expect(res.status).toBe(403);
    expect((await readJson(res)).errors[0].errorType).toBe('InvalidSignatureException');
  });

  it('refuses a SigV4 request signed with the wrong secret or an unknown key', async () => {
    const body = JSON.stringify({ query: PUBLISH, variables: { input: slotChange } });
    const wrongSecret = await signedHeaders(s.url, body, { accessKeyId: 'slotsynclocal', secretAccessKey: 'guess' });
    const r1 = await fetch(s.url, { method: 'POST', headers: wrongSecret, body });
    expect(r1.status).toBe(403);
    expect((await readJson(r1)).errors[0].errorType).toBe('InvalidSignatureException');

    const unknown = await signedHeaders(s.url, body, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' });
    const r2 = await fetch(s.url, { method: 'POST', headers: unknown, body });
    expect(r2.status).toBe(403);
    expect((await readJson(r2)).errors[0]).toEqual({
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });
});

describe('field-level authorization from the schema directives', () => {
  it('denies IAM on a user-pool-only field inside a 200, without running the resolver', async () => {
    const before = s.runner.calls.length;
    const query = 'query { getProvider(id: "p1") { id } }';
    const body = JSON.stringify({ query });
    const res = await fetch(s.url, { method: 'POST', headers: await signedHeaders(s.url, body), body });
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({
      data: { getProvider: null },
      errors: [
        {
          path: ['getProvider'],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          locations: [{ line: 1, column: 9, sourceName: null }],
          message: 'Not Authorized to access getProvider on type Query',
        },
      ],
    });
    expect(s.runner.calls.length).toBe(before);
  });

  it('denies API key on a field without directives (default mode only)', async () => {
    const r = await gql(s.url, { 'x-api-key': s.apiKey }, 'query { getBooking(id: "b1") { id } }');
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ getBooking: null });
    expect(r.body.errors[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access getBooking on type Query' });
  });

  it('allows the default mode on a field without directives', async () => {
    const token = await s.token('bob');
    const r = await gql(s.url, { authorization: token }, 'query { getBooking(id: "b1") { id userId } }');
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.getBooking.id).toBe('b1');
  });

  it('denies a user outside the cognito_groups of a field, allows one inside', async () => {
    const mutation = 'mutation { createProvider(input: {name: "N", timeZone: "Europe/Paris"}) { id ownerId } }';
    const outsider = await gql(s.url, { authorization: await s.token('carol') }, mutation);
    expect(outsider.status).toBe(200);
    expect(outsider.body.errors[0]).toMatchObject({
      path: ['createProvider'],
      errorType: 'Unauthorized',
      message: 'Not Authorized to access createProvider on type Mutation',
    });
    const provider = await gql(s.url, { authorization: await s.token('dave', ['providers']) }, mutation);
    expect(provider.body.errors).toBeUndefined();
    expect(provider.body.data.createProvider.id).toBe('new');
  });

  it('applies type directives to nested fields: an API-key caller reads Provider fields', async () => {
    // Provider is @aws_api_key @aws_cognito_user_pools: an API-key caller reads its fields.
    const r = await gql(s.url, { 'x-api-key': s.apiKey }, 'query { listProviders { items { id ownerId } nextToken } }');
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.listProviders.items).toHaveLength(2);
  });
});
