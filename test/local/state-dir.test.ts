// One rule for where local state lives, shared by `slotsync start` and `slotsync token`.
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_STATE_DIR, REPO_ROOT, stateDirFrom } from '../../local/state-dir.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('stateDirFrom', () => {
  it('is .slotsync at the repository root by default, then SLOTSYNC_STATE_DIR, then the flag', () => {
    vi.stubEnv('SLOTSYNC_STATE_DIR', undefined);
    expect(DEFAULT_STATE_DIR).toBe(join(REPO_ROOT, '.slotsync'));
    expect(stateDirFrom(undefined)).toEqual({ dir: DEFAULT_STATE_DIR });
    vi.stubEnv('SLOTSYNC_STATE_DIR', '/tmp/from-env');
    expect(stateDirFrom(undefined)).toEqual({ dir: '/tmp/from-env' });
    expect(stateDirFrom('/tmp/from-flag')).toEqual({ dir: '/tmp/from-flag' });
  });

  it('resolves a relative one against the working directory', () => {
    vi.stubEnv('SLOTSYNC_STATE_DIR', 'from-env/state');
    expect(stateDirFrom(undefined)).toEqual({ dir: resolve('from-env/state') });
    expect(stateDirFrom('../from-flag')).toEqual({ dir: resolve('../from-flag') });
  });

  it('refuses an empty one, from the flag or the environment', () => {
    expect(stateDirFrom(' ')).toEqual({ error: 'the state directory must not be empty' });
    vi.stubEnv('SLOTSYNC_STATE_DIR', '');
    expect(stateDirFrom(undefined)).toEqual({ error: 'the state directory must not be empty' });
  });
});
