// Writing responses: JSON bodies with the headers AppSync sends, including CORS so browser
// clients on other origins can call the local API as they call AppSync.
import type { Duplex } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers':
    'content-type, x-api-key, authorization, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256',
  'access-control-max-age': '86400',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...CORS_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendErrors(res: ServerResponse, status: number, errorType: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { errors: [{ errorType, message }] }, { 'x-amzn-errortype': errorType, ...headers });
}

/**
 * Answers an upgrade request that will not be taken, and closes its socket. A client that resets as
 * it is refused must not throw ECONNRESET at the server, and one that never closes its side must
 * not keep the socket (and a stop) waiting.
 */
export function refuseUpgrade(socket: Duplex, status: string, message: string): void {
  socket.on('error', () => undefined);
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}\n`, () => socket.destroy());
}

/** The request target as a URL, or null when it is not one (`//[`): the caller answers 400. */
export function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

/** The TCP peer, then the x-forwarded-for chain: what AppSync reports as ctx.identity.sourceIp. */
export function sourceIps(req: IncomingMessage): string[] {
  const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .slice(0, 10);
  return [peer, ...forwarded].filter((s) => s.length > 0);
}
