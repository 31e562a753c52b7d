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
  /**
   * Warm-up: each worker (one per call in flight) books its own pair of slots, through the API and
   * through the SDK, and gives them back (cancelBooking; the SDK undoes its hold), `rounds` times.
   * Slots the measured run leaves alone.
   */
  warmup: { rounds: number; workers: Array<{ token: string; apiSlotId: string; sdkSlotId: string }> };
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
  /** Each API block's time and the SDK block's after it (same bookings count): the ratio's spread. */
  blockPairs: Array<{ apiMs: number; sdkMs: number }>;
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

type Mutate = (token: string, query: string, variables: Record<string, string>) => Promise<Record<string, { id: string; status: string }>>;

function graphqlClient(url: string): Mutate {
  // Plain node:http with keep-alive, the transport the SDK uses too, so the comparison is of the
  // API's work rather than of two HTTP clients.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const attempt = (token: string, body: string, retryOnReset: boolean): Promise<Record<string, { id: string; status: string }>> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: token } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: Record<string, { id: string; status: string }>; errors?: Array<{ message: string }> };
          if (answer.errors || !answer.data) reject(new Error(answer.errors?.[0]?.message ?? 'no data'));
          else resolve(answer.data);
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed as idle just as the request went out (the server
        // never read it): Node's documented remedy is to send it again on a fresh socket. The SDK
        // side's clients retry the same error themselves.
        if (retryOnReset && req.reusedSocket && err.code === 'ECONNRESET') attempt(token, body, false).then(resolve, reject);
        else reject(err);
      });
      req.end(body);
    });
  return (token, query, variables) => attempt(token, JSON.stringify({ query, variables }), true);
}

/** createBooking through the API; answers the PENDING booking's id. */
function apiClient(mutate: Mutate): (token: string, slotId: string) => Promise<string> {
  const query = 'mutation($s: ID!) { createBooking(input: {slotId: $s}) { id status } }';
  return async (token, slotId) => {
    const { createBooking } = await mutate(token, query, { s: slotId });
    if (createBooking?.status !== 'PENDING') throw new Error('no PENDING booking');
    return createBooking.id;
  };
}

/** What the pipeline does for a first booking, call for call: read the slot (consistent), the same
 * hold transaction (same items, conditions and return-values setting), the same two sends. */
function sdkClient(plan: DriverPlan): { book(userId: string, slotId: string): Promise<string>; giveBack(userId: string, slotId: string, bookingId: string): Promise<void> } {
  const ddb = localDynamoDb(plan.dynamodbEndpoint);
  const sqs = new SQSClient({ endpoint: plan.sqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const table = plan.tableName;
  const book = async (userId: string, slotId: string): Promise<string> => {
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
    return bookingId;
  };
  /** Warm-up only: the hold undone as cancelBooking undoes it (resolvers/lib/holds.ts), so the slot can be booked again. */
  const giveBack = async (userId: string, slotId: string, bookingId: string): Promise<void> => {
    const ref = parseSlotId(slotId);
    if (!ref) throw new Error(`not a slot id: ${slotId}`);
    await ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: marshall(slotKey(ref.providerId, ref.startUtcIso)),
              UpdateExpression: 'SET #status = :available, #ver = #ver + :one REMOVE #exp, #bid, #by',
              ConditionExpression: '#status = :held AND #bid = :bid',
              ExpressionAttributeNames: { '#status': 'status', '#ver': 'version', '#exp': 'holdExpiresAt', '#bid': 'bookingId', '#by': 'heldBy' },
              ExpressionAttributeValues: marshall({ ':available': 'AVAILABLE', ':one': 1, ':held': 'HELD', ':bid': bookingId }),
            },
          },
          { Delete: { TableName: table, Key: marshall(holdKey(bookingId)), ConditionExpression: 'attribute_exists(PK)' } },
          {
            Update: {
              TableName: table,
              Key: marshall(holdCounterKey(userId)),
              UpdateExpression: 'SET #count = #count - :one',
              ConditionExpression: '#count > :zero',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: marshall({ ':one': 1, ':zero': 0 }),
            },
          },
        ],
      }),
    );
  };
  return { book, giveBack };
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
  const mutate = graphqlClient(plan.graphqlEndpoint);
  const api = apiClient(mutate);
  const cancel = 'mutation($id: ID!) { cancelBooking(id: $id) { id status } }';
  const sdkClients = sdkClient(plan);
  // Warm both paths past the steep part of their warm-up (JIT, connections, and every Lambda
  // sandbox: Lambda runs one invocation per sandbox, so 4 calls in flight keep 4 sandboxes, each
  // its own V8 that takes hundreds of invocations to warm). Cold starts are not the subject; a
  // warm-up six times as long did not move the ratio (docs/BENCHMARKS.md). Each worker books and
  // gives back its own two slots, so warming needs no new ones.
  await Promise.all(
    plan.warmup.workers.map(async (worker, w) => {
      for (let round = 0; round < plan.warmup.rounds; round++) {
        const id = await api(worker.token, worker.apiSlotId);
        await mutate(worker.token, cancel, { id });
        const sdkId = await sdkClients.book(`sdk-warm-${w}`, worker.sdkSlotId);
        await sdkClients.giveBack(`sdk-warm-${w}`, worker.sdkSlotId, sdkId);
      }
    }),
  );
  // Alternating blocks (API, SDK, API, SDK, …), each `concurrency` at a time: each side's
  // throughput is that of its own sustained load, and alternation gives both the same JVM, table
  // size and machine weather over the run. (Interleaving call by call, as this bench first did,
  // mixes the two loads into one stream: neither side's rate is then that of its own traffic.)
  const result: DriverResult = { apiMs: [], sdkMs: [], apiWallMs: 0, sdkWallMs: 0, blockPairs: [] };
  const timed = async (samples: number[], call: () => Promise<unknown>) => {
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
    const apiBlockMs = performance.now() - t0;
    await settle();
    t0 = performance.now();
    await drive(size, plan.concurrency, (k) => timed(result.sdkMs, () => sdkClients.book(`sdk-${start + k}`, plan.measured[start + k].sdkSlotId)));
    const sdkBlockMs = performance.now() - t0;
    await settle();
    result.apiWallMs += apiBlockMs;
    result.sdkWallMs += sdkBlockMs;
    result.blockPairs.push({ apiMs: apiBlockMs, sdkMs: sdkBlockMs });
  }
  return result;
}

process.once('message', (plan: DriverPlan) => {
  run(plan).then(
    (result) => process.send?.({ ok: true, result }, () => process.disconnect()),
    (err: unknown) => process.send?.({ ok: false, error: err instanceof Error ? err.message : String(err) }, () => process.disconnect()),
  );
});
