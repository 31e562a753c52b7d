// The `slotsync` command line as a user meets it: bin/slotsync.js in its own process, for the cases
// that answer at once, before anything starts.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../local/net.ts';
import { REPO_ROOT } from './cli-process.ts';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `slotsync ...args` to its exit; killed (and so failing the check) after 30 s. */
function slotsync(args: string[]): Promise<Ran> {
  const child = spawn(process.execPath, ['bin/slotsync.js', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
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
});

describe('slotsync start', () => {
  it('refuses a --port that is not a port number, before anything starts', async () => {
    expect(await slotsync(['start', '--port', 'abc'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'slotsync start: PORT must be a port number, not "abc"\n',
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
