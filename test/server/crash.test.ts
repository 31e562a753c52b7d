// `slotsync start` killed outright (kill -9: no drain, no exit hook) leaves its DynamoDB Local JVM
// running and its lock behind. The next start on the same state directory takes the lock over,
// stops that JVM, and goes on with what the killed run had kept: the queued messages written while
// it ran (a hold's deadline) and its stream checkpoints.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { CreateBookingDocument, GetBookingDocument, ListProvidersDocument, ListSlotsDocument } from '../../client/generated/operations.ts';
import { freePort } from '../../local/net.ts';
import { isRunning } from '../../local/process.ts';
import { javaChildren, mintToken, spawnStart, START_TIMEOUT_MS, stopWith, waitUntilHealthy, type CliProcess } from './cli-process.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-crash-'));
const started: CliProcess[] = [];
const jvms: number[] = [];
afterAll(async () => {
  for (const cli of started) if (cli.child.exitCode === null && cli.child.signalCode === null) await stopWith(cli, 'SIGKILL').catch(() => undefined);
  for (const pid of jvms) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

async function ok<T, V extends Record<string, unknown>>(port: number, auth: Record<string, string>, document: TypedDocumentNode<T, V>, variables: V): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

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
  const alice = { authorization: mintToken(stateDir, 'alice') };
  const apiKey = { 'x-api-key': String((JSON.parse(readFileSync(join(stateDir, 'outputs.json'), 'utf8')) as { apiKey: string }).apiKey) };
  const [provider] = (await ok(first.port, apiKey, ListProvidersDocument, { limit: 1 })).listProviders.items;
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const [slot] = (await ok(first.port, apiKey, ListSlotsDocument, { providerId: provider.id, from: day, to: day, limit: 100 })).listSlots.items;
  const { createBooking: hold } = await ok(first.port, alice, CreateBookingDocument, { input: { slotId: slot.id } });
  // Written while the server runs: what a kill cannot take away.
  const messages = join(stateDir, 'sqs-messages.json');
  await until('the hold deadline in the saved messages', () => existsSync(messages) && readFileSync(messages, 'utf8').includes(hold.id));
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
  expect(second.stdout()).toMatch(/sqs: put back \d+ message\(s\) queued at the last stop/);
  expect(second.stdout()).toContain('streams: going on from the checkpoints of the last run');
  const { getBooking } = await ok(second.port, alice, GetBookingDocument, { id: hold.id });
  expect(getBooking).toMatchObject({ id: hold.id, status: 'PENDING' });

  expect(await stopWith(second, 'SIGTERM')).toBe(0);
  expect(existsSync(join(stateDir, 'dynamodb-local.pid'))).toBe(false);
}, 3 * START_TIMEOUT_MS);
