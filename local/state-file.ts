// State the local server keeps across a clean restart (queued SQS messages, stream checkpoints):
// written whole or not at all, and read back once.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** Writes `value` as JSON through a temporary file renamed into place, so a crash leaves no half file. */
export function writeStateFile(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(value));
  renameSync(`${file}.tmp`, file);
}

/**
 * Hands the file's JSON to `use`, then removes the file, so that what it held is taken back once
 * (a later crash, which saves nothing, must not take it back again). A file that cannot be read or
 * used is moved aside (`.unreadable`), never deleted, and named by the throw. No file: undefined.
 */
export function takeStateFile<T>(file: string, use: (value: unknown) => T): T | undefined {
  if (!existsSync(file)) return undefined;
  let result: T;
  try {
    result = use(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    renameSync(file, `${file}.unreadable`);
    throw new Error(`${file} could not be read (${(err as Error).message}); moved to ${file}.unreadable`);
  }
  rmSync(file);
  return result;
}
