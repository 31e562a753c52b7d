// The server's V8 flags can only be given on the command line, so they are written in three
// places: local/node-flags.ts (read by the benchmarks and tests), `npm start`, and the shebang of
// the `slotsync` command. This keeps them the same.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../local/node-flags.ts';
import { REPO_ROOT } from './cli-process.ts';

describe('the server process flags', () => {
  it('npm start and the slotsync command pass the flags local/node-flags.ts names', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(`node ${SERVER_NODE_FLAGS.join(' ')} bin/slotsync.js start`);
    const shebang = readFileSync(join(REPO_ROOT, 'bin', 'slotsync.js'), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
  });

  it('the slotsync command runs through its shebang, flags and all', () => {
    // Executed directly, as an installed bin is: the kernel hands the shebang's line to env -S.
    const run = spawnSync(join(REPO_ROOT, 'bin', 'slotsync.js'), ['token', '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(`${run.stdout}${run.stderr}`).toContain('usage: slotsync token');
  });

  it('every flag is one this Node accepts', () => {
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect([run.status, run.stderr]).toEqual([0, '']);
  });
});
