// `slotsync start` killed outright (kill -9: no drain, no exit hook) leaves its DynamoDB Local JVM
// running and its lock behind. The next start on the same state directory takes the lock over,
// stops that JVM, and goes on with what the killed run had kept: the queued messages journaled
// before each was acknowledged (a hold's deadline) and its stream checkpoints. And the other way
// round: the JVM killed under a running start, which then says so and stops, keeping the data.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { GetBookingDocument } from '../../client/generated/operations.ts';
import { startDynamoDbLocal } from '../../local/dynamodb/launcher.ts';
import { freePort } from '../../local/net.ts';
import { isRunning } from '../../local/process.ts';
import { startTestServer } from '../support/local-server.ts';
import { gqlOk, holdSeededSlot, javaChildren, spawnStart, START_TIMEOUT_MS, stopWith, waitUntilHealthy, type CliProcess } from './cli-process.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-crash-'));
const started: CliProcess[] = [];
const jvms: number[] = [];
afterAll(async () => {
  for (const cli of started) if (cli.child.exitCode === null && cli.child.signalCode === null) await stopWith(cli, 'SIGKILL').catch(() => undefined);
  for (const pid of jvms) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

/** Polls `check` (bounded); a wait for a state, never an assertion on time. */
async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    if (check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('a start after a kill -9 stops the JVM the killed run left, takes its lock, and keeps its queued deadline', async () => {
  const first = spawnStart(['--port', String(await freePort()), '--state-dir', stateDir], { HOLD_SECONDS: '600' });
  started.push(first);
  await waitUntilHealthy(first);
  const [orphan] = javaChildren(first.child.pid as number);
  jvms.push(orphan);
  const { alice, holdId } = await holdSeededSlot(first.port, stateDir);
  // Journaled before the send was answered: what a kill cannot take away.
  expect(readFileSync(join(stateDir, 'sqs-messages.journal'), 'utf8')).toContain(holdId);
  await until('the stream checkpoints saved', () => existsSync(join(stateDir, 'stream-checkpoints.json')));

  first.child.kill('SIGKILL');
  await first.exited;
  expect(isRunning(orphan)).toBe(true);

  const second = spawnStart(['--port', String(await freePort()), '--state-dir', stateDir], { HOLD_SECONDS: '600' });
  started.push(second);
  await waitUntilHealthy(second);
  jvms.push(...javaChildren(second.child.pid as number));
  expect(second.stdout()).toContain(`slotsync: stopped DynamoDB Local (pid ${orphan}), left running by a start that was killed`);
  await until('the left-behind JVM gone', () => !isRunning(orphan), START_TIMEOUT_MS);
  expect(second.stdout()).toMatch(/sqs: put back \d+ message\(s\) queued when the last run ended without a clean stop: \d+ change\(s\) journaled/);
  expect(second.stdout()).toContain('streams: going on from the checkpoints of the last run');
  const { getBooking } = await gqlOk(second.port, alice, GetBookingDocument, { id: holdId });
  expect(getBooking).toMatchObject({ id: holdId, status: 'PENDING' });

  expect(await stopWith(second, 'SIGTERM')).toBe(0);
  expect(existsSync(join(stateDir, 'dynamodb-local.pid'))).toBe(false);
}, 3 * START_TIMEOUT_MS);

it('the JVM killed under a running start: it says how, stops cleanly with exit 1, and the next start has the data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slotsync-jvm-lost-'));
  try {
    const first = spawnStart(['--port', String(await freePort()), '--state-dir', dir]);
    started.push(first);
    await waitUntilHealthy(first);
    const [jvm] = javaChildren(first.child.pid as number);
    jvms.push(jvm);
    const { alice, holdId } = await holdSeededSlot(first.port, dir);

    process.kill(jvm, 'SIGKILL');
    expect(await first.exited).toBe(1);
    expect(first.stderr()).toContain(`slotsync: DynamoDB Local (pid ${jvm}) was killed (SIGKILL, as the kernel's out-of-memory killer does)`);
    expect(first.stderr()).toContain(`slotsync: the API cannot answer without DynamoDB Local: stopping; the data in ${dir} is kept for the next start.`);
    expect(first.stdout()).toContain('slotsync: stopped');
    expect(existsSync(join(dir, 'dynamodb-local.pid'))).toBe(false);

    const second = spawnStart(['--port', String(await freePort()), '--state-dir', dir]);
    started.push(second);
    await waitUntilHealthy(second);
    jvms.push(...javaChildren(second.child.pid as number));
    const { getBooking } = await gqlOk(second.port, alice, GetBookingDocument, { id: holdId });
    expect(getBooking).toMatchObject({ id: holdId, status: 'PENDING' });
    expect(await stopWith(second, 'SIGTERM')).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 3 * START_TIMEOUT_MS);

it('a server run as a library tells its owner when its JVM is killed, answers /health 503, and still stops', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slotsync-jvm-lost-lib-'));
  const pidFile = join(dir, 'dynamodb-local.pid');
  const server = await startTestServer({ dynamodb: startDynamoDbLocal({ pidFile }) });
  const health = async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/health`);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  try {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok' } });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    jvms.push(pid);
    process.kill(pid, 'SIGKILL');
    // Then its last output, if it said anything after starting.
    expect(await server.lost).toMatch(new RegExp(`^DynamoDB Local \\(pid ${pid}\\) was killed \\(SIGKILL, as the kernel's out-of-memory killer does\\)`));
    expect(await health()).toEqual({ status: 503, body: { status: 'dynamodb-lost' } });
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, START_TIMEOUT_MS);

it('a start whose JVM ends before it is ready fails with how it ended, not with the connection refused it caused', async () => {
  const dead = `http://127.0.0.1:${await freePort()}`;
  const ended = 'DynamoDB Local (pid 4242) was killed (SIGKILL, as the kernel\'s out-of-memory killer does)';
  const dynamodb = Promise.resolve({ endpoint: dead, port: Number(new URL(dead).port), lost: sleep(20).then(() => ended), stop: async () => undefined });
  const starting = startTestServer({ dynamodb });
  await expect(starting).rejects.toThrow(ended);
  await expect(starting).rejects.toMatchObject({ cause: expect.objectContaining({ message: expect.stringMatching(/ECONNREFUSED/) }) });
});
