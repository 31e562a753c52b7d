// nextToken: opaque and sealed, as AppSync's is. The LastEvaluatedKey is encrypted with AES-256-GCM
// under the data source's key, bound (as associated data) to where it came from: a token from
// another data source, table, index, operation, resolver or function, or an altered one, does not
// open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidPaginationTokenError } from './errors.ts';
import { isPlainObject, toWireItem, typedItem, type WireItem } from './values.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;
// Tokens are short; anything longer is not ours and is refused before any work.
const MAX_TOKEN_CHARS = 16_384;

export interface PageTokens {
  seal(lastEvaluatedKey: WireItem, scope: string): string;
  /** The LastEvaluatedKey inside, or InvalidPaginationTokenError. */
  open(token: string, scope: string): WireItem;
}

export function pageTokens(key: Buffer): PageTokens {
  if (key.length !== 32) throw new Error(`the nextToken key must be 32 bytes (AES-256), got ${key.length}`);
  return {
    seal(lastEvaluatedKey, scope) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(scope, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(typedItem(lastEvaluatedKey)), 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
      // Like AppSync's tokens, base64 of a small JSON envelope.
      return Buffer.from(JSON.stringify({ version: 1, token: sealed }), 'utf8').toString('base64');
    },
    open(token, scope) {
      if (token.length > MAX_TOKEN_CHARS) throw new InvalidPaginationTokenError();
      try {
        const envelope: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
        if (!isPlainObject(envelope) || envelope.version !== 1 || typeof envelope.token !== 'string') {
          throw new InvalidPaginationTokenError();
        }
        const raw = Buffer.from(envelope.token, 'base64');
        if (raw.length <= IV_BYTES + TAG_BYTES) throw new InvalidPaginationTokenError();
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(scope, 'utf8'));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
        return toWireItem(JSON.parse(plain.toString('utf8')), '$[nextToken]');
      } catch {
        throw new InvalidPaginationTokenError();
      }
    },
  };
}

/** Where a page came from: the token only continues the same read. */
export function pageScope(parts: Array<string | number | undefined>): string {
  return JSON.stringify(parts.map((p) => p ?? null));
}
