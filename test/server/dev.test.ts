// `npm run dev`: Node's watch mode restarts `slotsync start` whenever a watched folder changes.
// The restart is a graceful stop and a fresh start, so work in flight carries over: a hold placed
// before it keeps its queued deadline message, and the stream mappings go on from their checkpoints.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { GetBookingDocument } from '../../client/generated/operations.ts';
import { freePort } from '../../local/net.ts';
import { childrenOf, gqlOk, holdSeededSlot, isAlive, javaChildren, REPO_ROOT, spawnStart, START_TIMEOUT_MS, waitUntilHealthy, type CliProcess } from './cli-process.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-dev-'));
const watched = mkdtempSync(join(tmpdir(), 'slotsync-dev-watched-'));
const otherWatched = mkdtempSync(join(tmpdir(), 'slotsync-dev-watched-'));
const started: CliProcess[] = [];
afterAll(async () => {
  // The whole group: a watcher killed alone would leave its server running.
  for (const cli of started) {
    try {
      process.kill(-(cli.child.pid as number), 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(watched, { recursive: true, force: true });
  rmSync(otherWatched, { recursive: true, force: true });
});

/** The JVMs of the server process Node's watch mode runs under `cli` (one run at a time). */
function serverJvms(cli: CliProcess): number[] {
  const runs = childrenOf(cli.child.pid as number, (_, args) => args.includes('bin/slotsync.js'));
  return runs.flatMap(javaChildren);
}

/** Polls the process's output until `done` holds (bounded). */
async function untilOutput(cli: CliProcess, done: (stdout: string) => boolean): Promise<void> {
  for (let waited = 0; waited < START_TIMEOUT_MS; waited += 100) {
    if (done(cli.stdout())) return;
    await sleep(100);
  }
  throw new Error(`output never matched:\n${cli.stdout()}\n${cli.stderr()}`);
}

it('the dev script watches the code folders and runs slotsync start', () => {
  const dev = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.dev;
  // `--watch-path X`, not `--watch-path=X`: Node 20 strips only every other `=` form from the
  // child's flags, so four of them ran three watchers nested, and one save restarted three times.
  expect(dev.split(' ')).toEqual([
    'node',
    '--watch-path', 'resolvers',
    '--watch-path', 'functions',
    '--watch-path', 'schema',
    '--watch-path', 'infra',
    'bin/slotsync.js',
    'start',
  ]);
});

it('a change in a watched folder restarts the server gracefully, and a hold placed before it keeps its deadline', async () => {
  const port = await freePort();
  // The dev script's way of running, watching folders of the test's own instead of the code; in its
  // own process group, so that Ctrl-C can be sent as a terminal sends it.
  const cli = spawnStart(['--port', String(port), '--state-dir', stateDir], { HOLD_SECONDS: '600' }, ['--watch-path', watched, '--watch-path', otherWatched], {
    detached: true,
  });
  started.push(cli);
  await waitUntilHealthy(cli);
  // One watcher (the process spawned) running the server directly: no watcher nested in between.
  const runs = childrenOf(cli.child.pid as number, (_, args) => args.includes('bin/slotsync.js'));
  expect(runs).toHaveLength(1);
  expect(childrenOf(runs[0], (_, args) => args.includes('bin/slotsync.js'))).toEqual([]);
  const firstJvm = serverJvms(cli);
  expect(firstJvm).toHaveLength(1);
  const { alice, holdId } = await holdSeededSlot(port, stateDir);

  writeFileSync(join(watched, 'resolver-edit.ts'), '// saved in an editor\n');
  await untilOutput(cli, (out) => out.split('slotsync: ready in').length === 3);
  expect(cli.stdout()).toContain('slotsync: SIGTERM: draining and stopping…');
  expect(cli.stdout()).toMatch(/sqs: put back \d+ message\(s\) queued at the last stop/);
  expect(cli.stdout()).toContain('streams: going on from the checkpoints of the last run');
  await waitUntilHealthy(cli);
  const { getBooking } = await gqlOk(port, alice, GetBookingDocument, { id: holdId });
  expect(getBooking).toMatchObject({ id: holdId, status: 'PENDING' });
  // The first run's JVM went with it; the new run has its own.
  expect(isAlive(firstJvm[0])).toBe(false);
  expect(serverJvms(cli)).toHaveLength(1);

  // Ctrl-C: SIGINT to the whole group, so the server gets it twice (from the terminal, and from the
  // watching parent, which forwards it): one graceful stop all the same.
  process.kill(-(cli.child.pid as number), 'SIGINT');
  await Promise.race([cli.exited, sleep(60_000).then(() => Promise.reject(new Error('no exit within 60 s of Ctrl-C')))]);
  expect(cli.stdout()).toContain('slotsync: stopped');
  expect(cli.stderr()).not.toContain('again: exiting without draining');
}, 3 * START_TIMEOUT_MS);
