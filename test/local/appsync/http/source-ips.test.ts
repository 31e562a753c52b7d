// ctx.identity.sourceIp, shared by the HTTP API and the real-time endpoint: the TCP peer as an
// IPv4 address even on a dual-stack socket, then the x-forwarded-for chain, at most ten of it.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sourceIps } from '../../../../local/appsync/http/respond.ts';

const req = (remoteAddress: string | undefined, forwarded?: string) =>
  ({ socket: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

describe('sourceIps', () => {
  it('gives an IPv4 peer on a dual-stack socket without the ::ffff: prefix, and keeps IPv6 peers', () => {
    expect(sourceIps(req('::ffff:10.1.2.3'))).toEqual(['10.1.2.3']);
    expect(sourceIps(req('::1'))).toEqual(['::1']);
    expect(sourceIps(req('2001:db8::ffff:1'))).toEqual(['2001:db8::ffff:1']);
  });

  it('adds the x-forwarded-for chain, trimmed, empty entries dropped, at most ten', () => {
    expect(sourceIps(req('127.0.0.1', ' 198.51.100.1 ,, 198.51.100.2'))).toEqual(['127.0.0.1', '198.51.100.1', '198.51.100.2']);
    const chain = Array.from({ length: 11 }, (_, i) => `198.51.100.${i}`);
    expect(sourceIps(req(undefined, chain.join(',')))).toEqual(chain.slice(0, 10));
  });
});
