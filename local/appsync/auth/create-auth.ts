// Request authentication for the local AppSync: picks the mode from the headers the way AppSync
// does (SigV4 Authorization, else x-api-key, else a user-pool JWT), verifies it, and builds
// ctx.identity. Takes plain headers so the realtime server can authenticate the header objects
// its protocol carries inside messages.
import type { AuthType, Identity } from '../runtime/types.ts';
import type { AuthMode } from '../schema/auth-directives.ts';
import { findValidApiKey, type ApiKey } from './api-key.ts';
import { MISSING_CREDENTIALS, NOT_AUTHORIZED, type AuthFailure } from './errors.ts';
import { isSigV4Authorization, verifySigV4, type IamPrincipal } from './iam.ts';
import type { LocalUserPool } from './user-pool.ts';

export interface AuthRequest {
  method: string;
  /** Path (and query) the caller signed, e.g. `/graphql`; for IAM only. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body the caller signed; for IAM only. */
  body: string | Uint8Array;
  /** ctx.identity.sourceIp: the TCP peer, then any x-forwarded-for addresses. */
  sourceIp: string[];
}

export interface AuthSuccess {
  ok: true;
  mode: AuthMode;
  authType: AuthType;
  identity: Identity;
  /** Cognito groups, for @aws_cognito_user_pools(cognito_groups). */
  groups: string[];
}

export type AuthOutcome = AuthSuccess | AuthFailure;

export interface AuthOptions {
  defaultMode: AuthMode;
  additionalModes: AuthMode[];
  /** API keys the API accepts (API_KEY mode). A function is read per request, so keys can rotate. */
  apiKeys: readonly ApiKey[] | (() => readonly ApiKey[]);
  userPool?: LocalUserPool;
  iamPrincipals: readonly IamPrincipal[];
  region: string;
  /** Clock, for expiry checks. */
  now?: () => Date;
}

export interface Auth {
  modes: AuthMode[];
  authenticate(request: AuthRequest): Promise<AuthOutcome>;
}

const AUTH_TYPES: Record<AuthMode, AuthType | undefined> = {
  API_KEY: 'API Key Authorization',
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  AWS_IAM: 'IAM Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  AWS_LAMBDA: undefined,
};

/** Header values as one string, names lower-cased (realtime header objects arrive in any case). */
export function normalizeHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

export function createAuth(options: AuthOptions): Auth {
  const modes = [options.defaultMode, ...options.additionalModes];
  const now = options.now ?? (() => new Date());
  const enabled = (mode: AuthMode) => modes.includes(mode);
  const success = (mode: AuthMode, identity: Identity, groups: string[] = []): AuthSuccess => ({
    ok: true,
    mode,
    authType: AUTH_TYPES[mode] as AuthType,
    identity,
    groups,
  });

  return {
    modes,
    async authenticate(request) {
      const headers = normalizeHeaders(request.headers);
      const authorization = headers.authorization;
      if (isSigV4Authorization(authorization)) {
        if (!enabled('AWS_IAM')) return NOT_AUTHORIZED();
        const verified = await verifySigV4(
          { method: request.method, path: request.path, headers, body: request.body },
          options.iamPrincipals,
          options.region,
          now(),
        );
        if (!verified.ok) return verified;
        const p = verified.principal;
        return success('AWS_IAM', {
          accountId: p.accountId,
          cognitoIdentityPoolId: null,
          cognitoIdentityId: null,
          sourceIp: request.sourceIp,
          username: p.username,
          userArn: p.userArn,
          cognitoIdentityAuthType: null,
          cognitoIdentityAuthProvider: null,
        });
      }
      const apiKey = headers['x-api-key'];
      if (apiKey !== undefined) {
        if (!enabled('API_KEY')) return NOT_AUTHORIZED();
        const keys = typeof options.apiKeys === 'function' ? options.apiKeys() : options.apiKeys;
        if (!findValidApiKey(keys, apiKey, Math.floor(now().getTime() / 1000))) return NOT_AUTHORIZED();
        return success('API_KEY', null);
      }
      if (authorization) {
        if (!enabled('AMAZON_COGNITO_USER_POOLS') || !options.userPool) return NOT_AUTHORIZED();
        const token = authorization.replace(/^Bearer\s+/i, '');
        const user = await options.userPool.verify(token);
        if (!user.ok) return user;
        return success(
          'AMAZON_COGNITO_USER_POOLS',
          {
            sub: user.sub,
            issuer: options.userPool.issuer,
            username: user.username,
            claims: user.claims,
            sourceIp: request.sourceIp,
            defaultAuthStrategy: 'ALLOW',
            groups: user.groups.length > 0 ? user.groups : null,
          },
          user.groups,
        );
      }
      return MISSING_CREDENTIALS();
    },
  };
}
