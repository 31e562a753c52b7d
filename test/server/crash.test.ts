// `slotsync start` killed outright (kill -9: no drain, no exit hook) leaves its DynamoDB Local JVM
// running and its lock behind. The next start on the same state directory takes the lock over,
// stops that JVM, and goes on with what the killed run had kept: the queued messages journaled
// before each was acknowledged (a hold's deadline) and its stream checkpoints.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { GetBookingDocument } from '../../client/generated/operations.ts';
import { freePort } from '../../local/net.ts';
import { isRunning } from '../../local/process.ts';
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
