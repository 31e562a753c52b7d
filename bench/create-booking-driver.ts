// The load generator of bench/create-booking.ts, in a process of its own: a client shares no event
// loop with the server it measures (in one process, the SDK's calls to the local SQS would skip the
// socket wake-ups every real client pays, and the driver's own work would slow the server).
// Receives a DriverPlan on its IPC channel, answers with DriverResult, then exits.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { localDynamoDb, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb/client.ts';
import { holdCounterKey, holdKey, parseSlotId, slotKey } from '../functions/shared/model.ts';

export interface DriverPlan {
  graphqlEndpoint: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  queueUrl: string;
  tableName: string;
  concurrency: number;
  /** Bookings per block of each side. */
  blockSize: number;
  /** One per call: the measured run books `measured[i]` through both paths. */
  measured: Array<{ token: string; apiSlotId: string; sdkSlotId: string }>;
  /** Warm-up calls through the API, then through the SDK, on slots the measured run leaves alone. */
  warmup: Array<{ token: string; apiSlotId: string; sdkSlotId: string }>;
  holdSeconds: number;
  maxActiveHolds: number;
}

export interface DriverResult {
  /** Each call's latency. */
  apiMs: number[];
  sdkMs: number[];
  /** Time spent in each side's blocks: bookings / this is the side's throughput. */
  apiWallMs: number;
  sdkWallMs: number;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function ulid(): string {
  const bytes = randomBytes(26);
  return `0${Array.from(bytes.subarray(1), (b) => CROCKFORD[b % 32]).join('')}`;
}

/** Runs `task(i)` for i in [0, n) with `concurrency` in flight. */
async function drive(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

function apiClient(url: string): (token: string, slotId: string) => Promise<void> {
  // Plain node:http with keep-alive, the transport the SDK uses too, so the comparison is of the
  // API's work rather than of two HTTP clients.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const query = 'mutation($s: ID!) { createBooking(input: {slotId: $s}) { id status } }';
  return (token, slotId) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ query, variables: { s: slotId } });
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: token } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { createBooking?: { status: string } }; errors?: Array<{ message: string }> };
          if (answer.errors || answer.data?.createBooking?.status !== 'PENDING') reject(new Error(answer.errors?.[0]?.message ?? 'no PENDING booking'));
          else resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}

/** What the pipeline does for a first booking, call for call: read the slot (consistent), the same
 * hold transaction (same items, conditions and return-values setting), the same two sends. */
function sdkClient(plan: DriverPlan): (userId: string, slotId: string) => Promise<void> {
  const ddb = localDynamoDb(plan.dynamodbEndpoint);
  const sqs = new SQSClient({ endpoint: plan.sqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const table = plan.tableName;
  return async (userId, slotId) => {
    const ref = parseSlotId(slotId);
    if (!ref) throw new Error(`not a slot id: ${slotId}`);
    const bookingId = ulid();
    const now = new Date();
    const expires = new Date(now.getTime() + plan.holdSeconds * 1000).toISOString();
    const start = ref.startUtcIso;
    const booking = {
      id: bookingId, slotId, providerId: ref.providerId, userId, status: 'PENDING',
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
              Item: marshall({ ...holdKey(bookingId), entity: 'HOLD', bookingId, slotId, userId, providerId: ref.providerId, ttl: Math.ceil(Date.parse(expires) / 1000), booking }),
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
              ExpressionAttributeValues: marshall({ ':zero': 0, ':one': 1, ':max': plan.maxActiveHolds, ':entity': 'HOLD_COUNTER' }),
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    );
    // The very messages enqueue-booking sends, so booking-processor does the same work afterwards.
    const body = JSON.stringify(booking);
    const typed = (type: string) => ({ type: { DataType: 'String', StringValue: type } });
    await sqs.send(new SendMessageCommand({ QueueUrl: plan.queueUrl, MessageBody: body, MessageAttributes: typed('HoldDeadline'), DelaySeconds: plan.holdSeconds }));
    await sqs.send(new SendMessageCommand({ QueueUrl: plan.queueUrl, MessageBody: body, MessageAttributes: typed('BookingRequested') }));
  };
}

/**
 * Waits for the work the bookings so far left behind (booking-processor's messages,
 * change-publisher's publishes) to finish, so no block runs on the other side's backlog. The
 * server's process can see that work; it answers once it is done.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: { settled?: boolean }) => {
      if (!message.settled) return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
    process.send?.({ settle: true });
  });
}

async function run(plan: DriverPlan): Promise<DriverResult> {
  const api = apiClient(plan.graphqlEndpoint);
  const sdk = sdkClient(plan);
  // Warm both paths (JIT, connections, one Lambda sandbox per concurrent call: Lambda runs one
  // invocation per sandbox) at the measured concurrency. Cold starts are not the subject.
  await drive(plan.warmup.length, plan.concurrency, async (i) => {
    const call = plan.warmup[i];
    await api(call.token, call.apiSlotId);
    await sdk(`sdk-warm-${i}`, call.sdkSlotId);
  });
  // Alternating blocks (API, SDK, API, SDK, …), each `concurrency` at a time: each side's
  // throughput is that of its own sustained load, and alternation gives both the same JVM, table
  // size and machine weather over the run. (Interleaving call by call, as this bench first did,
  // mixes the two loads into one stream: neither side's rate is then that of its own traffic.)
  const result: DriverResult = { apiMs: [], sdkMs: [], apiWallMs: 0, sdkWallMs: 0 };
  const timed = async (samples: number[], call: () => Promise<void>) => {
    const t0 = performance.now();
    await call();
    samples.push(performance.now() - t0);
  };
  const n = plan.measured.length;
  await settle();
  for (let start = 0; start < n; start += plan.blockSize) {
    const size = Math.min(plan.blockSize, n - start);
    let t0 = performance.now();
    await drive(size, plan.concurrency, (k) => timed(result.apiMs, () => api(plan.measured[start + k].token, plan.measured[start + k].apiSlotId)));
    result.apiWallMs += performance.now() - t0;
    await settle();
    t0 = performance.now();
    await drive(size, plan.concurrency, (k) => timed(result.sdkMs, () => sdk(`sdk-${start + k}`, plan.measured[start + k].sdkSlotId)));
    result.sdkWallMs += performance.now() - t0;
    await settle();
  }
  return result;
}

process.once('message', (plan: DriverPlan) => {
  run(plan).then(
    (result) => process.send?.({ ok: true, result }, () => process.disconnect()),
    (err: unknown) => process.send?.({ ok: false, error: err instanceof Error ? err.message : String(err) }, () => process.disconnect()),
  );
});
