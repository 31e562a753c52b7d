// The journal's own file handling: a write that fails gives its descriptor back (a disk that stays
// full fails a write after every retry, and each retry opens the journal afresh); a short write
// is a failure, and nothing is appended after it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { MessageJournal } from '../../../local/sqs/journal.ts';
import type { Queue } from '../../../local/sqs/queue.ts';

const failing = vi.hoisted(() => ({ writes: false, short: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (failing.writes) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    // The first 10 bytes of a line only, as write(2) may take part of it on a filling disk.
    if (failing.short && typeof args[1] === 'string') return fs.writeSync(args[0], Buffer.from(args[1]), 0, 10);
    return (fs.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const dir = mkdtempSync(join(tmpdir(), 'slotsync-sqs-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const openFds = () => readdirSync('/proc/self/fd').length;

it.skipIf(process.platform !== 'linux')('a failed write closes the journal\'s file descriptor', () => {
  const errors: Error[] = [];
  const journal = new MessageJournal({ file: join(dir, 'j.journal'), limit: () => Infinity, onFull: () => undefined, onFailed: (e) => errors.push(e) });
  const before = openFds();
  for (let retry = 0; retry < 5; retry++) {
    journal.start(null);
    failing.writes = true;
    try {
      journal.purged({ name: 'bookings' } as Queue);
    } finally {
      failing.writes = false;
    }
  }
  expect(errors).toHaveLength(5);
  expect(openFds()).toBe(before);
  journal.close();
});

it.skipIf(process.platform !== 'linux')('start() and close() give the descriptor back', () => {
  const journal = new MessageJournal({ file: join(dir, 'k.journal'), limit: () => Infinity, onFull: () => undefined, onFailed: () => undefined });
  const before = openFds();
  for (let restart = 0; restart < 5; restart++) journal.start('snapshot');
  journal.close();
  expect(openFds()).toBe(before);
});

it('a short write fails the journal: nothing more runs on from the torn line', () => {
  const file = join(dir, 'short.journal');
  const errors: Error[] = [];
  const journal = new MessageJournal({ file, limit: () => Infinity, onFull: () => undefined, onFailed: (e) => errors.push(e) });
  journal.start(null);
  failing.short = true;
  try {
    journal.purged({ name: 'bookings' } as Queue);
  } finally {
    failing.short = false;
  }
  journal.purged({ name: 'other' } as Queue);
  expect(errors.map((e) => e.message)).toEqual([`${file}: wrote 10 of 34 bytes`]);
  expect(readFileSync(file, 'utf8')).toBe('{"version":1,"snapshot":null}\n{"op":"pur');
  journal.close();
});

it('past its limit the journal says so once, and again only after the next start()', () => {
  let full = 0;
  const journal = new MessageJournal({ file: join(dir, 'full.journal'), limit: () => 40, onFull: () => (full += 1), onFailed: () => undefined });
  journal.start(null);
  journal.purged({ name: 'first' } as Queue);
  journal.purged({ name: 'second' } as Queue);
  expect(full).toBe(1);
  journal.start(null);
  expect(full).toBe(1);
  journal.purged({ name: 'third' } as Queue);
  expect(full).toBe(2);
  journal.close();
});
