// The WAF-like per-IP rate rule: over the limit, HTTP 429 with errorType RateLimited.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, rateLimitedResponse } from '../../../../infra/wiring.ts';
import { createRateLimiter, getsSignedLimit, rateLimitFromEnv } from '../../../../local/appsync/http/rate-limit.ts';
import { gql, startServer, type TestServer } from './support.ts';

describe('rate limit over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ rateLimit: { limit: 3, windowSeconds: 300, signedLimit: 5 } });
  });
  afterAll(() => s.close());

  it('answers the request past the limit with 429 RateLimited, before auth', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await gql(s.url, { 'x-api-key': s.apiKey }, '{ getProvider(id: "p1") { id } }')).status);
    expect(statuses).toEqual([200, 200, 200]);
    const over = await gql(s.url, {}, '{ getProvider(id: "p1") { id } }');
    expect(over.status).toBe(429);
    expect(over.body.errors).toHaveLength(1);
    expect(over.body.errors[0].errorType).toBe('RateLimited');
    // The same body the WAF rule's custom response carries in AWS.
    expect(over.body).toEqual(rateLimitedResponse.body);
  });

  it('counts SigV4-signed requests (the backend\'s own publishes) apart, against their own limit', async () => {
    // Same IP, clients' limit spent above; signed requests still pass until the signed limit.
    const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/appsync/aws4_request' };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await gql(s.url, signed, '{ getProvider(id: "p1") { id } }')).status);
    // The forged signature is refused by IAM auth (403), not by the rate rule, up to the signed limit.
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
    expect((await gql(s.url, { 'x-api-key': s.apiKey }, '{ getProvider(id: "p1") { id } }')).status).toBe(429);
  });

  it('gives no signed limit to a request that also carries an API key (a forged Authorization must not lift public reads)', async () => {
    const own = await startServer({ rateLimit: { limit: 2, windowSeconds: 300, signedLimit: 100 } });
    try {
      const headers = { 'x-api-key': own.apiKey, authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/appsync/aws4_request' };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await gql(own.url, headers, '{ getProvider(id: "p1") { id } }')).status);
      expect(statuses.at(-1)).toBe(429);
      expect(getsSignedLimit({ authorization: headers.authorization, 'x-api-key': '' })).toBe(true);
      expect(getsSignedLimit({ authorization: headers.authorization })).toBe(true);
      expect(getsSignedLimit({ authorization: 'Bearer x' })).toBe(false);
    } finally {
      await own.close();
    }
  });
});

describe('the server\'s one line about the limit', () => {
  it('names the limit that was passed: the signed limit when a SigV4-signed request is the first refused', async () => {
    const s = await startServer({ rateLimit: { limit: 3, windowSeconds: 60, signedLimit: 2 } });
    const logged = vi.spyOn(console, 'error');
    try {
      const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/appsync/aws4_request' };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await gql(s.url, signed, '{ getProvider(id: "p1") { id } }')).status);
      expect(statuses).toEqual([403, 403, 429]);
      expect(logged.mock.calls.map((c) => String(c[0])).filter((line) => line.includes('SLOTSYNC_RATE_LIMIT'))).toEqual([
        'appsync: over 2 requests in 60 s from one IP address: answering 429 RateLimited, as the WAF rule does. For a load test, raise the limit with SLOTSYNC_RATE_LIMIT (requests per window).',
      ]);
    } finally {
      logged.mockRestore();
      await s.close();
    }
  });
});

describe('rate limiter', () => {
  it('slides: the previous window still counts, weighted by how much of it remains', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 10, windowSeconds: 100 }, { now: () => t });
    for (let i = 0; i < 10; i += 1) expect(limiter.hit('a')).toBe(true);
    expect(limiter.hit('a')).toBe(false);
    t = 100_000 + 10_000; // 10% into the next window: 11 * 0.9 = 9.9 estimated
    expect(limiter.hit('a')).toBe(true);
    expect(limiter.hit('a')).toBe(false);
    t = 300_000; // two windows later nothing is left
    expect(limiter.hit('a')).toBe(true);
  });

  it('forgets a window when a whole silent window separates it from now', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 10, windowSeconds: 100 }, { now: () => t });
    for (let i = 0; i < 10; i += 1) expect(limiter.hit('a')).toBe(true);
    t = 200_000; // the start of window 2; window 1 was quiet, so window 0 no longer counts
    expect(limiter.hit('a')).toBe(true);
  });

  it('counts the requests it blocks, so a client that keeps sending stays blocked', () => {
    // AWS documents the rule as counting the requests that match its scope-down statement, with no
    // exception for those it blocks: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-request-limiting.html
    let t = 0;
    const limiter = createRateLimiter({ limit: 10, windowSeconds: 100 }, { now: () => t });
    for (let i = 0; i < 15; i += 1) limiter.hit('a');
    t = 110_000; // 15 * 0.9 = 13.5 estimated; counting only the 10 allowed would give 9
    expect(limiter.hit('a')).toBe(false);
  });

  it('keeps clients apart and bounds how many it tracks', () => {
    const limiter = createRateLimiter({ limit: 1, windowSeconds: 60 }, { maxClients: 100, now: () => 0 });
    for (let i = 0; i < 1000; i += 1) expect(limiter.hit(`10.0.${i >> 8}.${i & 255}`)).toBe(true);
    expect(limiter.trackedClients).toBe(100);
    expect(limiter.hit('10.0.3.231')).toBe(false);
  });

  it('reads SLOTSYNC_RATE_LIMIT over the wiring and refuses nonsense', () => {
    expect(rateLimitFromEnv({})).toEqual(api.rateLimit);
    expect(rateLimitFromEnv({ SLOTSYNC_RATE_LIMIT: '50000' })).toEqual({ ...api.rateLimit, limit: 50000 });
    expect(() => rateLimitFromEnv({ SLOTSYNC_RATE_LIMIT: 'lots' })).toThrow(/positive integer/);
    expect(() => rateLimitFromEnv({ SLOTSYNC_RATE_LIMIT: '0' })).toThrow(/positive integer/);
  });
});
