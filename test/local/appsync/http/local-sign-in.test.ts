// Local sign-in: POST /local/token, the JWKS, and `slotsync token` signing with the server's key.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { gql, startServer, type TestServer, readJson } from './support.ts';

const run = promisify(execFile);
let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

async function signIn(body: unknown) {
  const res = await fetch(`${s.base}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await readJson(res) };
}

describe('POST /local/token', () => {
  it('returns id and access tokens that the API accepts and the JWKS verifies', async () => {
    const r = await signIn({ username: 'alice', groups: ['providers'] });
    expect(r.status).toBe(200);
    expect(r.body.expiresIn).toBe(3600);
    const id = decodeJwt(r.body.idToken);
    expect(id).toMatchObject({ token_use: 'id', 'cognito:username': 'alice', 'cognito:groups': ['providers'] });
    expect(decodeJwt(r.body.accessToken)).toMatchObject({ token_use: 'access', username: 'alice', sub: id.sub });

    const jwks = await readJson(await fetch(`${s.base}/.well-known/jwks.json`));
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
    await expect(jwtVerify(r.body.idToken, createLocalJWKSet(jwks), { issuer: s.userPool.issuer })).resolves.toBeTruthy();

    for (const token of [r.body.idToken, r.body.accessToken]) {
      const q = await gql(s.url, { authorization: token }, 'mutation { createProvider(input: {name: "A", timeZone: "UTC"}) { ownerId } }');
      expect(q.body.data.createProvider.ownerId).toBe(id.sub);
    }
  });

  it('gives the same user the same sub every time', async () => {
    const a = decodeJwt((await signIn({ username: 'zed' })).body.idToken);
    const b = decodeJwt((await signIn({ username: 'zed' })).body.idToken);
    expect(a.sub).toBe(b.sub);
    expect(a['cognito:groups']).toBeUndefined();
  });

  it.each([
    [{}, /username/],
    [{ username: '' }, /username/],
    [{ username: 'a b' }, /username/],
    [{ username: 'x', groups: 'admins' }, /groups/],
    [{ username: 'x', groups: ['wizards'] }, /unknown group "wizards"/],
  ])('refuses %j with 400', async (body, message) => {
    const r = await signIn(body);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].errorType).toBe('BadRequestException');
    expect(r.body.errors[0].message).toMatch(message);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${s.base}/local/token`, { method: 'POST', body: 'username=alice' });
    expect(res.status).toBe(400);
  });
});

describe('slotsync token', () => {
  it('prints an id token signed with the key in the state directory the server uses', async () => {
    const { stdout } = await run('node', ['bin/slotsync.js', 'token', '--user', 'alice', '--group', 'providers', '--state-dir', s.stateDir]);
    const token = stdout.trim();
    expect(decodeJwt(token)).toMatchObject({ 'cognito:username': 'alice', 'cognito:groups': ['providers'], token_use: 'id' });
    const r = await gql(s.url, { authorization: token }, 'mutation { createProvider(input: {name: "B", timeZone: "UTC"}) { id } }');
    expect(r.body).toEqual({ data: { createProvider: { id: 'new' } } });
  });

  it('exits 2 with usage when --user is missing or a group is unknown', async () => {
    await expect(run('node', ['bin/slotsync.js', 'token', '--state-dir', s.stateDir])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--user is required'),
    });
    await expect(run('node', ['bin/slotsync.js', 'token', '--user', 'a', '--group', 'nope', '--state-dir', s.stateDir])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown group'),
    });
  });
});
