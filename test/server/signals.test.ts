// How the real `slotsync start` takes its stop signals: one Ctrl-C can reach it twice within
// milliseconds (from the terminal and from `npm run dev`'s watcher) and is one graceful stop. The
// rule itself, including a later signal forcing the exit, is tested in test/local/stop-signals.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../local/net.ts';
import { isAlive, javaChildren, spawnStart, START_TIMEOUT_MS, stopWith, waitUntilHealthy, type CliProcess } from './cli-process.ts';

const stateDirs: string[] = [];
const started: CliProcess[] = [];
afterAll(async () => {
  for (const cli of started) if (cli.child.exitCode === null && cli.child.signalCode === null) await stopWith(cli, 'SIGKILL').catch(() => undefined);
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

function newStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slotsync-signals-'));
  stateDirs.push(dir);
  return dir;
}

/** The exit code, or a throw after `timeoutMs`. */
function exitCode(cli: CliProcess, timeoutMs = 60_000): Promise<number | null> {
  return Promise.race([cli.exited, sleep(timeoutMs).then(() => Promise.reject(new Error(`no exit within ${timeoutMs} ms`)))]);
}

it('the same signal twice within a second is one stop: it drains and exits 0', async () => {
  const cli = spawnStart(['--port', String(await freePort()), '--state-dir', newStateDir(), '--in-memory', '--no-seed']);
  started.push(cli);
  await waitUntilHealthy(cli);
  const [jvm] = javaChildren(cli.child.pid as number);
  cli.child.kill('SIGTERM');
  await sleep(50);
  cli.child.kill('SIGTERM');
  expect(await exitCode(cli)).toBe(0);
  expect(cli.stdout()).toContain('slotsync: stopped');
  expect(cli.stderr()).not.toContain('again: exiting without draining');
  for (let i = 0; i < 20 && isAlive(jvm); i++) await sleep(100);
  expect(isAlive(jvm)).toBe(false);
}, START_TIMEOUT_MS + 60_000);
