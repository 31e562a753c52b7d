// A local SQS endpoint: the SQS JSON protocol over HTTP on top of an in-memory queue registry.
// The unchanged @aws-sdk/client-sqs talks to it; point it here with `endpoint` or
// AWS_ENDPOINT_URL_SQS.
import { createServer, type Server } from 'node:http';
import { actionContext, type Input } from './action.ts';
import { actions } from './actions/index.ts';
import { invalidAction } from './errors.ts';
import { replayChange, type ReplayOutcome } from './journal.ts';
import { DEFAULT_LOCAL_LIMITS, type LocalLimits } from './limits.ts';
import type { MessageChanges } from './queue.ts';
import { QueueRegistry } from './registry.ts';
import { createSqsRequestHandler } from './router.ts';
import { restoreSnapshot, takeSnapshot, type RestoreReport, type SqsSnapshot } from './snapshot.ts';

export interface LocalSqsOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host?: string;
  region?: string;
  accountId?: string;
  limits?: Partial<LocalLimits>;
}

export interface LocalSqs {
  endpoint: string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /**
   * Runs an action in this process: the endpoint's own handler and errors (SqsError), without
   * HTTP and the SDK's marshalling. Input and output are the JSON protocol's bodies.
   */
  call(action: string, input: Input, signal?: AbortSignal): Promise<object>;
  /** Every queue's messages, for saving across a restart (snapshot.ts). */
  snapshot(): SqsSnapshot;
  /** Puts back the messages of a snapshot into the queues of the same names. */
  restore(snapshot: unknown): RestoreReport;
  /** Applies one journaled change (journal.ts), after restore(); throws on one it cannot read. */
  replay(change: unknown): ReplayOutcome;
  /** Reports every change to the messages that must outlive a crash to `changes` (the keeper's journal); undefined stops. */
  recordChanges(changes: MessageChanges | undefined): void;
  /** Drops the messages past their queue's retention now (the queues do so every second); answers how many. */
  sweep(): number;
  /** How many messages all queues hold (visible, delayed and in flight). */
  messageCount(): number;
  /** The bytes the queues hold as the local limit counts them (payloads plus 1 KiB a message). */
  storedBytes(): number;
  stop(): Promise<void>;
}

export const LOCAL_SQS_ACCOUNT_ID = '000000000000';
/** Open long polls each hold a connection; more than this are refused by the server. */
const MAX_CONNECTIONS = 1024;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`local SQS: port ${port} on ${host} is already in use`)
          : new Error(`local SQS: cannot listen on ${host}:${port}: ${error.message}`)
      );
    });
    server.listen(port, host, () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('local SQS: no listening address'));
    });
  });
}

export async function startLocalSqs(options: LocalSqsOptions = {}): Promise<LocalSqs> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? LOCAL_SQS_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`local SQS: accountId must be 12 digits, got "${accountId}"`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`local SQS: "${region}" is not a region name`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`local SQS: invalid port ${port}`);
  const limits: LocalLimits = { ...DEFAULT_LOCAL_LIMITS, ...options.limits };

  const server = createServer();
  server.maxConnections = MAX_CONNECTIONS;
  // Queue URLs embed the bound port, so the registry is made once the server listens; the
  // handler is attached in the same turn, before any connection can be served.
  const boundPort = await listen(server, port, host);
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  const registry = new QueueRegistry({ origin, region, accountId, limits });
  const messageCount = () => registry.list().reduce((n, queue) => n + queue.messages.size, 0);
  server.on('request', createSqsRequestHandler({ registry, actions, maxRequestBytes: limits.maxRequestBytes }));

  return {
    endpoint: origin,
    queueUrl: (name) => registry.url(name),
    queueArn: (name) => registry.arn(name),
    call: async (name, input, signal) => {
      const action = actions.get(name);
      if (!action) throw invalidAction(name);
      return action(input, actionContext(registry, signal ?? new AbortController().signal));
    },
    snapshot: () => takeSnapshot(registry, Date.now()),
    restore: (snapshot) => restoreSnapshot(registry, snapshot, Date.now()),
    replay: (change) => replayChange(registry, change, Date.now()),
    recordChanges: (changes) => registry.recordChanges(changes),
    sweep: () => {
      const before = messageCount();
      registry.sweep(Date.now());
      return before - messageCount();
    },
    messageCount,
    storedBytes: () => registry.storedBytes(),
    stop: () =>
      new Promise<void>((resolve) => {
        // Closing the queues answers every open long poll (empty) before connections are cut.
        registry.close();
        server.close(() => resolve());
        server.closeIdleConnections();
        setImmediate(() => server.closeAllConnections());
      }),
  };
}
