// A Lambda bundle is replaced whole: built in memory, written beside it, then renamed over it. A
// sandbox that opened the old bundle (another server of the repository, starting) reads it whole,
// never a mix of the two, and no temporary file is left behind.
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { bundleFunction } from '../../../local/lambda/bundle.ts';

const root = mkdtempSync(join(tmpdir(), 'slotsync-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const readAll = (fd: number): string => {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (let read = readSync(fd, buffer, 0, buffer.length, null); read > 0; read = readSync(fd, buffer, 0, buffer.length, null)) {
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
  return Buffer.concat(chunks).toString('utf8');
};

it('a rebuild replaces the bundle by a rename: a reader of the old one reads it whole', async () => {
  const outfile = join(root, 'build', 'nested', 'fn.mjs');
  writeFileSync(join(root, 'fn.ts'), "export const handler = async () => 'first build';\n");
  await bundleFunction(root, 'fn.ts', outfile);
  const first = readFileSync(outfile, 'utf8');
  expect(first).toContain('first build');

  const fd = openSync(outfile, 'r');
  try {
    writeFileSync(join(root, 'fn.ts'), `export const handler = async () => 'second build ${'x'.repeat(100_000)}';\n`);
    await bundleFunction(root, 'fn.ts', outfile);
    expect(readAll(fd)).toBe(first);
  } finally {
    closeSync(fd);
  }
  expect(readFileSync(outfile, 'utf8')).toContain('second build');
  expect(readdirSync(join(root, 'build', 'nested'))).toEqual(['fn.mjs']);
});
