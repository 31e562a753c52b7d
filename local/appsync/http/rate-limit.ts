// The per-client-IP rate-based rules WAF applies in front of the API (infra/wiring.ts
// api.rateLimit), applied locally the same way: a sliding window per source IP, in memory bounded
// by a cap on tracked clients (least recently seen evicted first). SigV4-signed requests (the
// backend's own publishes) are counted apart, against the signed limit, as WAF's two rules count them.
import type { IncomingHttpHeaders } from 'node:http';
import { api, SIGV4_AUTHORIZATION_PREFIX } from '../../../infra/wiring.ts';

export interface RateLimit {
  limit: number;
  windowSeconds: number;
  /** For SigV4-signed requests; the wiring's when absent. */
  signedLimit?: number;
}

export interface RateLimiter {
  /** Counts one request from `ip`; false when the client is over the limit. */
  hit(ip: string): boolean;
  readonly rule: RateLimit;
  readonly trackedClients: number;
}

interface ClientWindow {
  origin: number;
  index: number;
  current: number;
  previous: number;
}

/** The wiring's rule, with SLOTSYNC_RATE_LIMIT (requests per window) overriding the limit. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimit {
  const raw = env.SLOTSYNC_RATE_LIMIT;
  if (raw === undefined || raw === '') return { ...api.rateLimit };
  // Load tests raise the clients' limit; the signed limit stays the wiring's.
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new Error(`SLOTSYNC_RATE_LIMIT must be a positive integer (requests per ${api.rateLimit.windowSeconds} s), got "${raw}"`);
  }
  return { ...api.rateLimit, limit: Number(raw) };
}

export function createRateLimiter(
  rule: RateLimit,
  options: { maxClients?: number; now?: () => number } = {},
): RateLimiter {
  const maxClients = options.maxClients ?? 10_000;
  const now = options.now ?? Date.now;
  const windowMs = rule.windowSeconds * 1000;
  const clients = new Map<string, ClientWindow>();

  return {
    rule,
    get trackedClients() {
      return clients.size;
    },
    hit(ip) {
      const t = now();
      // Windows are anchored at each client's first request, so a burst never straddles a
      // shared boundary that would halve its count.
      const entry = clients.get(ip) ?? { origin: t, index: 0, current: 0, previous: 0 };
      const index = Math.floor((t - entry.origin) / windowMs);
      if (index !== entry.index) {
        entry.previous = index === entry.index + 1 ? entry.current : 0;
        entry.current = 0;
        entry.index = index;
      }
      const elapsed = (t - entry.origin - index * windowMs) / windowMs;
      const estimate = entry.previous * (1 - elapsed) + entry.current;
      // Blocked requests count too, as WAF counts every request the rule sees.
      entry.current += 1;
      clients.delete(ip);
      clients.set(ip, entry);
      while (clients.size > maxClients) {
        const oldest = clients.keys().next().value;
        if (oldest === undefined) break;
        clients.delete(oldest);
      }
      return estimate < rule.limit;
    },
  };
}

/**
 * Whether a request gets the signed limit, as the WAF rule's scope-down reads it: an Authorization
 * header that starts as SigV4's does, and no (non-empty) x-api-key header beside it.
 */
export function getsSignedLimit(headers: IncomingHttpHeaders): boolean {
  const { authorization } = headers;
  const apiKey = headers['x-api-key'];
  return typeof authorization === 'string' && authorization.startsWith(SIGV4_AUTHORIZATION_PREFIX) && (apiKey === undefined || apiKey.length === 0);
}
