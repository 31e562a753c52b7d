// writeStateLines on a disk that fills up: write(2) may write part of a chunk and answer how much,
// without an error; the file renamed into place must still be whole (or not be written at all).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { writeStateLines } from '../../local/state-file.ts';

const short = vi.hoisted(() => ({ next: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  // The next write takes only the first half of what it is given, as write(2) may.
  const writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    if (!short.next) return (fs.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    short.next = false;
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const offset = typeof rest[0] === 'number' ? rest[0] : 0;
    const length = typeof rest[1] === 'number' ? rest[1] : bytes.length - offset;
    return fs.writeSync(fd, bytes, offset, Math.max(1, Math.floor(length / 2)));
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const dir = mkdtempSync(join(tmpdir(), 'slotsync-state-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a short write is written on from where it stopped: the file holds every line', () => {
  const file = join(dir, 'state.json');
  const values = Array.from({ length: 100 }, (_, i) => ({ line: i, text: 'x'.repeat(50) }));
  short.next = true;
  writeStateLines(file, values);
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
  expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(values);
});
