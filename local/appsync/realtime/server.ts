// The real-time endpoint (ws://HOST:PORT/graphql/realtime, subprotocol graphql-ws) on the same HTTP
// server as /graphql. Connect-time auth uses the handshake's header object, signed for IAM over
// `/graphql/connect` with body `{}`, exactly as AppSync clients sign it.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Auth } from '../auth/index.ts';
import { refuseUpgrade, requestUrl, sourceIps } from '../http/respond.ts';
import type { AppSyncSchema } from '../schema/build.ts';
import type { ResolverRunner } from '../runtime/types.ts';
import { RealtimeConnection } from './connection.ts';
import { readHandshake, SUBPROTOCOL } from './handshake.ts';
import * as msg from './messages.ts';
import { SubscriptionRegistry } from './registry.ts';

export const REALTIME_PATH = '/graphql/realtime';
/** Frames a client may send before its connect header is verified; more is abuse. */
const MAX_EARLY_FRAMES = 16;
/** How long a refused client may stay silent before it is sent connection_error anyway. */
const MAX_REFUSAL_WAIT_MS = 5_000;

export interface RealtimeOptions {
  appsync: AppSyncSchema;
  auth: Auth;
  runner: ResolverRunner;
  path?: string;
  /** AppSync's whole-request execution limit for a start's resolver, 30 s; tests shorten it. */
  requestTimeoutMs?: number;
  keepAliveIntervalMs?: number;
  connectionTimeoutMs?: number;
  /** A connection with no subscriptions and no messages for this long is closed. */
  idleTimeoutMs?: number;
  maxSubscriptionsPerConnection?: number;
  maxPayloadBytes?: number;
  maxBufferedBytes?: number;
  maxConnections?: number;
}

export interface RealtimeServer {
  /** A mutation result (keyed by field name, limited to its selection) to fan out. */
  publish(mutationField: string, result: unknown): number;
  invalidate(subscriptionField: string, payload: Record<string, unknown>): number;
  readonly connectionCount: number;
  readonly subscriptionCount: number;
  close(): Promise<void>;
}

export function attachRealtime(server: Server, options: RealtimeOptions): RealtimeServer {
  const path = options.path ?? REALTIME_PATH;
  const limits = {
    connectionTimeoutMs: options.connectionTimeoutMs ?? 300_000,
    maxSubscriptions: options.maxSubscriptionsPerConnection ?? 100,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
  };
  const idleTimeoutMs = options.idleTimeoutMs ?? limits.connectionTimeoutMs;
  const maxConnections = options.maxConnections ?? 10_000;
  const registry = new SubscriptionRegistry(options.appsync.schema, options.maxPayloadBytes ?? 240 * 1024);
  const startContext = {
    schema: options.appsync.schema,
    directives: options.appsync.auth,
    auth: options.auth,
    runner: options.runner,
    limits: options.appsync.limits,
    requestTimeoutMs: options.requestTimeoutMs,
  };
  const connections = new Set<RealtimeConnection>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 512 * 1024,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req);
    if (!url) return refuseUpgrade(socket, '400 Bad Request', 'The request target is not a valid URL.');
    if (url.pathname !== path) {
      // Another 'upgrade' listener may serve this path; with none, an unanswered socket would stay
      // open for good (a descriptor each, and a stop that waits on it).
      if (server.listenerCount('upgrade') === 1) refuseUpgrade(socket, '404 Not Found', `No WebSocket endpoint at ${url.pathname}.`);
      return;
    }
    const handshake = readHandshake(req, url);
    if (!handshake.protocols.includes(SUBPROTOCOL)) {
      return refuseUpgrade(socket, '400 Bad Request', `The real-time endpoint speaks the ${SUBPROTOCOL} subprotocol only.`);
    }
    if (connections.size >= maxConnections) return refuseUpgrade(socket, '503 Service Unavailable', 'Too many real-time connections.');
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws closes a socket that breaks the protocol itself (1009 too big, 1007 bad UTF-8) and then
      // emits 'error': unheard, Node would throw it and stop the whole server.
      ws.on('error', () => undefined);
      accept(ws, req, handshake.headers).catch((err: unknown) => {
        console.error(`appsync: real-time connect failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        ws.terminate();
      });
    });
  };
  server.on('upgrade', onUpgrade);

  async function accept(ws: WebSocket, req: IncomingMessage, headers: Record<string, string> | null): Promise<void> {
    const sourceIp = sourceIps(req);
    // Clients send connection_init as soon as the socket opens, while the header is still being
    // verified (JWT and SigV4 checks are async): hold those frames and replay them once accepted.
    const early: Array<[RawData, boolean]> = [];
    const hold = (data: RawData, isBinary: boolean) => {
      if (early.length < MAX_EARLY_FRAMES) early.push([data, isBinary]);
      else ws.terminate();
    };
    ws.on('message', hold);
    const outcome = headers
      ? await options.auth.authenticate({ method: 'POST', path: '/graphql/connect', headers, body: '{}', sourceIp })
      : null;
    ws.off('message', hold);
    if (ws.readyState !== WebSocket.OPEN) return;
    if (!outcome || !outcome.ok) {
      refuse(ws, early.length > 0);
      return;
    }
    const host = headers?.host ?? req.headers.host ?? null;
    const connection = new RealtimeConnection(ws, outcome, registry, startContext, limits, { sourceIp, host });
    connections.add(connection);
    ws.on('close', () => connections.delete(connection));
    for (const [data, isBinary] of early) ws.emit('message', data, isBinary);
  }

  /**
   * connection_error answers the client's first frame (its connection_init), where clients wait for
   * connection_ack: Amplify only reads replies once it has sent connection_init, so an error sent on
   * open can be lost. A client that says nothing gets it after a bounded wait.
   */
  function refuse(ws: WebSocket, alreadySpoke: boolean): void {
    const send = () => {
      clearTimeout(timer);
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(JSON.stringify(msg.connectionError([msg.UNAUTHORIZED_CONNECTION])));
      ws.close(1000);
    };
    const timer = setTimeout(send, Math.min(idleTimeoutMs, MAX_REFUSAL_WAIT_MS));
    timer.unref();
    if (alreadySpoke) send();
    else ws.once('message', send);
  }

  // One timer for all connections: keep-alives, and closing idle connections.
  const keepAlive = setInterval(() => {
    const now = Date.now();
    for (const c of connections) {
      if (c.subscriptionCount === 0 && now - c.lastActivity > idleTimeoutMs) c.close(1000, 'idle');
      else c.keepAlive();
    }
  }, options.keepAliveIntervalMs ?? 60_000);
  keepAlive.unref();

  return {
    publish: (mutationField, result) => registry.publish(options.appsync.subscriptionsByMutation.get(mutationField) ?? [], result),
    invalidate: (field, payload) => registry.invalidate(field, payload),
    get connectionCount() {
      return connections.size;
    },
    get subscriptionCount() {
      return registry.size;
    },
    close: async () => {
      clearInterval(keepAlive);
      server.off('upgrade', onUpgrade);
      // Every socket, including refused ones still waiting for their connection_error.
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
