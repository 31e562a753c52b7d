// The `slotsync` command line as a user meets it: bin/slotsync.js in its own process, for the cases
// that answer at once, before anything starts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openLocalUserPool } from '../../local/appsync/auth/user-pool.ts';
import { freePort } from '../../local/net.ts';
import { REPO_ROOT } from './cli-process.ts';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `slotsync ...args` to its exit; killed (and so failing the check) after 30 s. */
function slotsync(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Ran> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/slotsync.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('slotsync', () => {
  it('prints its usage: to stdout with exit 2 when run bare, exit 0 for --help; an unknown command is named on stderr', async () => {
    const [bare, help, unknown] = await Promise.all([slotsync([]), slotsync(['--help']), slotsync(['nope'])]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toMatch(/^usage: slotsync <command> \[options\]\n/);
    expect(bare.stdout).toMatch(/^ {2}start {10}run the API locally/m);
    expect(help).toEqual({ code: 0, stdout: bare.stdout, stderr: '' });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe(`slotsync: unknown command "nope"\n\n${bare.stdout}`);
  });
  it('`help`, `help <command>` and `--version`', async () => {
    const [help, helpToken, tokenHelp, version] = await Promise.all([slotsync(['help']), slotsync(['help', 'token']), slotsync(['token', '--help']), slotsync(['--version'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: slotsync <command> \[options\]\n/);
    expect(helpToken).toEqual(tokenHelp);
    expect(helpToken.stdout).toMatch(/^usage: slotsync token /);
    const { version: expected } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
    // Its short and bare spellings say the same.
    expect(await Promise.all([slotsync(['-v']), slotsync(['version'])])).toEqual([version, version]);
  });
});

describe('slotsync token', () => {
  it('signs with the state directory slotsync start uses, from any working directory: SLOTSYNC_STATE_DIR honoured, nothing made where it runs', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-token-'));
    const cwd = mkdtempSync(join(tmpdir(), 'slotsync-token-cwd-'));
    try {
      const ran = await slotsync(['token', '--user', 'alice'], { cwd, env: { SLOTSYNC_STATE_DIR: stateDir } });
      expect(ran.code).toBe(0);
      // The key was new: said on stderr (a mistyped --state-dir shows here), once.
      expect(ran.stderr).toBe(`slotsync token: ${stateDir} had no signing key; made one (a server started with this state directory will accept the token)\n`);
      expect((await slotsync(['token', '--user', 'bob'], { cwd, env: { SLOTSYNC_STATE_DIR: stateDir } })).stderr).toBe('');
      expect(existsSync(join(cwd, '.slotsync'))).toBe(false);
      const verified = await (await openLocalUserPool(stateDir)).verify(ran.stdout.trim());
      expect(verified).toMatchObject({ ok: true, username: 'alice' });
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('slotsync token, refused', () => {
  it('refuses an empty --state-dir, as slotsync start does, making no key anywhere', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'slotsync-token-cwd-'));
    try {
      expect(await slotsync(['token', '--user', 'alice', '--state-dir', ' '], { cwd })).toEqual({
        code: 2,
        stdout: '',
        stderr: 'slotsync token: the state directory must not be empty\n',
      });
      expect(existsSync(join(cwd, '.slotsync'))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('slotsync start', () => {
  it('refuses a --port that is not a port number, before anything starts', async () => {
    expect(await slotsync(['start', '--port', 'abc'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'slotsync start: PORT must be a port number, not "abc"\n',
    });
  });

  it('refuses API settings out of range, and a bad SLOTSYNC_RATE_LIMIT, before anything starts', async () => {
    const ran = await slotsync(['start', '--port', '1'], { env: { HOLD_SECONDS: 'abc', MAX_ACTIVE_HOLDS: '1000', SLOTSYNC_RATE_LIMIT: 'x' } });
    expect(ran).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'slotsync start: HOLD_SECONDS must be a whole number from 1 to 900 (seconds a hold lasts; default 300), not "abc"\n' +
        'slotsync start: MAX_ACTIVE_HOLDS must be a whole number from 1 to 100 (live holds a user may have; default 3), not "1000"\n' +
        'slotsync start: SLOTSYNC_RATE_LIMIT must be a positive integer (requests per 300 s), got "x"\n',
    });
  });

  it('refuses a single bad setting too, before anything starts', async () => {
    expect(await slotsync(['start', '--port', '1'], { env: { HOLD_SECONDS: '0' } })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'slotsync start: HOLD_SECONDS must be a whole number from 1 to 900 (seconds a hold lasts; default 300), not "0"\n',
    });
  });

  it('refuses an empty --state-dir, before anything starts', async () => {
    // A port in use: were the empty directory let through, the start would still stop at once.
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', () => resolve()));
    try {
      expect(await slotsync(['start', '--port', String(port), '--state-dir', ''])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'slotsync start: the state directory must not be empty\n',
      });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
