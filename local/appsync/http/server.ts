// The AppSync-compatible HTTP front: POST/GET /graphql behind the WAF-like rate rule and the
// API's auth modes, local sign-in routes, and hooks for the routes and WebSocket upgrades that
// other parts of the local server (realtime, demo page) attach to the same port.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Auth } from '../auth/create-auth.ts';
import { normalizeHeaders } from '../auth/create-auth.ts';
import type { LocalUserPool } from '../auth/user-pool.ts';
import type { ResolverRunner } from '../runtime/types.ts';
import type { AppSyncSchema } from '../schema/build.ts';
import { MAX_BODY_BYTES, readBody } from './body.ts';
import { executeOperation, type Invalidation, type MutationPublishedEvent } from './execute.ts';
import { isRequestError, requestFromPost, requestFromQuery } from './graphql-request.ts';
import { jwksHandler, tokenHandler } from './local-sign-in.ts';
import { api as apiWiring, rateLimitedResponse } from '../../../infra/wiring.ts';
import { createRateLimiter, getsSignedLimit, rateLimitFromEnv, type RateLimit, type RateLimiter } from './rate-limit.ts';
import { CORS_HEADERS, refuseUpgrade, requestUrl, sendErrors, sendJson, sourceIps } from './respond.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
/** Returns true when it took the upgrade; the first handler that does wins. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export interface AppSyncHttpServerOptions {
  model: AppSyncSchema;
  runner: ResolverRunner;
  auth: Auth;
  /** Enables POST /local/token and GET /.well-known/jwks.json. */
  userPool?: LocalUserPool;
  /** Groups /local/token may put in a token (the user pool's groups). */
  userPoolGroups?: readonly string[];
  /** Defaults to the wiring's rule with SLOTSYNC_RATE_LIMIT applied. */
  rateLimit?: RateLimit;
  maxBodyBytes?: number;
  /** AppSync's whole-request execution limit, 30 s; tests shorten it. */
  requestTimeoutMs?: number;
  onMutationPublished?: (event: MutationPublishedEvent) => void;
  /** extensions.invalidateSubscriptions from mutation resolvers. */
  onSubscriptionsInvalidated?: (invalidation: Invalidation) => void;
}

export interface AppSyncHttpServer {
  server: Server;
  /** Emits 'mutationPublished' with a MutationPublishedEvent. */
  events: EventEmitter;
  rateLimiter: RateLimiter;
  route(method: string, path: string, handler: RouteHandler): void;
  onUpgrade(handler: UpgradeHandler): void;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';

export function createAppSyncHttpServer(options: AppSyncHttpServerOptions): AppSyncHttpServer {
  const routes = new Map<string, RouteHandler>();
  const upgradeHandlers: UpgradeHandler[] = [];
  const events = new EventEmitter();
  const rule = options.rateLimit ?? rateLimitFromEnv();
  const signedLimit = rule.signedLimit ?? apiWiring.rateLimit.signedLimit;
  const rateLimiter = createRateLimiter(rule);
  const signedRateLimiter = createRateLimiter({ limit: signedLimit, windowSeconds: rule.windowSeconds });
  let saidRateLimited = false;
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;

  const publish = (event: MutationPublishedEvent) => {
    try {
      options.onMutationPublished?.(event);
      events.emit('mutationPublished', event);
    } catch (err) {
      console.error(`appsync: a mutationPublished listener failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const signed = getsSignedLimit(req.headers);
    const limiter = signed ? signedRateLimiter : rateLimiter;
    if (!limiter.hit(sourceIps(req)[0] ?? 'unknown')) {
      if (!saidRateLimited) {
        // AWS's WAF says no more than the 429; locally the way out is worth a line, once.
        saidRateLimited = true;
        const limit = signed ? signedLimit : rule.limit;
        console.error(
          `appsync: over ${limit} requests in ${rule.windowSeconds} s from one IP address: answering 429 RateLimited, as the WAF rule does. ` +
            'For a load test, raise the limit with SLOTSYNC_RATE_LIMIT (requests per window).',
        );
      }
      // The very body the WAF rule's custom response carries in AWS.
      sendJson(res, rateLimitedResponse.statusCode, rateLimitedResponse.body, {});
      req.resume();
      return;
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      req.resume();
      sendErrors(res, 405, 'MethodNotAllowedException', `Method ${req.method} is not allowed on ${GRAPHQL_PATH}: use POST or GET.`, { allow: 'GET, POST, OPTIONS' });
      return;
    }
    let body: Buffer = Buffer.alloc(0);
    if (req.method === 'POST') {
      const read = await readBody(req, maxBody);
      if (!read.ok) {
        if (read.reason === 'too-large') {
          sendErrors(res, 413, 'PayloadTooLargeException', `Request body exceeds the ${maxBody} byte limit.`, { connection: 'close' });
        }
        return;
      }
      body = read.body;
    }
    const auth = await options.auth.authenticate({
      method: req.method,
      path: req.url ?? GRAPHQL_PATH,
      headers: req.headers,
      body,
      sourceIp: sourceIps(req),
    });
    if (!auth.ok) {
      sendErrors(res, auth.status, auth.errorType, auth.message);
      return;
    }
    const request = req.method === 'POST' ? requestFromPost(req.headers['content-type'], body) : requestFromQuery(url.searchParams);
    if (isRequestError(request)) {
      sendErrors(res, request.status, request.errorType, request.message);
      return;
    }
    const outcome = await executeOperation(options.model, options.runner, request, auth, {
      headers: normalizeHeaders(req.headers),
      domainName: null,
    }, { requestTimeoutMs: options.requestTimeoutMs });
    sendJson(res, outcome.status, outcome.body, outcome.responseHeaders);
    for (const event of outcome.published) publish(event);
    for (const invalidation of outcome.invalidations) options.onSubscriptionsInvalidated?.(invalidation);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req);
    if (!url) {
      req.resume();
      sendErrors(res, 400, 'BadRequestException', 'The request target is not a valid URL.');
      return;
    }
    if (req.method === 'OPTIONS') {
      req.resume();
      res.writeHead(204, CORS_HEADERS).end();
      return;
    }
    if (url.pathname === GRAPHQL_PATH) return handleGraphQL(req, res, url);
    // HEAD is GET without the body (RFC 9110 §9.3.2); Node's response drops the body itself.
    const route = routes.get(`${req.method === 'HEAD' ? 'GET' : req.method} ${url.pathname}`);
    if (route) return route(req, res);
    req.resume();
    sendErrors(res, 404, 'NotFoundException', `No route for ${req.method} ${url.pathname}.`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error(`appsync: request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (res.headersSent) res.destroy();
      else sendErrors(res, 500, 'InternalFailure', 'The local AppSync server failed to handle the request.');
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  const api: AppSyncHttpServer = {
    server,
    events,
    rateLimiter,
    route(method, path, handler) {
      routes.set(`${method.toUpperCase()} ${path}`, handler);
    },
    onUpgrade(handler) {
      // Listen only once someone routes upgrades through here, so code that listens on
      // server 'upgrade' directly is not raced by a 404 from this dispatcher.
      if (upgradeHandlers.length === 0) {
        server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
          for (const h of upgradeHandlers) if (h(req, socket, head)) return;
          refuseUpgrade(socket, '404 Not Found', `No WebSocket endpoint at ${requestUrl(req)?.pathname ?? req.url}.`);
        });
      }
      upgradeHandlers.push(handler);
    },
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          const bound = typeof address === 'object' && address ? address.port : port;
          resolve({ port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}${GRAPHQL_PATH}` });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  if (options.userPool) {
    api.route('POST', '/local/token', tokenHandler(options.userPool, options.userPoolGroups ?? []));
    api.route('GET', '/.well-known/jwks.json', jwksHandler(options.userPool));
  }
  return api;
}
