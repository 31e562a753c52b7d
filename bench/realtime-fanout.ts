// Fan-out of the local real-time server: 1,000 subscribers, one published change, time from the
// publish call to the last subscriber receiving its data frame, over several rounds. The server
// runs on the main thread; the subscribers run in a worker thread (their own event loop, like
// real clients), 100 subscriptions per connection as AppSync allows, so 10 connections by default.
// Not a test: timings on a shared machine are for reading, not asserting.
//   node bin/run-ts.js bench/realtime-fanout.ts [subscribers=1000] [perConnection=100] [rounds=50]
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { discoverResolvers } from '../infra/resolvers.ts';
import { createAuth, loadOrCreateApiKey } from '../local/appsync/auth/index.ts';
import { createNoneDataSource } from '../local/appsync/datasources/none.ts';
import { attachRealtime, REALTIME_PATH, type RealtimeServer } from '../local/appsync/realtime/server.ts';
import { bundleAll, createResolverRunner } from '../local/appsync/runtime/runner.ts';
import { buildAppSyncSchema } from '../local/appsync/schema/build.ts';
import { freePort } from '../local/net.ts';
import { quantile } from './quantile.ts';

const PROVIDER = '01HZX0000000000000000000PA';
const FIELDS = 'providerId date slotId startTime status previousStatus reason at';

interface Setup {
  url: string;
  host: string;
  apiKey: string;
  subscribers: number;
  perConnection: number;
  /** Each subscriber's operation differs (an alias), so no payload is shared between them. */
  distinct: boolean;
}

type FromWorker = { type: 'ready' } | { type: 'round'; round: number; lastAt: string; received: number } | { type: 'failed'; message: string };

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 100_000) throw new Error(`${name} must be a positive integer, not ${value}`);
  return n;
}

/** Worker: opens the connections, starts every subscription, reports when each round has fully arrived. */
async function runSubscribers(setup: Setup, port: NonNullable<typeof parentPort>): Promise<void> {
  const header = Buffer.from(JSON.stringify({ host: setup.host, 'x-api-key': setup.apiKey })).toString('base64url');
  const authorization = { host: setup.host, 'x-api-key': setup.apiKey };
  const perRound = new Map<number, number>();
  const connections = Math.ceil(setup.subscribers / setup.perConnection);
  let acked = 0;
  let next = 0;

  const onData = (raw: string) => {
    const frame = JSON.parse(raw) as { type: string; payload?: { data?: Record<string, { slotId: string } | null> } };
    if (frame.type === 'start_ack') {
      acked += 1;
      if (acked === setup.subscribers) port.postMessage({ type: 'ready' } satisfies FromWorker);
      return;
    }
    if (frame.type === 'error' || frame.type === 'connection_error') {
      port.postMessage({ type: 'failed', message: raw } satisfies FromWorker);
      return;
    }
    if (frame.type !== 'data') return;
    const value = Object.values(frame.payload?.data ?? {})[0];
    const round = Number(value?.slotId.split('-')[1]);
    const count = (perRound.get(round) ?? 0) + 1;
    perRound.set(round, count);
    if (count === setup.subscribers) {
      port.postMessage({ type: 'round', round, lastAt: process.hrtime.bigint().toString(), received: count } satisfies FromWorker);
      perRound.delete(round);
    }
  };

  for (let c = 0; c < connections; c += 1) {
    const ws = new WebSocket(setup.url, ['graphql-ws', `header-${header}`]);
    ws.on('message', (data) => onData(data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'connection_init' }));
    const count = Math.min(setup.perConnection, setup.subscribers - next);
    for (let i = 0; i < count; i += 1) {
      const n = next + i;
      const field = setup.distinct ? `s${n}: onSlotChanged` : 'onSlotChanged';
      const query = `subscription W($p: ID!) { ${field}(providerId: $p) { ${FIELDS} } }`;
      const data = JSON.stringify({ query, variables: { p: PROVIDER } });
      ws.send(JSON.stringify({ id: `sub-${n}`, type: 'start', payload: { data, extensions: { authorization } } }));
    }
    next += count;
  }
}

async function scenario(label: string, setup: Omit<Setup, 'distinct'>, distinct: boolean, rounds: number, realtime: RealtimeServer, publish: (round: number) => number): Promise<void> {
  // The worker needs tsx's loader too (run-ts registers it on the main thread only), so it starts
  // from a tiny script that registers it and then imports this file.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { ...setup, distinct } satisfies Setup });
  const messages: FromWorker[] = [];
  let wake: (() => void) | null = null;
  worker.on('message', (m: FromWorker) => {
    messages.push(m);
    wake?.();
  });
  worker.on('error', (err) => {
    messages.push({ type: 'failed', message: String(err) });
    wake?.();
  });
  const nextMessage = async (timeoutMs = 60_000): Promise<FromWorker> => {
    const deadline = Date.now() + timeoutMs;
    while (messages.length === 0) {
      if (Date.now() > deadline) throw new Error('the subscribers stopped answering');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    const m = messages.shift()!;
    if (m.type === 'failed') throw new Error(`subscriber side failed: ${m.message}`);
    return m;
  };

  if ((await nextMessage()).type !== 'ready') throw new Error('expected the subscribers to be ready');
  const warmup = Math.min(5, rounds);
  const samples: number[] = [];
  for (let round = 0; round < warmup + rounds; round += 1) {
    const startedAt = process.hrtime.bigint();
    const delivered = publish(round);
    if (delivered !== setup.subscribers) throw new Error(`round ${round}: published to ${delivered}, expected ${setup.subscribers}`);
    const done = await nextMessage();
    if (done.type !== 'round' || done.round !== round) throw new Error(`round ${round}: unexpected ${JSON.stringify(done)}`);
    if (round >= warmup) samples.push(Number(BigInt(done.lastAt) - startedAt) / 1e6);
  }
  await worker.terminate();
  // The next scenario counts its own subscribers only: wait for the server to drop these.
  for (let i = 0; i < 600 && realtime.subscriptionCount > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  samples.sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
  console.log(`${label.padEnd(44)} p50 ${fmt(quantile(samples, 0.5))}   p99 ${fmt(quantile(samples, 0.99))}   max ${fmt(samples[samples.length - 1])}`);
}

async function main(): Promise<void> {
  const subscribers = positiveInt(process.argv[2], 1000, 'subscribers');
  const perConnection = positiveInt(process.argv[3], 100, 'perConnection');
  const rounds = positiveInt(process.argv[4], 50, 'rounds');
  if (perConnection > 100) throw new Error('AppSync allows at most 100 subscriptions per connection');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-fanout-'));
  const apiKey = loadOrCreateApiKey(stateDir);
  const auth = createAuth({ defaultMode: 'AMAZON_COGNITO_USER_POOLS', additionalModes: ['API_KEY'], apiKeys: [apiKey], iamPrincipals: [], region: 'us-east-1' });
  const specs = discoverResolvers(root).filter((s) => s.typeName === 'Subscription');
  const runner = createResolverRunner({ root, specs, code: await bundleAll(root, specs), dataSources: { NONE: createNoneDataSource() }, env: {} });
  const server = createServer((_req, res) => res.writeHead(404).end());
  const realtime = attachRealtime(server, { appsync: buildAppSyncSchema(root, 'AMAZON_COGNITO_USER_POOLS'), auth, runner });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const host = `127.0.0.1:${port}`;
  const setup = { url: `ws://${host}${REALTIME_PATH}`, host, apiKey: apiKey.id, subscribers, perConnection };
  const change = (round: number) => ({
    providerId: PROVIDER,
    date: '2030-01-07',
    slotId: `round-${round}`,
    startTime: '2030-01-07T09:00:00.000Z',
    status: 'AVAILABLE',
    previousStatus: 'HELD',
    reason: 'EXPIRED',
    at: new Date().toISOString(),
  });

  const connections = Math.ceil(subscribers / perConnection);
  console.log(`${subscribers} subscribers over ${connections} connections (${perConnection} per connection), ${rounds} rounds after warm-up, Node ${process.version}`);
  console.log('time from publish() to the last subscriber receiving its data frame:\n');
  try {
    await scenario('same operation (payload built once)', setup, false, rounds, realtime, (r) => realtime.publish('publishSlotChange', change(r)));
    await scenario('distinct operations (payload per subscriber)', setup, true, rounds, realtime, (r) => realtime.publish('publishSlotChange', change(r)));
  } finally {
    await realtime.close();
    server.closeAllConnections();
    server.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  await main();
} else if (parentPort) {
  const port = parentPort;
  runSubscribers(workerData as Setup, port).catch((err: unknown) => port.postMessage({ type: 'failed', message: String(err) } satisfies FromWorker));
}
