// Where `slotsync start` and `slotsync token` keep their state: --state-dir, else
// SLOTSYNC_STATE_DIR, else `.slotsync` at the repository root whatever the working directory, so a
// token minted from a subdirectory is signed with the key the server verifies with.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DEFAULT_STATE_DIR = join(REPO_ROOT, '.slotsync');

/** The state directory to use, or an error message for an empty one. */
export function stateDirFrom(flag: string | undefined): { dir: string } | { error: string } {
  const text = flag ?? process.env.SLOTSYNC_STATE_DIR;
  if (text !== undefined && text.trim() === '') return { error: 'the state directory must not be empty' };
  return { dir: resolve(text ?? DEFAULT_STATE_DIR) };
}
