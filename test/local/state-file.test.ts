// writeStateLines on a disk that fills up: write(2) may write part of a chunk and answer how much,
// without an error; the file renamed into place must still be whole (or not be written at all).
// And moveAside never puts a file over one moved aside before.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { moveAside, writeStateLines } from '../../local/state-file.ts';

const short = vi.hoisted(() => ({ next: false, zeros: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  // The next write takes only the first half of what it is given, as write(2) may.
  const writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    // A write that takes nothing (bounded here, so that a loop that does not give up still ends).
    if (short.zeros > 0) {
      short.zeros -= 1;
      return 0;
    }
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

it('a write that makes no progress refuses the file: the old one stays, and no temporary file is left', () => {
  const file = join(dir, 'stuck.json');
  writeFileSync(file, '{"old":true}\n');
  short.zeros = 3;
  try {
    expect(() => writeStateLines(file, [{ new: true }])).toThrow('wrote 0 of 13 bytes');
  } finally {
    short.zeros = 0;
  }
  expect(readFileSync(file, 'utf8')).toBe('{"old":true}\n');
  expect(existsSync(`${file}.tmp`)).toBe(false);
});

it('moveAside numbers each file it moves beside the earlier ones', () => {
  const aside = join(dir, 'aside');
  const file = `${aside}.json`;
  const moved = [1, 2, 3].map((n) => {
    writeFileSync(file, `unreadable ${n}`);
    return moveAside(file);
  });
  expect(moved).toEqual([`${file}.unreadable`, `${file}.unreadable.2`, `${file}.unreadable.3`]);
  expect(moved.map((path) => readFileSync(path, 'utf8'))).toEqual(['unreadable 1', 'unreadable 2', 'unreadable 3']);
  expect(readdirSync(dir).filter((name) => name.startsWith('aside.json'))).toHaveLength(3);
});
