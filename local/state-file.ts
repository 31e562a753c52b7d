// State the local server keeps across a clean restart (queued SQS messages, stream checkpoints):
// written whole or not at all, and read back once. Large state goes one JSON value a line.
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';

/** Writes `value` as JSON through a temporary file renamed into place, so a crash leaves no half file. */
export function writeStateFile(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(value));
  renameSync(`${file}.tmp`, file);
}

/** Lines are written in chunks of about this many characters. */
const CHUNK_LENGTH = 1024 * 1024;

/**
 * Writes all of `text`: write(2) may take part of a large write and answer how much (a disk filling
 * up), and the rest would be missing from a file renamed into place as whole.
 */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  // Bounded: each turn writes at least one byte, or throws.
  for (let offset = 0; offset < bytes.length; ) {
    const written = writeSync(fd, bytes, offset, bytes.length - offset);
    if (written <= 0) throw new Error(`wrote ${offset} of ${bytes.length} bytes`);
    offset += written;
  }
}

/**
 * As writeStateFile, one JSON value a line: no single string ever holds the whole state, which
 * past V8's largest string (~512 MB) could not be written at all.
 */
export function writeStateLines(file: string, values: Iterable<unknown>): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    // A write(2) per line cost more than its JSON (the local SQS's snapshot: a line a message).
    let chunk = '';
    for (const value of values) {
      chunk += `${JSON.stringify(value)}\n`;
      if (chunk.length >= CHUNK_LENGTH) {
        writeAll(fd, chunk);
        chunk = '';
      }
    }
    if (chunk !== '') writeAll(fd, chunk);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}

/**
 * Hands the file's JSON to `use`, then removes the file, so that what it held is taken back once
 * (a later crash, which saves nothing, must not take it back again). A file that cannot be read or
 * used is moved aside (`.unreadable`), never deleted, and named by the throw. No file: undefined.
 */
export function takeStateFile<T>(file: string, use: (value: unknown) => T): T | undefined {
  return take(file, (bytes) => use(JSON.parse(bytes.toString('utf8'))));
}

/**
 * As takeStateFile, for a file of JSON lines (a file of one JSON value is one line), but the file
 * is left in place: its owner replaces it once what it held is kept elsewhere (removing it first
 * would leave a crash in between with nothing).
 */
export function readStateLines<T>(file: string, use: (values: unknown[]) => T): T | undefined {
  return take(file, (bytes) => use(jsonLines(bytes)), false);
}

function take<T>(file: string, use: (bytes: Buffer) => T, remove = true): T | undefined {
  if (!existsSync(file)) return undefined;
  let result: T;
  try {
    result = use(readFileSync(file));
  } catch (err) {
    const aside = moveAside(file);
    throw new Error(`${file} could not be read (${(err as Error).message}); moved to ${aside}`);
  }
  if (remove) rmSync(file);
  return result;
}

/**
 * Moves a file that cannot be read aside, to `<file>.unreadable` or, when an earlier one is there
 * already, `<file>.unreadable.2`, `.3`, …: never over it (a rename would delete what it held).
 * Answers the path it went to.
 */
export function moveAside(file: string): string {
  let aside = `${file}.unreadable`;
  // Bounded by the files in the directory.
  for (let n = 2; existsSync(aside); n++) aside = `${file}.unreadable.${n}`;
  renameSync(file, aside);
  return aside;
}

/** Each non-empty line parsed on its own, from the bytes (a whole file may exceed any string). */
function jsonLines(bytes: Buffer): unknown[] {
  const values: unknown[] = [];
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    const line = bytes.toString('utf8', start, end).trim();
    if (line !== '') values.push(JSON.parse(line));
    start = end + 1;
  }
  return values;
}
