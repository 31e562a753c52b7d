// The local stand-in for a Cognito user pool: RS256 id and access tokens shaped like Cognito's,
// signed with a key pair generated once and kept in the state directory, so tokens survive
// restarts and the `slotsync token` command signs with the same key as the server.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { JwtBaseError, JwtExpiredError, JwtInvalidSignatureError, JwtParseError, KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { authFailure, type AuthFailure } from './errors.ts';

export const LOCAL_USER_POOL_ID = 'us-east-1_slotsync';
export const LOCAL_USER_POOL_CLIENT_ID = 'slotsynclocalclient';
/** Cognito's issuer format, so code that inspects `ctx.identity.issuer` sees the real shape. */
export const LOCAL_ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${LOCAL_USER_POOL_ID}`;
/** Cognito's default id/access token lifetime. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** The signing key's file in the state directory. */
export const SIGNING_KEY_FILE = 'user-pool-signing-key.json';
const USERNAME_RE = /^[\w.@+-]{1,128}$/;
const GROUP_RE = /^[\w.@+-]{1,128}$/;

export interface IssueTokenRequest {
  username: string;
  groups?: string[];
  ttlSeconds?: number;
  /** Epoch seconds the token is issued at (defaults to now). */
  issuedAt?: number;
}

export interface IssuedTokens {
  idToken: string;
  accessToken: string;
  expiresIn: number;
}

export interface VerifiedUser {
  ok: true;
  sub: string;
  username: string;
  groups: string[];
  claims: JWTPayload;
}

export interface LocalUserPool {
  issuer: string;
  issue(request: IssueTokenRequest): Promise<IssuedTokens>;
  verify(token: string): Promise<VerifiedUser | AuthFailure>;
  jwks(): { keys: JWK[] };
}

/** A stable user id per username, so a user keeps their bookings across tokens and restarts. */
export function localSub(username: string): string {
  const hex = createHash('sha256').update(`slotsync-local-user:${username}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Validates sign-in input at the edge; returns a message for the caller, or null when fine. */
export function tokenRequestProblem(username: unknown, groups: unknown, allowedGroups: readonly string[]): string | null {
  if (typeof username !== 'string' || !USERNAME_RE.test(username)) {
    return 'username must be 1-128 characters of letters, digits and . _ @ + -';
  }
  if (groups === undefined) return null;
  if (!Array.isArray(groups) || groups.length > 25) return 'groups must be an array of at most 25 group names';
  for (const g of groups) {
    if (typeof g !== 'string' || !GROUP_RE.test(g)) return 'each group must be a group name string';
    if (!allowedGroups.includes(g)) return `unknown group "${g}"; the user pool has: ${allowedGroups.join(', ')}`;
  }
  return null;
}

async function loadOrCreateSigningKey(stateDir: string): Promise<JWK> {
  const file = join(stateDir, SIGNING_KEY_FILE);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  jwk.alg = 'RS256';
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': a server and a `slotsync token` racing to create the key end up sharing one.
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
    return jwk;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  }
}

function publicPart(jwk: JWK): JWK {
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: jwk.kid, alg: 'RS256', use: 'sig' };
}

function groupsClaim(claims: JWTPayload): string[] {
  const groups = claims['cognito:groups'];
  return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
}

/** Said once per pool, on stderr by default, when a token was signed by a key this pool lacks. */
export const FOREIGN_TOKEN_HINT =
  'slotsync: a user token was signed by a key this server does not have (minted for another --state-dir, or edited); ' +
  'the caller got 401 "You are not authorized to make this call.", as AppSync answers. Mint one with `npx slotsync token` for this state directory.';

export async function openLocalUserPool(
  stateDir: string,
  options: { hint?: (message: string) => void } = {},
): Promise<LocalUserPool> {
  const hint = options.hint ?? ((message: string) => console.error(message));
  let hinted = false;
  const jwk = await loadOrCreateSigningKey(stateDir);
  const privateKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
  const publicJwk = publicPart(jwk);
  const kid = jwk.kid ?? '';
  // AWS's own verifier for Cognito tokens: issuer, token_use, client id (aud or client_id), expiry
  // and the RS256 signature against the pool's JWKS, synchronously with node:crypto (jose goes
  // through WebCrypto's thread pool, a hop that cost each request ~0.5 ms under load).
  const verifier = CognitoJwtVerifier.create({ userPoolId: LOCAL_USER_POOL_ID, tokenUse: null, clientId: LOCAL_USER_POOL_CLIENT_ID });
  verifier.cacheJwks({ keys: [publicJwk as Parameters<typeof verifier.cacheJwks>[0]['keys'][number]] });

  const sign = (claims: JWTPayload, iat: number, exp: number) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuedAt(iat).setExpirationTime(exp).sign(privateKey);

  return {
    issuer: LOCAL_ISSUER,
    async issue({ username, groups = [], ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS, issuedAt }) {
      const iat = issuedAt ?? Math.floor(Date.now() / 1000);
      const exp = iat + ttlSeconds;
      const sub = localSub(username);
      const session = { origin_jti: randomUUID(), event_id: randomUUID(), auth_time: iat, iss: LOCAL_ISSUER, sub };
      const groupClaim = groups.length > 0 ? { 'cognito:groups': groups } : {};
      const idToken = await sign(
        { ...session, ...groupClaim, aud: LOCAL_USER_POOL_CLIENT_ID, token_use: 'id', 'cognito:username': username, jti: randomUUID() },
        iat,
        exp,
      );
      const accessToken = await sign(
        {
          ...session,
          ...groupClaim,
          client_id: LOCAL_USER_POOL_CLIENT_ID,
          token_use: 'access',
          scope: 'aws.cognito.signin.user.admin',
          username,
          jti: randomUUID(),
        },
        iat,
        exp,
      );
      return { idToken, accessToken, expiresIn: ttlSeconds };
    },
    async verify(token) {
      try {
        const payload = verifier.verifySync(token) as JWTPayload;
        const username = payload.token_use === 'id' ? payload['cognito:username'] : payload.username;
        if (typeof payload.sub !== 'string' || typeof username !== 'string') {
          return authFailure(401, 'UnauthorizedException', 'You are not authorized to make this call.');
        }
        return { ok: true, sub: payload.sub, username, groups: groupsClaim(payload), claims: payload };
      } catch (err) {
        if (err instanceof JwtParseError) return authFailure(401, 'UnauthorizedException', 'Unable to parse JWT token.');
        if (err instanceof JwtExpiredError) return authFailure(401, 'UnauthorizedException', 'Token has expired.');
        if ((err instanceof KidNotFoundInJwksError || err instanceof JwtInvalidSignatureError) && !hinted) {
          // AppSync says no more; locally the likely cause is worth one line (never the token).
          hinted = true;
          hint(FOREIGN_TOKEN_HINT);
        }
        if (err instanceof JwtBaseError) return authFailure(401, 'UnauthorizedException', 'You are not authorized to make this call.');
        throw err;
      }
    },
    jwks: () => ({ keys: [publicJwk] }),
  };
}
