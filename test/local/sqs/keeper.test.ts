// The queued-message keeper: what the last run saved is put back once; while the server runs the
// file follows the queues (a crash loses or repeats at most a few seconds), unless they hold more
// than a few thousand messages; the stop writes everything.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { keepQueuedMessages, type MessageKeeper } from '../../../local/sqs/keeper.ts';
import { saveSnapshotFile } from '../../../local/sqs/snapshot.ts';
import { startSqsFixture, type SqsFixture } from './fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'slotsync-sqs-keeper-'));
const file = join(dir, 'sqs-messages.json');
const started: SqsFixture[] = [];
const keepers: MessageKeeper[] = [];
afterEach(async () => {
  keepers.splice(0).forEach((k) => k.close());
  await Promise.all(started.splice(0).map((f) => f.stop()));
  rmSync(file, { force: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WAIT = { timeout: 5000, interval: 10 };

async function sqsWithQueue() {
  const f = await startSqsFixture();
  started.push(f);
  const url = (await f.client.send(new CreateQueueCommand({ QueueName: 'bookings' }))).QueueUrl as string;
  return { f, url };
}

function keeper(f: SqsFixture, logs: string[] = [], maxPeriodicMessages?: number, maxPeriodicBytes?: number) {
  const k = keepQueuedMessages({ file, sqs: f.sqs, log: (line) => logs.push(line), intervalMs: 20, maxPeriodicMessages, maxPeriodicBytes });
  keepers.push(k);
  return k;
}

/** The saved messages, from the file's lines (a header, then one message a line). */
const savedMessages = () =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .slice(1)
    .map((line) => (JSON.parse(line) as { message: { body: string; receiveCount: number } }).message);
const savedBodies = () => savedMessages().map((m) => m.body);

describe('queued-message keeper', () => {
  it('puts back what the last run saved, once, and says so', async () => {
    const before = await sqsWithQueue();
    await before.f.client.send(new SendMessageCommand({ QueueUrl: before.url, MessageBody: 'kept' }));
    saveSnapshotFile(file, before.f.sqs.snapshot());
    const after = await sqsWithQueue();
    const logs: string[] = [];
    keeper(after.f, logs);
    expect(logs).toEqual(['sqs: put back 1 message(s) queued at the last stop']);
    expect(after.f.sqs.messageCount()).toBe(1);
  });

  it('follows the queues while running, so a crash keeps what was queued, and removes the file when they are empty', async () => {
    const { f, url } = await sqsWithQueue();
    keeper(f);
    await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a deadline' }));
    await vi.waitFor(() => expect(existsSync(file) && savedBodies()).toEqual(['a deadline']), WAIT);
    const { Messages = [] } = await f.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await f.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages[0].ReceiptHandle }));
    await vi.waitFor(() => expect(existsSync(file)).toBe(false), WAIT);
  });

  it('writes up to the periodic limit; above it writes only at close, and says so once', async () => {
    const { f, url } = await sqsWithQueue();
    const logs: string[] = [];
    for (const body of ['1', '2']) await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const k = keeper(f, logs, 2);
    // Exactly at the limit: still written while running.
    await vi.waitFor(() => expect(existsSync(file) && savedBodies()).toEqual(['1', '2']), WAIT);
    await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '3' }));
    await vi.waitFor(() => expect(logs).toContain('sqs: over 2 queued messages or 8 MiB: while there are that many, they are kept at a clean stop only'), WAIT);
    await new Promise((r) => setTimeout(r, 100));
    expect(logs).toHaveLength(1);
    expect(savedBodies()).toEqual(['1', '2']);
    expect(k.close()).toBe(3);
    expect(savedBodies()).toEqual(['1', '2', '3']);
  });

  it('writes up to the periodic byte limit too (payloads plus 1 KiB a message); above it, only at close', async () => {
    const { f, url } = await sqsWithQueue();
    const logs: string[] = [];
    const k = keeper(f, logs, undefined, 3000);
    await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(100) }));
    await vi.waitFor(() => expect(existsSync(file) && savedBodies()).toEqual(['x'.repeat(100)]), WAIT);
    await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'y'.repeat(2000) }));
    await vi.waitFor(() => expect(logs).toContain('sqs: over 1000 queued messages or 3000 bytes: while there are that many, they are kept at a clean stop only'), WAIT);
    expect(savedBodies()).toEqual(['x'.repeat(100)]);
    expect(k.close()).toBe(2);
    expect(savedBodies()).toEqual(['x'.repeat(100), 'y'.repeat(2000)]);
  });

  it('does not rewrite the file, nor even take a snapshot, while the queues stand still', async () => {
    const { f, url } = await sqsWithQueue();
    const snapshots = vi.spyOn(f.sqs, 'snapshot');
    keeper(f);
    await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'still' }));
    await vi.waitFor(() => expect(existsSync(file) && savedBodies()).toEqual(['still']), WAIT);
    const writtenAt = statSync(file).mtimeMs;
    const taken = snapshots.mock.calls.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(statSync(file).mtimeMs).toBe(writtenAt);
    expect(snapshots.mock.calls.length).toBe(taken);
  });

  it('writes again when a message is only received (its receive count and visibility changed)', async () => {
    const { f, url } = await sqsWithQueue();
    keeper(f);
    await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'seen' }));
    const savedCounts = () => savedMessages().map((m) => m.receiveCount);
    await vi.waitFor(() => expect(existsSync(file) && savedCounts()).toEqual([0]), WAIT);
    await f.client.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 60 }));
    await vi.waitFor(() => expect(savedCounts()).toEqual([1]), WAIT);
  });

  it('a periodic write that fails is logged, and the next one is tried', async () => {
    const { f, url } = await sqsWithQueue();
    const missing = join(dir, 'not-yet');
    const logs: string[] = [];
    keepers.push(keepQueuedMessages({ file: join(missing, 'sqs-messages.json'), sqs: f.sqs, log: (line) => logs.push(line), intervalMs: 20 }));
    await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later' }));
    await vi.waitFor(() => expect(logs).toContainEqual(expect.stringMatching(/^sqs: could not keep the queued messages: ENOENT/)), WAIT);
    mkdirSync(missing);
    await vi.waitFor(() => expect(existsSync(join(missing, 'sqs-messages.json'))).toBe(true), WAIT);
  });

  it('stops its periodic writes at close, after a last full write', async () => {
    const { f, url } = await sqsWithQueue();
    const k = keeper(f);
    await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first' }));
    await vi.waitFor(() => expect(existsSync(file) && savedBodies()).toEqual(['first']), WAIT);
    // Unchanged since the periodic write, yet written and counted (the stop's log says how many).
    expect(k.close()).toBe(1);
    await f.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after close' }));
    await new Promise((r) => setTimeout(r, 100));
    // Closed: the periodic writes stopped with the last full one.
    expect(savedBodies()).toEqual(['first']);
  });
});
