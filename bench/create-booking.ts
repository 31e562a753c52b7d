// createBooking through the whole local API (HTTP, Cognito JWT, APPSYNC_JS pipeline, Lambda
// sandbox, SQS) against the same DynamoDB and SQS calls made directly with the SDK, in one run on
// one platform. Prints p50/p99 of each and the throughput ratio API/SDK (target ≥ 0.85).
// The server runs here; the load comes from another process (create-booking-driver.ts), as a real
// client's would.
//   node bin/run-ts.js bench/create-booking.ts [bookings] [concurrency] [block]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb/client.ts';
import { startLocalServer, REPO_ROOT, type LocalServer } from '../local/server.ts';
import { CPU_PARTS, cpuMeter, minus, NO_CPU, plus, type CpuReading } from './cpu-meter.ts';
import type { DriverPlan, DriverResult } from './create-booking-driver.ts';
import { quantile } from './quantile.ts';

const BOOKINGS = Number(process.argv[2] ?? 400);
const CONCURRENCY = Number(process.argv[3] ?? 4);
/** Warm-up rounds per call in flight (book and give back, both sides): every Lambda sandbox the
 * measured concurrency keeps busy gets about this many invocations before measuring. */
const WARMUP_ROUNDS = 500;
/**
 * Bookings per block: the sides alternate in blocks of this many (see create-booking-driver.ts).
 * Each block must last a second or more. A booking's background work (booking-processor, the
 * stream, change-publisher, two publishes: the same on both sides) trails it by up to a stream poll
 * (250 ms), and what trails a block runs in the pause after it, outside the measured time. Blocks
 * of 20 (0.15–0.3 s) left most of it there, and more of the faster side's: within its blocks the
 * SDK side's sandboxes spent 0.7–1.0 ms a booking against 1.8 in blocks of 200, so the SDK side was
 * measured with less of its own load than the API side (docs/BENCHMARKS.md).
 */
const BLOCK = Number(process.argv[4] ?? Math.max(100, 25 * CONCURRENCY));
// SQS's longest delay: no hold deadline of the warm-up comes due while the run measures.
const HOLD_SECONDS = 900;
/**
 * No hold expires during a run (HOLD_SECONDS outlasts it), so the local TTL sweeper would find
 * nothing; each of its full-table scans costs DynamoDB Local 100–300 ms of CPU, and landing at
 * random in one side's block or the other they moved a side's DynamoDB CPU per booking by ±2 ms
 * from run to run. The bench sweeps once a day instead: its numbers are createBooking's.
 */
const TTL_INTERVAL_MS = 24 * 3600 * 1000;
const MAX_ACTIVE_HOLDS = 3;

if (!Number.isInteger(BOOKINGS) || BOOKINGS < 10 || BOOKINGS > 2000 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1 || CONCURRENCY > 64 || !Number.isInteger(BLOCK) || BLOCK < 1 || BLOCK > BOOKINGS) {
  console.error('usage: bench/create-booking.ts [bookings 10-2000] [concurrency 1-64] [block 1-bookings]');
  process.exit(2);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are read loosely here
type Data = Record<string, any>;

function summary(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
}

async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query, variables }) });
  const answer = (await res.json()) as { data: Data; errors?: Array<{ message: string }> };
  if (answer.errors) throw new Error(answer.errors[0].message);
  return answer.data;
}

/** Days of 30-minute slots from 08:00 to 22:00 per availability rule: 28 a day, ~1,650 a rule
 * (a rule may hold at most 2,000 slots and span at most 90 days). */
const RULE_DAYS = 59;

/** A provider with as many rules of slots as `needed` takes, and the ids of that many slots. */
async function slotsToBook(server: LocalServer, needed: number): Promise<string[]> {
  const url = server.outputs.graphqlEndpoint;
  const owner = (await server.userPool.issue({ username: 'bench-owner', groups: ['providers'] })).idToken;
  const providerId = (await gql(url, owner, `mutation { createProvider(input: {name: "Bench", timeZone: "UTC"}) { id } }`)).createProvider.id as string;
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const rules = Math.ceil(needed / (28 * RULE_DAYS));
  for (let r = 0; r < rules; r++) {
    await gql(url, owner, `mutation($input: CreateAvailabilityInput!) { createAvailability(input: $input) { slotCount } }`, {
      input: { providerId, daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'], startTime: '08:00', endTime: '22:00', slotDurationMinutes: 30, validFrom: day(1 + r * (RULE_DAYS + 1)), validTo: day(1 + r * (RULE_DAYS + 1) + RULE_DAYS) },
    });
  }
  // listSlots reads at most 92 days at a time: one rule's range per listing.
  const slotIds: string[] = [];
  for (let r = 0; r < rules && slotIds.length < needed; r++) {
    let nextToken: string | null = null;
    do {
      const page: Data = await gql(url, owner, `query($p: ID!, $f: AWSDate!, $t: AWSDate!, $n: String) { listSlots(providerId: $p, from: $f, to: $t, limit: 100, nextToken: $n) { items { id } nextToken } }`, { p: providerId, f: day(1 + r * (RULE_DAYS + 1)), t: day(1 + r * (RULE_DAYS + 1) + RULE_DAYS), n: nextToken });
      slotIds.push(...page.listSlots.items.map((s: { id: string }) => s.id));
      nextToken = page.listSlots.nextToken;
    } while (nextToken && slotIds.length < needed);
  }
  if (slotIds.length < needed) throw new Error(`only ${slotIds.length} slots for ${needed} bookings`);
  return slotIds;
}

/**
 * No publish for this long, counted from the end of the block at the earliest, with the bookings
 * queue empty: settled. Three times the stream's poll interval (250 ms): a block's publishes trail
 * its writes, and a quiet period counted from the previous block's last publish ended before they
 * began (the SDK side's publishes all landed in the next API block).
 */
const QUIET_MS = 750;
const SETTLE_LIMIT_MS = 60_000;

interface BackgroundWatch {
  /** Resolves once the background work of the bookings so far is done. */
  settled(): Promise<void>;
  /** change-publisher's publishes so far. */
  publishes(): number;
}

/**
 * Watches the background work the bookings set off: booking-processor takes every message, and
 * change-publisher publishes every change (its SigV4-signed mutations reach the server's /graphql;
 * nothing else signs with SigV4).
 */
function backgroundWatch(server: LocalServer): BackgroundWatch {
  let lastPublishAt = 0;
  let publishes = 0;
  server.httpServer.on('request', (req: IncomingMessage) => {
    if (!req.url?.startsWith('/graphql') || !String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) return;
    lastPublishAt = performance.now();
    publishes += 1;
  });
  const sqs = new SQSClient({ endpoint: server.sqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const queueEmpty = async () => {
    const { Attributes: a } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: server.queueUrl('bookings'), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return a?.ApproximateNumberOfMessages === '0' && a?.ApproximateNumberOfMessagesNotVisible === '0';
  };
  return {
    publishes: () => publishes,
    async settled() {
      const asked = performance.now();
      const deadline = asked + SETTLE_LIMIT_MS;
      while (performance.now() < deadline) {
        if (performance.now() - Math.max(lastPublishAt, asked) >= QUIET_MS && (await queueEmpty())) return;
        await sleep(50);
      }
      throw new Error(`the background work did not settle within ${SETTLE_LIMIT_MS / 1000} s`);
    },
  };
}

/** Each side's CPU and publishes from the start of its blocks until their background work had settled. */
interface SideCosts {
  cpu: { api: CpuReading; sdk: CpuReading } | null;
  /** The same, from block start to block end only (background work left out), and the blocks' wall time. */
  inBlock: { api: CpuReading; sdk: CpuReading; apiWallMs: number; sdkWallMs: number } | null;
  publishes: { api: number; sdk: number };
}

function runDriver(plan: DriverPlan, background: BackgroundWatch): Promise<DriverResult & SideCosts> {
  const child = fork(join(REPO_ROOT, 'bin', 'run-ts.js'), [join(REPO_ROOT, 'bench', 'create-booking-driver.ts')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // The driver settles after warm-up and after every block, and its blocks alternate API, SDK, …:
  // the CPU between one "settled" and the next belongs to the block in between.
  const meter = cpuMeter(child.pid ?? 0);
  const cpu = { api: NO_CPU, sdk: NO_CPU };
  const publishes = { api: 0, sdk: 0 };
  let mark: { cpu: CpuReading | null; publishes: number } | null = null;
  let intervals = 0;
  const inBlock = { api: NO_CPU, sdk: NO_CPU, apiWallMs: 0, sdkWallMs: 0 };
  let blockStart: { cpu: CpuReading | null; at: number } | null = null;
  const onBlockEnd = () => {
    const now = meter();
    if (blockStart?.cpu && now) {
      const side = intervals % 2 === 0 ? 'api' : 'sdk';
      inBlock[side] = plus(inBlock[side], minus(now, blockStart.cpu));
      inBlock[`${side}WallMs`] += performance.now() - blockStart.at;
    }
    blockStart = null;
  };
  const onSettled = () => {
    const now = { cpu: meter(), publishes: background.publishes() };
    if (mark) {
      const side = intervals % 2 === 0 ? 'api' : 'sdk';
      if (mark.cpu && now.cpu) cpu[side] = plus(cpu[side], minus(now.cpu, mark.cpu));
      publishes[side] += now.publishes - mark.publishes;
      intervals += 1;
    }
    mark = now;
  };
  const answered = new Promise<DriverResult & SideCosts>((resolve, reject) => {
    child.on('message', (message: { settle: true } | { ok: true; result: DriverResult } | { ok: false; error: string }) => {
      if ('settle' in message) {
        onBlockEnd();
        background.settled().then(() => {
          onSettled();
          blockStart = { cpu: meter(), at: performance.now() };
          child.send({ settled: true });
        }, reject);
      } else if (message.ok) {
        const measured = intervals > 0 && mark?.cpu;
        resolve({ ...message.result, cpu: measured ? cpu : null, inBlock: measured ? inBlock : null, publishes });
      }
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
  const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-bench-'));
  const server = await startLocalServer({
    port: 0,
    stateDir,
    inMemory: true,
    seed: false,
    env: { HOLD_SECONDS: String(HOLD_SECONDS), MAX_ACTIVE_HOLDS: String(MAX_ACTIVE_HOLDS) },
    ttlIntervalMs: TTL_INTERVAL_MS,
    rateLimit: { limit: 1_000_000, windowSeconds: 300 },
    lambdaBuildDir: join(REPO_ROOT, '.slotsync', 'build', 'bench'),
    log: () => undefined,
  });
  try {
    const calls = BOOKINGS + CONCURRENCY;
    const slotIds = await slotsToBook(server, 2 * calls);
    const tokens = await Promise.all(Array.from({ length: calls }, (_, i) => server.userPool.issue({ username: `bench-${i}` }).then((t) => t.idToken)));
    const background = backgroundWatch(server);
    // The slots' creation is published too (~1,650 changes): let that finish before measuring.
    await background.settled();
    const call = (i: number) => ({ token: tokens[i], apiSlotId: slotIds[2 * i], sdkSlotId: slotIds[2 * i + 1] });
    const result = await runDriver({
      graphqlEndpoint: server.outputs.graphqlEndpoint,
      dynamodbEndpoint: server.dynamodbEndpoint,
      sqsEndpoint: server.sqsEndpoint,
      queueUrl: server.queueUrl('bookings'),
      tableName: server.tableName,
      concurrency: CONCURRENCY,
      blockSize: BLOCK,
      warmup: { rounds: WARMUP_ROUNDS, workers: Array.from({ length: CONCURRENCY }, (_, w) => call(BOOKINGS + w)) },
      measured: Array.from({ length: BOOKINGS }, (_, i) => call(i)),
      holdSeconds: HOLD_SECONDS,
      maxActiveHolds: MAX_ACTIVE_HOLDS,
    }, background);
    const a = summary(result.apiMs);
    const s = summary(result.sdkMs);
    const apiRate = (result.apiMs.length * 1000) / result.apiWallMs;
    const sdkRate = (result.sdkMs.length * 1000) / result.sdkWallMs;
    console.log(`createBooking, ${BOOKINGS} bookings a side, ${CONCURRENCY} at a time, sides alternating in blocks of ${BLOCK} (load from a separate process)`);
    console.log(`  API (GraphQL)  p50 ${a.p50.toFixed(1)} ms  p99 ${a.p99.toFixed(1)} ms  ${apiRate.toFixed(0)} bookings/s`);
    console.log(`  SDK (direct)   p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  ${sdkRate.toFixed(0)} bookings/s`);
    console.log(`  ratio API/SDK throughput ${(apiRate / sdkRate).toFixed(2)} (target ≥ 0.85)`);
    // Neighbouring blocks share the machine's state: their ratios show how far it moved the result.
    const pairRatios = result.blockPairs.map((p) => p.sdkMs / p.apiMs).sort((x, y) => x - y);
    const pairAt = (q: number) => quantile(pairRatios, q).toFixed(2);
    console.log(`  ratio per block pair (API block, then SDK block): median ${pairAt(0.5)}, middle half ${pairAt(0.25)}–${pairAt(0.75)}, ${pairRatios.length} pairs`);
    // Each booking publishes its slot's hold and its PENDING booking: a side that shows fewer had
    // its background work counted in the other side's blocks.
    console.log(`  publishes per booking, from block start until settled: API ${(result.publishes.api / result.apiMs.length).toFixed(2)}, SDK ${(result.publishes.sdk / result.sdkMs.length).toFixed(2)}`);
    if (result.cpu) {
      console.log('  CPU per booking, every process, from block start until its background work settled:');
      console.log(cpuLine('API', result.cpu.api, result.apiMs.length));
      console.log(cpuLine('SDK', result.cpu.sdk, result.sdkMs.length));
    }
    if (result.inBlock) {
      // Within the blocks only: how many of the cores each side kept busy, and on what.
      const { api, sdk, apiWallMs, sdkWallMs } = result.inBlock;
      const cores = (cpu: CpuReading, wallMs: number) => (Object.values(cpu).reduce((x, y) => x + y, 0) / wallMs).toFixed(2);
      console.log('  CPU per booking within the blocks only (cores busy on average):');
      console.log(`${cpuLine('API', api, result.apiMs.length)} (${cores(api, apiWallMs)} cores)`);
      console.log(`${cpuLine('SDK', sdk, result.sdkMs.length)} (${cores(sdk, sdkWallMs)} cores)`);
    }
  } finally {
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
