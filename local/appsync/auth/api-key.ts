// API keys as AppSync issues them: `da2-` plus 26 lower-case alphanumerics, each with an expiry
// (epoch seconds). The local key is kept in the state directory so scripts keep working across
// restarts until it expires.
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ApiKey {
  id: string;
  /** Epoch seconds after which AppSync refuses the key. */
  expires: number;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_RE = /^da2-[a-z0-9]{26}$/;
/** AppSync's default API key lifetime: 7 days. */
export const DEFAULT_API_KEY_TTL_SECONDS = 7 * 24 * 3600;
const API_KEY_FILE = 'api-key.json';

export function generateApiKey(ttlSeconds = DEFAULT_API_KEY_TTL_SECONDS, nowSeconds = Math.floor(Date.now() / 1000)): ApiKey {
  let id = 'da2-';
  for (let i = 0; i < 26; i += 1) id += ALPHABET[randomInt(ALPHABET.length)];
  return { id, expires: nowSeconds + ttlSeconds };
}

/** The state directory's API key, replaced by a fresh one when missing, unreadable or expired. */
export function loadOrCreateApiKey(stateDir: string, nowSeconds = Math.floor(Date.now() / 1000)): ApiKey {
  const file = join(stateDir, API_KEY_FILE);
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<ApiKey>;
    if (typeof stored.id === 'string' && KEY_RE.test(stored.id) && typeof stored.expires === 'number' && stored.expires > nowSeconds) {
      return { id: stored.id, expires: stored.expires };
    }
  } catch {
    // missing or corrupt: issue a new key below
  }
  const key = generateApiKey(DEFAULT_API_KEY_TTL_SECONDS, nowSeconds);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(key)}\n`, { mode: 0o600 });
  return key;
}

export function findValidApiKey(keys: readonly ApiKey[], presented: string, nowSeconds: number): ApiKey | undefined {
  return keys.find((k) => k.id === presented && k.expires > nowSeconds);
}
