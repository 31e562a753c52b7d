// The two ways a client hands its auth headers to the real-time endpoint at connect:
// `?header=<base64 JSON>&payload=e30=` (AWS docs) or a `header-<base64url JSON>` subprotocol
// next to `graphql-ws` (current Amplify JS).
import type { IncomingMessage } from 'node:http';

export const SUBPROTOCOL = 'graphql-ws';

export interface Handshake {
  headers: Record<string, string> | null;
  protocols: string[];
}

function decodeJsonObject(encoded: string): Record<string, string> | null {
  try {
    const text = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') out[k] = v;
    }
    return out;
  } catch {
    return null;
  }
}

export function readHandshake(req: IncomingMessage, url: URL): Handshake {
  const protocols = (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const fromProtocol = protocols.find((p) => p.startsWith('header-'));
  if (fromProtocol) return { headers: decodeJsonObject(fromProtocol.slice('header-'.length)), protocols };
  const query = url.searchParams.get('header');
  return { headers: query ? decodeJsonObject(query) : null, protocols };
}
