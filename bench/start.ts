// `npm start` to GET /health = 200: spawns the real command (`node bin/slotsync.js start`) several
// times and prints each run and the median, for three cases: a throwaway in-memory database
// without demo data; a first start (empty database on disk, seeding); a restart on that data.
// State directories are temporary. Timings on a shared machine are for reading, not asserting.
//   node bin/run-ts.js bench/start.ts [runs]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../local/net.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.argv[2] ?? 5);
const HEALTH_TIMEOUT_MS = 60_000;

if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 50) {
  console.error('usage: bench/start.ts [runs 1-50]');
  process.exit(2);
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Polls /health until it answers 200; rejects if the process exits first or the bound passes. */
async function untilHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`slotsync start exited with ${child.exitCode} before it was healthy`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no /health 200 within ${HEALTH_TIMEOUT_MS} ms`);
}

/** One start: spawn → /health 200 in ms; then SIGTERM and wait for a clean exit. */
async function once(stateDir: string, args: string[]): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/slotsync.js', 'start', '--port', String(port), '--state-dir', stateDir, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString('utf8');
  });
  try {
    await untilHealthy(`http://127.0.0.1:${port}/health`, child);
    return performance.now() - started;
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${stderr.trim()}`);
  } finally {
    child.kill('SIGTERM');
    const code = await exited(child);
    if (code !== 0 && code !== null) console.error(`   (exit code ${code} after SIGTERM)`);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `runs` starts, each in the state directory `dirFor(run)` gives. */
async function series(label: string, args: string[], runs: number, dirFor: (run: number) => string): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ms = await once(dirFor(i), args);
    times.push(ms);
    console.log(`   ${label} run ${i + 1}: ${(ms / 1000).toFixed(2)} s`);
  }
  console.log(`${label.padEnd(44)} median ${(median(times) / 1000).toFixed(2)} s over ${runs} runs (target ≤ 5 s)`);
}

const dirs: string[] = [];
const tempDir = () => {
  dirs.push(mkdtempSync(join(tmpdir(), 'slotsync-bench-')));
  return dirs[dirs.length - 1];
};
try {
  // Keys are made on the first run and reused, as on a developer's machine.
  const shared = tempDir();
  await series('start --in-memory --no-seed', ['--in-memory', '--no-seed'], RUNS, () => shared);
  const fewer = Math.min(RUNS, 3);
  await series('first start (empty database on disk, seeds)', [], fewer, () => tempDir());
  const seeded = dirs[dirs.length - 1];
  await series('restart on persisted, seeded data', [], fewer, () => seeded);
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
