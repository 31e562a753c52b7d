// AWS_IAM auth: SigV4 (service `appsync`) verified against the local credentials by re-signing
// the request with @smithy/signature-v4 over exactly the headers the caller signed. Failures
// answer 403 with the errorTypes AWS uses for SigV4 (InvalidSignatureException, ...).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { authFailure, type AuthFailure } from './errors.ts';

export interface IamPrincipal {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  accountId: string;
  userArn: string;
  /** ctx.identity.username: the principal's unique id (e.g. AIDA… for a user, AROA…:session for a role). */
  username: string;
}

export interface SignedRequest {
  method: string;
  /** Path and optional query string, e.g. `/graphql` or `/graphql/connect`. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string | Uint8Array;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MAX_SKEW_MS = 5 * 60 * 1000;

const incomplete = (message: string) => authFailure(403, 'IncompleteSignatureException', message);
const invalid = (message: string) => authFailure(403, 'InvalidSignatureException', message);

export function isSigV4Authorization(value: string | undefined): boolean {
  return value?.startsWith('AWS4-HMAC-SHA256') ?? false;
}

function parseAmzDate(value: string): Date | null {
  const m = AMZ_DATE_RE.exec(value);
  if (!m) return null;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? null : date;
}

function splitPath(path: string): { pathname: string; query: Record<string, string | string[]> } {
  const url = new URL(path, 'http://local');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { pathname: url.pathname, query };
}

export async function verifySigV4(
  request: SignedRequest,
  principals: readonly IamPrincipal[],
  region: string,
  now: Date,
): Promise<{ ok: true; principal: IamPrincipal } | AuthFailure> {
  const m = AUTH_RE.exec(request.headers.authorization ?? '');
  if (!m) {
    return incomplete(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters in the AWS4-HMAC-SHA256 format.",
    );
  }
  const [, accessKeyId, scopeDate, scopeRegion, scopeService, signedHeaderList, signature] = m;
  const signedHeaders = signedHeaderList.split(';');
  for (const name of signedHeaders) {
    if (request.headers[name] === undefined) {
      return incomplete(`'${name}' is named as a SignedHeader, but it does not exist in the HTTP request.`);
    }
  }
  if (!signedHeaders.includes('host')) return incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const amzDate = request.headers['x-amz-date'];
  const signingDate = amzDate ? parseAmzDate(amzDate) : null;
  if (!amzDate || !signingDate || !signedHeaders.includes('x-amz-date')) {
    return incomplete("Authorization header requires existence of a signed 'X-Amz-Date' header.");
  }
  if (scopeDate !== amzDate.slice(0, 8)) return invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'`);
  if (scopeRegion !== region) return invalid(`Credential should be scoped to a valid region, not '${scopeRegion}'.`);
  if (scopeService !== 'appsync') return invalid("Credential should be scoped to correct service: 'appsync'.");
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    return invalid(`Signature expired: ${amzDate} is outside the 5 minute window around the server time.`);
  }
  const principal = principals.find((p) => p.accessKeyId === accessKeyId);
  if (!principal || (principal.sessionToken !== undefined && request.headers['x-amz-security-token'] !== principal.sessionToken)) {
    return authFailure(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }

  // The signer trusts a client-supplied payload hash: check it against the body actually received.
  const declaredHash = request.headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(request.body).digest('hex')) {
    return invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: principal.secretAccessKey },
    region,
    service: 'appsync',
    sha256: Sha256,
    applyChecksum: false,
  });
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = request.headers[name];
  const { pathname, query } = splitPath(request.path);
  const signed = await signer.sign(
    { method: request.method.toUpperCase(), protocol: 'https:', hostname: headers.host, path: pathname, query, headers, body: request.body },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  const matches = expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (!matches) {
    return invalid(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { ok: true, principal };
}

/** The principal the local stack signs with (the same key pair every local SDK client uses). */
export function localIamPrincipal(credentials: { accessKeyId: string; secretAccessKey: string }): IamPrincipal {
  return {
    ...credentials,
    accountId: '000000000000',
    userArn: 'arn:aws:iam::000000000000:user/slotsync-local',
    username: 'AIDASLOTSYNCLOCAL000',
  };
}
