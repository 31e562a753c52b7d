// createBooking through the whole local API (HTTP, Cognito JWT, APPSYNC_JS pipeline, Lambda
// sandbox, SQS) against the same DynamoDB and SQS calls made directly with the SDK, in one run on
// one platform. Prints p50/p99 of each and the throughput ratio API/SDK (target ≥ 0.85).
//   node bin/run-ts.js bench/create-booking.ts [bookings] [concurrency]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { localDynamoDb, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb/client.ts';
import { startLocalServer, REPO_ROOT } from '../local/server.ts';
import { holdCounterKey, holdKey, parseSlotId, slotKey } from '../functions/shared/model.ts';

const BOOKINGS = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.argv[3] ?? 4);
/** Warm-up bookings, run at the measured concurrency so every Lambda sandbox it needs is warm. */
const WARMUP = Math.max(10, 5 * CONCURRENCY);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are read loosely here
type Data = Record<string, any>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function ulid(): string {
  const bytes = randomBytes(26);
  return `0${Array.from(bytes.subarray(1), (b) => CROCKFORD[b % 32]).join('')}`;
}

function summary(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

/** Runs `task(i)` for i in [0, n) with `concurrency` in flight; returns per-call ms and the wall time. */
async function drive(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ samples: number[]; wallMs: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        samples.push(performance.now() - t0);
      }
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-bench-'));
  const server = await startLocalServer({
    port: 0,
    stateDir,
    inMemory: true,
    seed: false,
    rateLimit: { limit: 1_000_000, windowSeconds: 300 },
    lambdaBuildDir: join(REPO_ROOT, '.slotsync', 'build', 'bench'),
    log: () => undefined,
  });
  try {
    const url = server.outputs.graphqlEndpoint;
    // Plain node:http with keep-alive, the transport the SDK side uses too, so the comparison is
    // of the API's work rather than of two HTTP clients.
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
      new Promise<Data>((resolvePost, rejectPost) => {
        const body = JSON.stringify({ query, variables });
        const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: token } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: Data; errors?: Array<{ message: string }> };
            if (answer.errors) rejectPost(new Error(answer.errors[0].message));
            else resolvePost(answer.data);
          });
        });
        req.on('error', rejectPost);
        req.end(body);
      });
    const owner = (await server.userPool.issue({ username: 'bench-owner', groups: ['providers'] })).idToken;
    const providerId = (await gql(owner, `mutation { createProvider(input: {name: "Bench", timeZone: "UTC"}) { id } }`)).createProvider.id as string;
    const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await gql(owner, `mutation($input: CreateAvailabilityInput!) { createAvailability(input: $input) { slotCount } }`, {
      input: { providerId, daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'], startTime: '08:00', endTime: '20:00', slotDurationMinutes: 30, validFrom: from, validTo: to },
    });
    const slotIds: string[] = [];
    let nextToken: string | null = null;
    do {
      const page: Data = await gql(owner, `query($p: ID!, $f: AWSDate!, $t: AWSDate!, $n: String) { listSlots(providerId: $p, from: $f, to: $t, limit: 100, nextToken: $n) { items { id } nextToken } }`, { p: providerId, f: from, t: to, n: nextToken });
      slotIds.push(...page.listSlots.items.map((s: { id: string }) => s.id));
      nextToken = page.listSlots.nextToken;
    } while (nextToken && slotIds.length < 2 * BOOKINGS + WARMUP);
    if (slotIds.length < 2 * BOOKINGS + WARMUP) throw new Error(`only ${slotIds.length} slots for ${BOOKINGS} bookings`);
    const tokens = await Promise.all(Array.from({ length: BOOKINGS + WARMUP }, (_, i) => server.userPool.issue({ username: `bench-${i}` }).then((t) => t.idToken)));

    // Warm both paths (JIT, connections, one Lambda sandbox per concurrent call: Lambda runs one
    // invocation per sandbox) on slots neither measured run uses. Cold starts are not the subject.
    const apiBooking = (token: string, slotId: string) => gql(token, `mutation($s: ID!) { createBooking(input: {slotId: $s}) { id status } }`, { s: slotId });
    await drive(WARMUP, CONCURRENCY, async (i) => {
      await apiBooking(tokens[BOOKINGS + i], slotIds[2 * BOOKINGS + i]);
    });

    const ddb = localDynamoDb(server.dynamodbEndpoint);
    const sqs = new SQSClient({ endpoint: server.sqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const queueUrl = server.queueUrl('bookings');
    const table = server.tableName;
    // What the pipeline does for a first booking, call for call: read the slot (consistent), the same
    // hold transaction (same items, conditions and return-values setting), the same two sends.
    const sdkBooking = async (i: number) => {
      const ref = parseSlotId(slotIds[BOOKINGS + i])!;
      const userId = `sdk-${i}`;
      const bookingId = ulid();
      const now = new Date();
      const expires = new Date(now.getTime() + 300_000).toISOString();
      const start = ref.startUtcIso;
      const booking = {
        id: bookingId, slotId: slotIds[BOOKINGS + i], providerId: ref.providerId, userId, status: 'PENDING',
        startTime: start, endTime: new Date(Date.parse(start) + 1_800_000).toISOString().replace('.000Z', 'Z'),
        holdExpiresAt: expires, createdAt: now.toISOString(), updatedAt: now.toISOString(),
      };
      await ddb.send(new GetItemCommand({ TableName: table, Key: marshall(slotKey(ref.providerId, ref.startUtcIso)), ConsistentRead: true }));
      await ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: marshall(slotKey(ref.providerId, ref.startUtcIso)),
                UpdateExpression: 'SET #status = :held, #exp = :exp, #bid = :bid, #by = :by, #ver = #ver + :one',
                ConditionExpression: 'attribute_exists(#pk) AND (#status = :available OR (#status = :held AND #exp <= :now))',
                ExpressionAttributeNames: { '#status': 'status', '#exp': 'holdExpiresAt', '#bid': 'bookingId', '#by': 'heldBy', '#ver': 'version', '#pk': 'PK' },
                ExpressionAttributeValues: marshall({ ':held': 'HELD', ':exp': expires, ':bid': bookingId, ':by': userId, ':one': 1, ':available': 'AVAILABLE', ':now': now.toISOString() }),
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: table,
                Item: marshall({ ...holdKey(bookingId), entity: 'HOLD', bookingId, slotId: booking.slotId, userId, providerId: ref.providerId, ttl: Math.ceil(Date.parse(expires) / 1000) + 3600, booking }),
                ConditionExpression: 'attribute_not_exists(PK)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Update: {
                TableName: table,
                Key: marshall(holdCounterKey(userId)),
                UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one, #entity = :entity',
                ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
                ExpressionAttributeNames: { '#count': 'count', '#entity': 'entity' },
                ExpressionAttributeValues: marshall({ ':zero': 0, ':one': 1, ':max': 3, ':entity': 'HOLD_COUNTER' }),
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      );
      // The very messages enqueue-booking sends, so booking-processor does the same work afterwards.
      const body = JSON.stringify(booking);
      const typed = (type: string) => ({ type: { DataType: 'String', StringValue: type } });
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: typed('HoldDeadline'), DelaySeconds: 300 }));
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: typed('BookingRequested') }));
    };
    for (let i = 0; i < 10; i++) await sdkBooking(BOOKINGS - 10 + i).catch(() => undefined);

    // Interleaved (API, SDK, API, SDK, …) so neither side runs on a warmer JVM or a quieter machine.
    const apiSamples: number[] = [];
    const sdkSamples: number[] = [];
    const timed = async (samples: number[], call: () => Promise<unknown>) => {
      const t0 = performance.now();
      await call();
      samples.push(performance.now() - t0);
    };
    const n = BOOKINGS - 10;
    await drive(n, CONCURRENCY, async (i) => {
      await timed(apiSamples, () => apiBooking(tokens[i], slotIds[i]));
      await timed(sdkSamples, () => sdkBooking(i));
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const a = summary(apiSamples);
    const s = summary(sdkSamples);
    // With the same concurrency on both sides, throughput is inversely proportional to mean latency.
    const apiRate = (CONCURRENCY * 1000) / mean(apiSamples);
    const sdkRate = (CONCURRENCY * 1000) / mean(sdkSamples);
    console.log(`createBooking, ${BOOKINGS} bookings, concurrency ${CONCURRENCY}`);
    console.log(`  API (GraphQL)  p50 ${a.p50.toFixed(1)} ms  p99 ${a.p99.toFixed(1)} ms  ${apiRate.toFixed(0)} bookings/s`);
    console.log(`  SDK (direct)   p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  ${sdkRate.toFixed(0)} bookings/s`);
    console.log(`  ratio API/SDK throughput ${(apiRate / sdkRate).toFixed(2)} (target ≥ 0.85)`);
  } finally {
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
