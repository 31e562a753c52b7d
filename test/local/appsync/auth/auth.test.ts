// The auth modes on plain header objects (as the realtime protocol carries them): API keys with
// expiry, the local user pool across restarts, and SigV4 verification of signed canonical requests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  createAuth,
  generateApiKey,
  loadOrCreateApiKey,
  localIamPrincipal,
  FOREIGN_TOKEN_HINT,
  openLocalUserPool,
  verifySigV4,
  type AuthOptions,
} from '../../../../local/appsync/auth/index.ts';
import { LOCAL_CREDENTIALS } from '../../../../local/dynamodb/client.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'slotsync-auth-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const principal = localIamPrincipal(LOCAL_CREDENTIALS);
const HOST = 'example123.appsync-api.us-east-1.amazonaws.com';

async function sign(
  path: string,
  body: string,
  options: { credentials?: { accessKeyId: string; secretAccessKey: string }; region?: string; date?: Date; checksum?: boolean; signHost?: boolean } = {},
) {
  const signer = new SignatureV4({
    credentials: options.credentials ?? LOCAL_CREDENTIALS,
    region: options.region ?? 'us-east-1',
    service: 'appsync',
    sha256: Sha256,
    applyChecksum: options.checksum ?? true,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: HOST,
      path,
      headers: {
        accept: 'application/json, text/javascript',
        'content-encoding': 'amz-1.0',
        'content-type': 'application/json; charset=UTF-8',
        ...(options.signHost === false ? {} : { host: HOST }),
      },
      body,
    },
    { signingDate: options.date },
  );
  return signed.headers as Record<string, string>;
}

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

describe('SigV4 verification', () => {
  const now = new Date();

  it('verifies the realtime connect request (/graphql/connect, body {})', async () => {
    const headers = await sign('/graphql/connect', '{}', { checksum: false });
    const result = await verifySigV4({ method: 'POST', path: '/graphql/connect', headers: lower(headers), body: '{}' }, [principal], 'us-east-1', now);
    expect(result).toMatchObject({ ok: true, principal: { accessKeyId: LOCAL_CREDENTIALS.accessKeyId } });
  });

  it('refuses a changed body, path or signed header', async () => {
    const headers = lower(await sign('/graphql', '{"query":"{a}"}', { checksum: false }));
    const verify = (path: string, h: Record<string, string>, body: string) =>
      verifySigV4({ method: 'POST', path, headers: h, body }, [principal], 'us-east-1', now);
    expect(await verify('/graphql', headers, '{"query":"{b}"}')).toMatchObject({ ok: false, status: 403, errorType: 'InvalidSignatureException' });
    expect(await verify('/graphql/connect', headers, '{"query":"{a}"}')).toMatchObject({ ok: false, errorType: 'InvalidSignatureException' });
    expect(await verify('/graphql', { ...headers, 'content-type': 'text/plain' }, '{"query":"{a}"}')).toMatchObject({ ok: false, errorType: 'InvalidSignatureException' });
    const { accept: _accept, ...withoutAccept } = headers;
    expect(await verify('/graphql', withoutAccept, '{"query":"{a}"}')).toEqual({
      ok: false,
      status: 403,
      errorType: 'IncompleteSignatureException',
      message: "'accept' is named as a SignedHeader, but it does not exist in the HTTP request.",
    });
  });

  it('refuses the wrong region, a stale date and a malformed header', async () => {
    const wrongRegion = lower(await sign('/graphql', '{}', { region: 'eu-west-1' }));
    expect(await verifySigV4({ method: 'POST', path: '/graphql', headers: wrongRegion, body: '{}' }, [principal], 'us-east-1', now)).toMatchObject({
      ok: false,
      errorType: 'InvalidSignatureException',
      message: expect.stringContaining('valid region'),
    });
    const stale = lower(await sign('/graphql', '{}', { date: new Date(now.getTime() - 20 * 60 * 1000) }));
    expect(await verifySigV4({ method: 'POST', path: '/graphql', headers: stale, body: '{}' }, [principal], 'us-east-1', now)).toMatchObject({
      ok: false,
      message: expect.stringContaining('Signature expired'),
    });
    expect(
      await verifySigV4({ method: 'POST', path: '/graphql', headers: { authorization: 'AWS4-HMAC-SHA256 nonsense', host: HOST }, body: '' }, [principal], 'us-east-1', now),
    ).toMatchObject({ ok: false, errorType: 'IncompleteSignatureException' });
  });

  it('refuses a date more than 5 minutes ahead of the server time too', async () => {
    const ahead = lower(await sign('/graphql', '{}', { date: new Date(now.getTime() + 20 * 60 * 1000) }));
    expect(await verifySigV4({ method: 'POST', path: '/graphql', headers: ahead, body: '{}' }, [principal], 'us-east-1', now)).toMatchObject({
      ok: false,
      errorType: 'InvalidSignatureException',
      message: expect.stringContaining('Signature expired'),
    });
  });

  it('refuses a signature that does not cover the Host header, even when the request carries one', async () => {
    const headers = lower(await sign('/graphql', '{}', { signHost: false }));
    expect(headers.authorization).not.toMatch(/SignedHeaders=[^,]*host/);
    expect(await verifySigV4({ method: 'POST', path: '/graphql', headers: { ...headers, host: HOST }, body: '{}' }, [principal], 'us-east-1', now)).toEqual({
      ok: false,
      status: 403,
      errorType: 'IncompleteSignatureException',
      message: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });
});

describe('createAuth', () => {
  const base = async (overrides: Partial<AuthOptions> = {}) => {
    const userPool = await openLocalUserPool(tempDir());
    const key = generateApiKey();
    const auth = createAuth({
      defaultMode: 'AMAZON_COGNITO_USER_POOLS',
      additionalModes: ['API_KEY', 'AWS_IAM'],
      apiKeys: [key],
      userPool,
      iamPrincipals: [principal],
      region: 'us-east-1',
      ...overrides,
    });
    return { auth, key, userPool };
  };
  const request = (headers: Record<string, string>, body = '{}') => ({ method: 'POST', path: '/graphql', headers, body, sourceIp: ['10.1.2.3'] });

  it('authenticates realtime-style header objects in any case, for every mode', async () => {
    const { auth, key, userPool } = await base();
    expect(await auth.authenticate(request({ host: HOST, 'X-Api-Key': key.id }))).toMatchObject({ ok: true, mode: 'API_KEY', identity: null });
    const { idToken } = await userPool.issue({ username: 'ann', groups: ['admins'] });
    expect(await auth.authenticate(request({ host: HOST, Authorization: idToken }))).toMatchObject({
      ok: true,
      authType: 'User Pool Authorization',
      groups: ['admins'],
      identity: { username: 'ann', sourceIp: ['10.1.2.3'], groups: ['admins'] },
    });
    const signed = await sign('/graphql/connect', '{}');
    expect(await auth.authenticate({ ...request(signed), path: '/graphql/connect' })).toMatchObject({
      ok: true,
      authType: 'IAM Authorization',
      identity: { accountId: '000000000000', userArn: principal.userArn, username: principal.username, sourceIp: ['10.1.2.3'] },
    });
  });

  it('refuses an expired API key and a mode the API does not use', async () => {
    const expired = generateApiKey(60, Math.floor(Date.now() / 1000) - 120);
    const { auth } = await base({ apiKeys: [expired], additionalModes: ['API_KEY'] });
    expect(await auth.authenticate(request({ 'x-api-key': expired.id }))).toMatchObject({ ok: false, status: 401, message: 'You are not authorized to make this call.' });
    const signed = await sign('/graphql', '{}');
    expect(await auth.authenticate(request(signed))).toMatchObject({ ok: false, status: 401, errorType: 'UnauthorizedException' });
    expect(await auth.authenticate(request({}))).toMatchObject({ ok: false, status: 401, message: 'Valid authorization header not provided.' });
  });
});

describe('local state', () => {
  it('keeps the signing key across restarts: tokens from before still verify', async () => {
    const dir = tempDir();
    const { idToken } = await (await openLocalUserPool(dir)).issue({ username: 'kim' });
    const reopened = await openLocalUserPool(dir);
    expect(await reopened.verify(idToken)).toMatchObject({ ok: true, username: 'kim' });
    const hints: string[] = [];
    const other = await openLocalUserPool(tempDir(), { hint: (m) => hints.push(m) });
    expect(await other.verify(idToken)).toMatchObject({ ok: false, status: 401 });
    expect(await other.verify(idToken)).toMatchObject({ ok: false, status: 401 });
    // A foreign token is answered as AppSync answers it, and explained once on the server's side.
    expect(hints).toEqual([FOREIGN_TOKEN_HINT]);
    expect(hints[0]).not.toContain(idToken);
  });

  it('keeps the API key until it expires, then issues a new one', () => {
    const dir = tempDir();
    const now = Math.floor(Date.now() / 1000);
    const first = loadOrCreateApiKey(dir, now);
    expect(first.id).toMatch(/^da2-[a-z0-9]{26}$/);
    expect(loadOrCreateApiKey(dir, now + 60)).toEqual(first);
    const later = loadOrCreateApiKey(dir, first.expires + 1);
    expect(later.id).not.toBe(first.id);
  });
});
