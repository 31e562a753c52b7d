// Local sign-in, which exists only in the local server: POST /local/token mints Cognito-shaped
// tokens for a username and groups; GET /.well-known/jwks.json serves the verification key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenRequestProblem, type LocalUserPool } from '../auth/user-pool.ts';
import { readBody } from './body.ts';
import { sendErrors, sendJson } from './respond.ts';

const MAX_SIGN_IN_BODY = 16 * 1024;

export function jwksHandler(userPool: LocalUserPool) {
  return (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, userPool.jwks());
}

export function tokenHandler(userPool: LocalUserPool, groups: readonly string[]) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const read = await readBody(req, MAX_SIGN_IN_BODY);
    if (!read.ok) {
      sendErrors(res, 413, 'PayloadTooLargeException', 'Sign-in body exceeds 16 KB.', { connection: 'close' });
      return;
    }
    let input: unknown;
    try {
      input = JSON.parse(read.body.toString('utf8'));
    } catch {
      sendErrors(res, 400, 'BadRequestException', 'Body must be JSON: {"username": "...", "groups": ["..."]}.');
      return;
    }
    const fields = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    const problem = tokenRequestProblem(fields.username, fields.groups, groups);
    if (problem) {
      sendErrors(res, 400, 'BadRequestException', problem);
      return;
    }
    const tokens = await userPool.issue({ username: fields.username as string, groups: (fields.groups as string[] | undefined) ?? [] });
    sendJson(res, 200, tokens, { 'cache-control': 'no-store' });
  };
}
