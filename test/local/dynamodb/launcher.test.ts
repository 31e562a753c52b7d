import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describeExit, startDynamoDbLocal } from '../../../local/dynamodb/launcher.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { ensureTable } from '../../../local/dynamodb/table.ts';
import { table } from '../../../infra/wiring.ts';

describe('DynamoDB Local launcher', () => {
  it('keeps data in a data directory across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotsync-ddb-'));
    try {
      const first = await startDynamoDbLocal({ dataDir: dir });
      const client = localDynamoDb(first.endpoint);
      const info = await ensureTable(client, table, 'persist');
      expect(info.streamArn).toContain('persist');
      await client.send(new PutItemCommand({ TableName: 'persist', Item: { PK: { S: 'a' }, SK: { S: 'b' }, v: { N: '7' } } }));
      await first.stop();

      const second = await startDynamoDbLocal({ dataDir: dir });
      const again = localDynamoDb(second.endpoint);
      const { Item } = await again.send(new GetItemCommand({ TableName: 'persist', Key: { PK: { S: 'a' }, SK: { S: 'b' } } }));
      expect(Item?.v).toEqual({ N: '7' });
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps its pid in the pid file while it runs, and leaves a pid file naming another program alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotsync-pid-'));
    const pidFile = join(dir, 'dynamodb-local.pid');
    try {
      // A stale file whose pid now belongs to another program (this test's own process).
      writeFileSync(pidFile, `${process.pid}\n`);
      const logs: string[] = [];
      const ddb = await startDynamoDbLocal({ pidFile, log: (line) => logs.push(line) });
      expect(logs).toEqual([]);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(pid).not.toBe(process.pid);
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('DynamoDBLocal.jar');
      await ddb.stop();
      expect(existsSync(pidFile)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says when the JVM ends on its own (killed, say), with how; never after stop()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotsync-lost-'));
    const pidFile = join(dir, 'dynamodb-local.pid');
    const notYet = (lost: Promise<string>) => Promise.race([lost, new Promise<'not settled'>((r) => setTimeout(() => r('not settled'), 300))]);
    try {
      const stopped = await startDynamoDbLocal({ pidFile });
      await stopped.stop();
      expect(await notYet(stopped.lost)).toBe('not settled');

      const killed = await startDynamoDbLocal({ pidFile });
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(await notYet(killed.lost)).toBe('not settled');
      process.kill(pid, 'SIGKILL');
      expect(await killed.lost).toBe(`DynamoDB Local (pid ${pid}) was killed (SIGKILL, as the kernel's out-of-memory killer does)`);
      expect(existsSync(pidFile)).toBe(false);
      await killed.stop();

      const ended = await startDynamoDbLocal({ pidFile });
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      expect(await ended.lost).toMatch(/^DynamoDB Local \(pid \d+\) (was stopped by SIGTERM|exited with code \d+)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("describes an exit with the JVM's last output, when it said anything", () => {
    expect(describeExit(41, 3, null, '  \n')).toBe('DynamoDB Local (pid 41) exited with code 3');
    expect(describeExit(41, null, 'SIGSEGV', 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n')).toBe(
      'DynamoDB Local (pid 41) was stopped by SIGSEGV; its last output:\nException in thread "main" java.lang.OutOfMemoryError: Java heap space',
    );
  });

  it('names the fix when java is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow(/apt-get install -y default-jre-headless/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('refuses a Java older than 17, naming the version found and the fix', async () => {
    // A `java` that answers -version as Java 11 does: on stderr.
    const dir = mkdtempSync(join(tmpdir(), 'slotsync-java11-'));
    writeFileSync(join(dir, 'java'), '#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n', { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${dir}:${path}`;
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow(
        'DynamoDB Local needs Java 17 or newer; found Java 11. Install a newer one with: apt-get install -y default-jre-headless',
      );
    } finally {
      process.env.PATH = path;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
