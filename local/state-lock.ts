// One `slotsync start` per state directory: two would run DynamoDB Local on one database file and
// overwrite each other's outputs.json. The lock is a file holding the owner's pid, created
// exclusively; a lock whose process is gone (killed, crashed; a zombie counts as gone) is stale
// and taken over.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning } from './process.ts';

export class StateDirInUseError extends Error {
  constructor(
    readonly stateDir: string,
    readonly pid: number,
  ) {
    super(`the state directory ${stateDir} is in use by another slotsync start (pid ${pid}): stop it, or give this one its own --state-dir`);
  }
}

/** Takes the state directory's lock for this process; the function returned releases it. */
export function lockStateDir(stateDir: string): () => void {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, 'start.lock');
  // Two passes at most: the second follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        process.off('exit', release);
        if (readPid(file) === process.pid) rmSync(file, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readPid(file);
      if (owner !== undefined && owner !== process.pid && isRunning(owner)) throw new StateDirInUseError(stateDir, owner);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
