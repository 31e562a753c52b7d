// The journal's own file handling: a write that fails gives its descriptor back (a disk that stays
// full fails a write after every retry, and each retry opens the journal afresh).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { MessageJournal } from '../../../local/sqs/journal.ts';
import type { Queue } from '../../../local/sqs/queue.ts';

const failing = vi.hoisted(() => ({ writes: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (failing.writes) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
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
