// createBooking through the whole local API (HTTP, Cognito JWT, APPSYNC_JS pipeline, Lambda
// sandbox, SQS) against the same DynamoDB and SQS calls made directly with the SDK, in one run on
// one platform. Prints p50/p99 of each and the throughput ratio API/SDK (target ≥ 0.85).
// The server runs here; the load comes from another process (create-booking-driver.ts), as a real
// client's would.
//   node bin/run-ts.js bench/create-booking.ts [bookings] [concurrency]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb/client.ts';
import { startLocalServer, REPO_ROOT, type LocalServer } from '../local/server.ts';
import { SERVER_NODE_FLAGS } from '../local/node-flags.ts';
import { CPU_PARTS, cpuMeter, minus, NO_CPU, plus, type CpuReading } from './cpu-meter.ts';
import type { DriverPlan, DriverResult } from './create-booking-driver.ts';

const BOOKINGS = Number(process.argv[2] ?? 400);
const CONCURRENCY = Number(process.argv[3] ?? 4);
/** Warm-up bookings, run at the measured concurrency so every Lambda sandbox it needs is warm. */
const WARMUP = Math.max(40, 20 * CONCURRENCY);
/** Bookings per block: the sides alternate in blocks of this many (see create-booking-driver.ts). */
const BLOCK = Math.max(20, 5 * CONCURRENCY);
const HOLD_SECONDS = 300;
const MAX_ACTIVE_HOLDS = 3;

if (!Number.isInteger(BOOKINGS) || BOOKINGS < 10 || BOOKINGS > 800 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1 || CONCURRENCY > 64) {
  console.error('usage: bench/create-booking.ts [bookings 10-800] [concurrency 1-64]');
  process.exit(2);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are read loosely here
type Data = Record<string, any>;

function summary(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query, variables }) });
  const answer = (await res.json()) as { data: Data; errors?: Array<{ message: string }> };
  if (answer.errors) throw new Error(answer.errors[0].message);
  return answer.data;
}

/** A provider with two months of 30-minute slots (~1,650), and the ids of as many as the run needs. */
async function slotsToBook(server: LocalServer, needed: number): Promise<string[]> {
  const url = server.outputs.graphqlEndpoint;
  const owner = (await server.userPool.issue({ username: 'bench-owner', groups: ['providers'] })).idToken;
  const providerId = (await gql(url, owner, `mutation { createProvider(input: {name: "Bench", timeZone: "UTC"}) { id } }`)).createProvider.id as string;
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  await gql(url, owner, `mutation($input: CreateAvailabilityInput!) { createAvailability(input: $input) { slotCount } }`, {
    input: { providerId, daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'], startTime: '08:00', endTime: '22:00', slotDurationMinutes: 30, validFrom: from, validTo: to },
  });
  const slotIds: string[] = [];
  let nextToken: string | null = null;
  do {
    const page: Data = await gql(url, owner, `query($p: ID!, $f: AWSDate!, $t: AWSDate!, $n: String) { listSlots(providerId: $p, from: $f, to: $t, limit: 100, nextToken: $n) { items { id } nextToken } }`, { p: providerId, f: from, t: to, n: nextToken });
    slotIds.push(...page.listSlots.items.map((s: { id: string }) => s.id));
    nextToken = page.listSlots.nextToken;
  } while (nextToken && slotIds.length < needed);
  if (slotIds.length < needed) throw new Error(`only ${slotIds.length} slots for ${needed} bookings`);
  return slotIds;
}

/** Quiet for this long (no publish reaching /graphql) with the bookings queue empty: settled. */
const QUIET_MS = 500;
const SETTLE_LIMIT_MS = 60_000;

/**
 * Resolves once the background work the bookings so far set off is done: booking-processor has
 * taken every message, and change-publisher has published every change (its mutations reach the
 * server's /graphql; nothing else does while the driver waits).
 */
function backgroundWatch(server: LocalServer): () => Promise<void> {
  let lastPublishAt = performance.now();
  server.httpServer.on('request', (req: IncomingMessage) => {
    if (req.url?.startsWith('/graphql')) lastPublishAt = performance.now();
  });
  const sqs = new SQSClient({ endpoint: server.sqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const queueEmpty = async () => {
    const { Attributes: a } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: server.queueUrl('bookings'), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return a?.ApproximateNumberOfMessages === '0' && a?.ApproximateNumberOfMessagesNotVisible === '0';
  };
  return async () => {
    const deadline = performance.now() + SETTLE_LIMIT_MS;
    while (performance.now() < deadline) {
      if (performance.now() - lastPublishAt >= QUIET_MS && (await queueEmpty())) return;
      await sleep(50);
    }
    throw new Error(`the background work did not settle within ${SETTLE_LIMIT_MS / 1000} s`);
  };
}

/** Each side's CPU from the start of its blocks until their background work had settled. */
interface SideCpu {
  api: CpuReading;
  sdk: CpuReading;
}

function runDriver(plan: DriverPlan, settled: () => Promise<void>): Promise<DriverResult & { cpu: SideCpu | null }> {
  const child = fork(join(REPO_ROOT, 'bin', 'run-ts.js'), [join(REPO_ROOT, 'bench', 'create-booking-driver.ts')], {
    cwd: REPO_ROOT,
    // The driver runs on the same Node flags as the server, so neither side is tuned alone.
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // The driver settles after warm-up and after every block, and its blocks alternate API, SDK, …:
  // the CPU between one "settled" and the next belongs to the block in between.
  const meter = cpuMeter(child.pid ?? 0);
  const cpu: SideCpu = { api: NO_CPU, sdk: NO_CPU };
  let mark: CpuReading | null = null;
  let intervals = 0;
  const onSettled = () => {
    const now = meter();
    if (mark && now) {
      const side = intervals % 2 === 0 ? 'api' : 'sdk';
      cpu[side] = plus(cpu[side], minus(now, mark));
      intervals += 1;
    }
    mark = now;
  };
  const answered = new Promise<DriverResult & { cpu: SideCpu | null }>((resolve, reject) => {
    child.on('message', (message: { settle: true } | { ok: true; result: DriverResult } | { ok: false; error: string }) => {
      if ('settle' in message) {
        settled().then(() => {
          onSettled();
          child.send({ settled: true });
        }, reject);
      } else if (message.ok) resolve({ ...message.result, cpu: intervals > 0 ? cpu : null });
      else reject(new Error(`driver: ${message.error}`));
    });
    child.once('exit', (code) => reject(new Error(`driver exited with ${code} before answering`)));
    child.once('error', reject);
    child.send(plan);
  });
  // Whatever happened, no driver outlives its run (it would keep this process alive waiting).
  return answered.finally(() => child.kill());
}

function cpuLine(name: string, cpu: CpuReading, bookings: number): string {
  const parts = (Object.keys(CPU_PARTS) as Array<keyof CpuReading>).map((part) => `${CPU_PARTS[part]} ${(cpu[part] / bookings).toFixed(1)}`);
  const total = Object.values(cpu).reduce((a, b) => a + b, 0) / bookings;
  return `  ${name} ${total.toFixed(1)} ms = ${parts.join(' + ')}`;
}

async function main(): Promise<void> {
  const missing = SERVER_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag));
  if (missing.length) console.warn(`note: without ${missing.join(' ')}, which npm start and npm run bench give the server, the API side reads lower`);
  const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-bench-'));
  const server = await startLocalServer({
    port: 0,
    stateDir,
    inMemory: true,
    seed: false,
    env: { HOLD_SECONDS: String(HOLD_SECONDS), MAX_ACTIVE_HOLDS: String(MAX_ACTIVE_HOLDS) },
    rateLimit: { limit: 1_000_000, windowSeconds: 300 },
    lambdaBuildDir: join(REPO_ROOT, '.slotsync', 'build', 'bench'),
    log: () => undefined,
  });
  try {
    const calls = BOOKINGS + WARMUP;
    const slotIds = await slotsToBook(server, 2 * calls);
    const tokens = await Promise.all(Array.from({ length: calls }, (_, i) => server.userPool.issue({ username: `bench-${i}` }).then((t) => t.idToken)));
    const settled = backgroundWatch(server);
    // The slots' creation is published too (~1,650 changes): let that finish before measuring.
    await settled();
    const call = (i: number) => ({ token: tokens[i], apiSlotId: slotIds[2 * i], sdkSlotId: slotIds[2 * i + 1] });
    const result = await runDriver({
      graphqlEndpoint: server.outputs.graphqlEndpoint,
      dynamodbEndpoint: server.dynamodbEndpoint,
      sqsEndpoint: server.sqsEndpoint,
      queueUrl: server.queueUrl('bookings'),
      tableName: server.tableName,
      concurrency: CONCURRENCY,
      blockSize: BLOCK,
      warmup: Array.from({ length: WARMUP }, (_, i) => call(BOOKINGS + i)),
      measured: Array.from({ length: BOOKINGS }, (_, i) => call(i)),
      holdSeconds: HOLD_SECONDS,
      maxActiveHolds: MAX_ACTIVE_HOLDS,
    }, settled);
    const a = summary(result.apiMs);
    const s = summary(result.sdkMs);
    const apiRate = (result.apiMs.length * 1000) / result.apiWallMs;
    const sdkRate = (result.sdkMs.length * 1000) / result.sdkWallMs;
    console.log(`createBooking, ${BOOKINGS} bookings a side, ${CONCURRENCY} at a time, sides alternating in blocks of ${BLOCK} (load from a separate process)`);
    console.log(`  API (GraphQL)  p50 ${a.p50.toFixed(1)} ms  p99 ${a.p99.toFixed(1)} ms  ${apiRate.toFixed(0)} bookings/s`);
    console.log(`  SDK (direct)   p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  ${sdkRate.toFixed(0)} bookings/s`);
    console.log(`  ratio API/SDK throughput ${(apiRate / sdkRate).toFixed(2)} (target ≥ 0.85)`);
    if (result.cpu) {
      console.log('  CPU per booking, every process, from block start until its background work settled:');
      console.log(cpuLine('API', result.cpu.api, result.apiMs.length));
      console.log(cpuLine('SDK', result.cpu.sdk, result.sdkMs.length));
    }
  } finally {
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
