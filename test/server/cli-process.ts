// The real `slotsync start` command as a child process: spawned from bin/slotsync.js, its output
// kept, its /health polled, its DynamoDB Local JVM found among its children, and stopped by signal;
// plus GraphQL calls against it.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CreateBookingDocument, ListProvidersDocument, ListSlotsDocument } from '../../client/generated/operations.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Startup on a loaded two-core machine can take several times the usual few seconds. */
export const START_TIMEOUT_MS = 90_000;
const OUTPUT_LIMIT = 64 * 1024;

export interface CliProcess {
  child: ChildProcess;
  port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** `detached` puts the process in a group of its own, so a test can signal it as a terminal does. */
export function spawnStart(args: string[], env: Record<string, string> = {}, nodeFlags: string[] = [], options: { detached?: boolean } = {}): CliProcess & { port: number } {
  const portIndex = args.indexOf('--port');
  const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 4000;
  const child = spawn(process.execPath, [...nodeFlags, 'bin/slotsync.js', 'start', ...args], {
    cwd: REPO_ROOT,
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The API's literal variables must come only from `env`, not from the test runner's own.
    env: { ...withoutApiOverrides(process.env), ...env },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (out.length < OUTPUT_LIMIT) out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (err.length < OUTPUT_LIMIT) err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, stdout: () => out, stderr: () => err, exited };
}

function withoutApiOverrides(env: NodeJS.ProcessEnv): Record<string, string> {
  const drop = new Set(['PORT', 'HOLD_SECONDS', 'MAX_ACTIVE_HOLDS', 'SLOTSYNC_IN_MEMORY', 'SLOTSYNC_STATE_DIR']);
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !drop.has(e[0])));
}

/** Polls GET /health until 200; fails early, with the output, if the process exits first. */
export async function waitUntilHealthy(cli: CliProcess, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void cli.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`slotsync start exited (${exitCode}) before /health was 200:\n${cli.stdout()}\n${cli.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${cli.port}/health`, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`no /health 200 on port ${cli.port} within ${timeoutMs} ms:\n${cli.stdout()}\n${cli.stderr()}`);
}

/** Sends `signal` and waits (bounded) for the exit code. */
export async function stopWith(cli: CliProcess, signal: NodeJS.Signals, timeoutMs = 60_000): Promise<number | null> {
  cli.child.kill(signal);
  const timer = sleep(timeoutMs).then(() => {
    throw new Error(`slotsync start did not exit within ${timeoutMs} ms of ${signal}`);
  });
  return Promise.race([cli.exited, timer]);
}

/** A process's command line, or [] once it is gone. */
export function argsOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Direct children of `pid` whose command name and arguments match. */
export function childrenOf(pid: number, matches: (comm: string, args: string[]) => boolean): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces, so read around its parentheses.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid && matches(comm, argsOf(Number(entry)))) found.push(Number(entry));
  }
  return found;
}

/**
 * Direct children of `pid` running DynamoDB Local's jar: the JVM the server started, never the
 * launcher's short `java -version` probe before it.
 */
export function javaChildren(pid: number): number[] {
  return childrenOf(pid, (comm, args) => comm === 'java' && args.some((arg) => arg.endsWith('DynamoDBLocal.jar')));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A user's id token from the real `slotsync token` command, signed with the state dir's key. */
export function mintToken(stateDir: string, user: string, groups: string[] = []): string {
  const run = spawnSync(process.execPath, ['bin/slotsync.js', 'token', '--user', user, ...groups.flatMap((g) => ['--group', g]), '--state-dir', stateDir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`slotsync token failed (${run.status}): ${run.stderr}`);
  return run.stdout.trim();
}

/** A GraphQL operation against a started server; the data, or a throw naming the errors. */
export async function gqlOk<T, V extends Record<string, unknown>>(port: number, auth: Record<string, string>, document: TypedDocumentNode<T, V>, variables: V): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (res.status !== 200 || body.errors?.length || !body.data) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Alice's hold on a slot of the seeded demo provider, two days ahead, and her auth. */
export async function holdSeededSlot(port: number, stateDir: string): Promise<{ alice: Record<string, string>; holdId: string }> {
  const alice = { authorization: mintToken(stateDir, 'alice') };
  const apiKey = { 'x-api-key': String((JSON.parse(readFileSync(join(stateDir, 'outputs.json'), 'utf8')) as { apiKey: string }).apiKey) };
  const [provider] = (await gqlOk(port, apiKey, ListProvidersDocument, { limit: 1 })).listProviders.items;
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const [slot] = (await gqlOk(port, apiKey, ListSlotsDocument, { providerId: provider.id, from: day, to: day, limit: 100 })).listSlots.items;
  const { createBooking } = await gqlOk(port, alice, CreateBookingDocument, { input: { slotId: slot.id } });
  return { alice, holdId: createBooking.id };
}

