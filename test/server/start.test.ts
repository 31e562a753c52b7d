// `npm start` as a user runs it: the real `node bin/slotsync.js start` command in its own process,
// with its own state directory, driven over HTTP. One started process serves several checks; a
// second start on the same state directory proves the data persists and is not seeded twice.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBookingDocument,
  GetBookingDocument,
  ListProvidersDocument,
  ListSlotsDocument,
  type SlotFieldsFragment,
} from '../../client/generated/operations.ts';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { api, table } from '../../infra/wiring.ts';
import { LOCAL_CREDENTIALS } from '../../local/dynamodb/client.ts';
import { freePort } from '../../local/net.ts';
import { argsOf, gqlOk, isAlive, javaChildren, mintToken, spawnStart, START_TIMEOUT_MS, stopWith, waitUntilHealthy, type CliProcess } from './cli-process.ts';

const HOLD_SECONDS = 7;
const DEMO_PROVIDER_NAME = 'Harbour Physio (demo)';

type Auth = Record<string, string>;

const ok = gqlOk;

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Every slot of a provider from yesterday to ten days ahead, following nextToken (bounded). */
async function allSlots(port: number, auth: Auth, providerId: string): Promise<SlotFieldsFragment[]> {
  const slots: SlotFieldsFragment[] = [];
  let nextToken: string | null | undefined;
  for (let page = 0; page < 50; page++) {
    const data = await ok(port, auth, ListSlotsDocument, { providerId, from: isoDate(-1), to: isoDate(10), limit: 100, nextToken });
    slots.push(...data.listSlots.items);
    nextToken = data.listSlots.nextToken;
    if (!nextToken) return slots;
  }
  throw new Error('listSlots did not end within 50 pages');
}

async function providers(port: number, auth: Auth) {
  return (await ok(port, auth, ListProvidersDocument, { limit: 100 })).listProviders;
}

const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-start-'));
const started: CliProcess[] = [];
let first: CliProcess;
let firstJvm: number;
let outputs: Record<string, unknown>;
let apiKey: Auth;
let alice: Auth;
// Shared with the restart check: what the first run created.
const firstRun: { providerId?: string; slotCount?: number; bookingId?: string; slotId?: string } = {};

beforeAll(async () => {
  const port = await freePort();
  first = spawnStart(['--port', String(port), '--state-dir', stateDir], { HOLD_SECONDS: String(HOLD_SECONDS) });
  started.push(first);
  await waitUntilHealthy(first);
  outputs = JSON.parse(readFileSync(join(stateDir, 'outputs.json'), 'utf8')) as Record<string, unknown>;
  apiKey = { 'x-api-key': String(outputs.apiKey) };
  alice = { authorization: mintToken(stateDir, 'alice') };
  const jvms = javaChildren(first.child.pid as number);
  expect(jvms).toHaveLength(1);
  firstJvm = jvms[0];
}, START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  // Only if a check failed midway: end what this file started, by pid, JVMs first.
  for (const cli of started) {
    const pid = cli.child.pid;
    if (pid === undefined || cli.child.exitCode !== null || cli.child.signalCode !== null) continue;
    for (const jvm of javaChildren(pid)) process.kill(jvm, 'SIGKILL');
    cli.child.kill('SIGKILL');
    await cli.exited;
  }
  rmSync(stateDir, { recursive: true, force: true });
}, 60_000);

describe('slotsync start', () => {
  it('prints the endpoints, the API key and how to mint a user token once /health is 200', async () => {
    const res = await fetch(`http://127.0.0.1:${first.port}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });

    const out = first.stdout();
    expect(out).toMatch(/slotsync: ready in \d+\.\d s/);
    expect(out).toContain(`GraphQL     http://127.0.0.1:${first.port}/graphql\n`);
    expect(out).toContain(`real-time   ws://127.0.0.1:${first.port}/graphql/realtime\n`);
    expect(out).toContain(`API key     ${String(outputs.apiKey)} `);
    expect(out).toContain(`npx slotsync token --user alice --state-dir ${stateDir}`);
    expect(String(outputs.apiKey)).toMatch(/^da2-[a-z0-9]{26}$/);
    // The key goes to stdout once, for the developer; never to stderr, where logs go.
    expect(first.stderr()).not.toContain(String(outputs.apiKey));
  });

  it('writes outputs.json with the endpoints, the key, the region, the auth modes, and the table and queues under the stack\'s output names', async () => {
    const local = /^http:\/\/127\.0\.0\.1:\d+$/;
    expect(outputs).toEqual({
      graphqlEndpoint: `http://127.0.0.1:${first.port}/graphql`,
      realtimeEndpoint: `ws://127.0.0.1:${first.port}/graphql/realtime`,
      apiKey: expect.stringMatching(/^da2-/),
      region: expect.stringMatching(/^[a-z]{2}-[a-z]+-\d$/),
      authModes: [api.defaultAuth, ...api.additionalAuth],
      dynamodbEndpoint: expect.stringMatching(local),
      tableName: table.name,
      sqsEndpoint: expect.stringMatching(local),
      bookingsQueueUrl: `${String(outputs.sqsEndpoint)}/000000000000/bookings`,
      bookingsDlqUrl: `${String(outputs.sqsEndpoint)}/000000000000/bookings-dlq`,
      bookingsDlqArn: `arn:aws:sqs:${String(outputs.region)}:000000000000:bookings-dlq`,
      streamFailuresQueueUrl: `${String(outputs.sqsEndpoint)}/000000000000/stream-failures`,
    });
    // They answer: the bookings queue names the DLQ in its redrive policy.
    const sqs = new SQSClient({ endpoint: String(outputs.sqsEndpoint), region: String(outputs.region), credentials: LOCAL_CREDENTIALS });
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: String(outputs.bookingsQueueUrl), AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toMatchObject({ deadLetterTargetArn: outputs.bookingsDlqArn });
  });

  it('refuses a second start on a state directory in use, before anything starts, and leaves outputs.json alone', async () => {
    const before = readFileSync(join(stateDir, 'outputs.json'), 'utf8');
    const cli = spawnStart(['--port', String(await freePort()), '--state-dir', stateDir]);
    started.push(cli);
    const code = await Promise.race([cli.exited, sleep(60_000).then(() => 'timeout' as const)]);
    expect(code).toBe(1);
    expect(cli.stdout()).toBe('');
    expect(cli.stderr().trim()).toBe(
      `slotsync start: the state directory ${stateDir} is in use by another slotsync start (pid ${first.child.pid}): stop it, or give this one its own --state-dir`,
    );
    expect(readFileSync(join(stateDir, 'outputs.json'), 'utf8')).toBe(before);
    expect(javaChildren(first.child.pid as number)).toEqual([firstJvm]);
  }, 90_000);

  it('serves GraphiQL at / with the API key prefilled, and every asset it loads from this server', async () => {
    const res = await fetch(`http://127.0.0.1:${first.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('x-api-key');
    expect(html).toContain(String(outputs.apiKey));
    expect(html).toContain('"/graphql"');
    // Offline: nothing is loaded from another origin.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.sort()).toEqual(['/graphiql/appsync-fetcher.js', '/graphiql/graphiql.css', '/graphiql/graphiql.js', '/graphiql/react-dom.js', '/graphiql/react.js']);
    for (const path of assets) {
      const asset = await fetch(`http://127.0.0.1:${first.port}${path}`);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('content-type'), path).toMatch(path.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect((await asset.text()).length, path).toBeGreaterThan(1000);
    }
    const graphiql = await (await fetch(`http://127.0.0.1:${first.port}/graphiql/graphiql.js`)).text();
    expect(graphiql).toContain('createFetcher');
    // The page's own fetcher: subscriptions over the real-time endpoint.
    expect(html).toContain('"/graphql/realtime"');
  });

  it('seeds a demo provider with a week of slots into the empty table', async () => {
    const page = await providers(first.port, apiKey);
    expect(page.items.map((p) => p.name)).toEqual([DEMO_PROVIDER_NAME]);
    const providerId = page.items[0].id;
    const slots = await allSlots(first.port, apiKey, providerId);
    expect(new Set(slots.map((s) => s.date)).size).toBe(7);
    expect(slots.every((s) => s.status === 'AVAILABLE')).toBe(true);
    expect(first.stdout()).toContain(`a provider with ${slots.length} slots`);
    firstRun.providerId = providerId;
    firstRun.slotCount = slots.length;
  });

  it('honours HOLD_SECONDS from its environment: a new hold lasts 7 s, not the wiring default', async () => {
    expect(firstRun.providerId).toBeDefined();
    expect(api.environment.HOLD_SECONDS).not.toBe(String(HOLD_SECONDS));
    const slots = await allSlots(first.port, alice, firstRun.providerId as string);
    const slot = slots.find((s) => s.status === 'AVAILABLE') as SlotFieldsFragment;
    const { createBooking } = await ok(first.port, alice, CreateBookingDocument, { input: { slotId: slot.id } });
    expect(createBooking.status).toBe('PENDING');
    const holdMs = Date.parse(createBooking.holdExpiresAt as string) - Date.parse(createBooking.createdAt);
    expect(holdMs).toBeGreaterThanOrEqual((HOLD_SECONDS - 0.5) * 1000);
    expect(holdMs).toBeLessThanOrEqual((HOLD_SECONDS + 0.5) * 1000);
    firstRun.bookingId = createBooking.id;
    firstRun.slotId = slot.id;
  });

  it('stops on SIGTERM: drains, exits 0, and leaves no DynamoDB Local JVM behind', async () => {
    expect(isAlive(firstJvm)).toBe(true);
    const code = await stopWith(first, 'SIGTERM');
    expect(code).toBe(0);
    expect(first.stdout()).toContain('slotsync: stopped');
    // The server waits for the JVM's exit before its own, so the JVM is gone by now; the bound
    // only absorbs the kernel's reaping.
    for (let i = 0; i < 20 && isAlive(firstJvm); i++) await sleep(100);
    expect(isAlive(firstJvm)).toBe(false);
  }, 90_000);

  it('finds its data again after a restart and does not seed a second time', async () => {
    expect(firstRun.bookingId).toBeDefined();
    const again = spawnStart(['--port', String(await freePort()), '--state-dir', stateDir]);
    started.push(again);
    await waitUntilHealthy(again);
    expect(again.stdout()).not.toContain('demo data');
    expect(again.stdout()).toContain(`data        kept from the last run in ${stateDir} (delete it, or use --in-memory, to start afresh)`);

    const page = await providers(again.port, apiKey);
    expect(page.items.map((p) => p.id)).toEqual([firstRun.providerId]);
    expect(await allSlots(again.port, apiKey, firstRun.providerId as string)).toHaveLength(firstRun.slotCount as number);
    // Keys persist too: the first run's API key and alice's token are still accepted.
    const { getBooking } = await ok(again.port, alice, GetBookingDocument, { id: firstRun.bookingId as string });
    expect(getBooking).toMatchObject({ id: firstRun.bookingId, slotId: firstRun.slotId });

    const jvms = javaChildren(again.child.pid as number);
    expect(jvms).toHaveLength(1);
    expect(await stopWith(again, 'SIGTERM')).toBe(0);
    for (let i = 0; i < 20 && isAlive(jvms[0]); i++) await sleep(100);
    expect(isAlive(jvms[0])).toBe(false);
  }, START_TIMEOUT_MS + 90_000);

  it('stopped by SIGTERM while still starting: finishes starting (in memory, unseeded, as its flags ask), then stops cleanly with its JVM', async () => {
    const cli = spawnStart(['--port', String(await freePort()), '--state-dir', stateDir, '--in-memory', '--no-seed']);
    started.push(cli);
    let jvms: number[] = [];
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (jvms.length === 0 && cli.child.exitCode === null && Date.now() < deadline) {
      await sleep(50);
      jvms = javaChildren(cli.child.pid as number);
    }
    expect(jvms).toHaveLength(1);
    // --in-memory: DynamoDB Local keeps nothing, whatever the state directory holds.
    const jvmArgs = argsOf(jvms[0]);
    expect(jvmArgs).toContain('-inMemory');
    expect(jvmArgs).not.toContain('-dbPath');
    expect(await stopWith(cli, 'SIGTERM', START_TIMEOUT_MS)).toBe(0);
    expect(cli.stdout()).toMatch(/slotsync: ready in \d+\.\d s/);
    // --no-seed: the empty in-memory table stays empty.
    expect(cli.stdout()).not.toContain('demo data');
    expect(cli.stdout()).toContain('slotsync: stopped');
    for (let i = 0; i < 20 && isAlive(jvms[0]); i++) await sleep(100);
    expect(isAlive(jvms[0])).toBe(false);
  }, START_TIMEOUT_MS + 30_000);

  it('refuses a port in use with a one-line error naming the port, and exits non-zero', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', () => resolve()));
    try {
      const cli = spawnStart(['--port', String(port), '--state-dir', stateDir, '--in-memory']);
      started.push(cli);
      const code = await Promise.race([cli.exited, sleep(60_000).then(() => 'timeout' as const)]);
      expect(code).not.toBe('timeout');
      expect(code).not.toBe(0);
      const message = cli.stderr().trim();
      expect(message.split('\n')).toHaveLength(1);
      // Checked before anything starts: no "starting…" line, no JVM.
      expect(cli.stdout()).toBe('');
      expect(message).toContain(`port ${port}`);
      expect(message).toContain('in use');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 90_000);
});
