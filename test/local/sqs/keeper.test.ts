// The queued-message keeper: what the last run kept is put back at start. Every change is in the
// journal before the action answers, so a crash (here: a keeper never closed, its files read by a
// new one; and a process killed with kill -9) loses nothing, whatever the backlog. The journal is
// compacted into the snapshot as it grows; a clean stop leaves the snapshot and no journal.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { keepQueuedMessages, type MessageKeeper, type MessageKeeperOptions } from '../../../local/sqs/keeper.ts';
import { saveSnapshotFile } from '../../../local/sqs/snapshot.ts';
import { counts, startSqsFixture, type SqsFixture } from './fixture.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'slotsync-sqs-keeper-'));
const file = join(dir, 'sqs-messages.json');
const journal = join(dir, 'sqs-messages.journal');
const started: SqsFixture[] = [];
const keepers: MessageKeeper[] = [];
afterEach(async () => {
  keepers.splice(0).forEach((k) => k.close());
  await Promise.all(started.splice(0).map((f) => f.stop()));
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WAIT = { timeout: 5000, interval: 10 };

interface Sqs {
  f: SqsFixture;
  urls: Record<string, string>;
}

async function sqsWith(queues: Record<string, Record<string, string>> = { bookings: {} }): Promise<Sqs> {
  const f = await startSqsFixture();
  started.push(f);
  const urls: Record<string, string> = {};
  for (const [name, Attributes] of Object.entries(queues)) {
    urls[name] = (await f.client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl as string;
  }
  return { f, urls };
}

/**
 * A keeper on the test's files. A crash is a keeper never closed: the next one reads the files as
 * the first left them (the first, like a dead process, is not used again).
 */
function keeper(f: SqsFixture, logs: string[] = [], options: Partial<MessageKeeperOptions> = {}) {
  const k = keepQueuedMessages({ file, sqs: f.sqs, log: (line) => logs.push(line), retryMs: 20, ...options });
  keepers.push(k);
  return k;
}

const send = (s: Sqs, queue: string, body: string) => s.f.client.send(new SendMessageCommand({ QueueUrl: s.urls[queue], MessageBody: body }));
const receive = (s: Sqs, queue: string, input: Partial<ReceiveMessageCommandInput> = {}) =>
  s.f.client.send(new ReceiveMessageCommand({ QueueUrl: s.urls[queue], MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'], ...input }));
const firstLine = (path: string) => JSON.parse(readFileSync(path, 'utf8').split('\n')[0]) as Record<string, unknown>;
/** The snapshot's messages, from its lines (a header, then one message a line). */
const savedBodies = () =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .slice(1)
    .map((line) => (JSON.parse(line) as { message: { body: string } }).message.body);
const bodiesOf = (s: Sqs, queue: string) => s.f.sqs.snapshot().queues.find((q) => q.name === queue)?.messages.map((m) => m.body);

describe('queued-message keeper', () => {
  it('puts back what a clean stop kept, and says so; the stop leaves the snapshot and no journal', async () => {
    const before = await sqsWith();
    const k = keeper(before.f);
    await send(before, 'bookings', 'kept');
    expect(readFileSync(journal, 'utf8')).toContain('"body":"kept"');
    expect(k.close()).toBe(1);
    expect(existsSync(journal)).toBe(false);
    expect(savedBodies()).toEqual(['kept']);

    const after = await sqsWith();
    const logs: string[] = [];
    keeper(after.f, logs);
    expect(logs).toEqual(['sqs: put back 1 message(s) queued at the last stop']);
    expect(bodiesOf(after, 'bookings')).toEqual(['kept']);
  });

  it('a crash with 1,500 queued messages loses none: each send is journaled before it is answered', async () => {
    const before = await sqsWith();
    keeper(before.f);
    for (let batch = 0; batch < 150; batch++) {
      const Entries = Array.from({ length: 10 }, (_, i) => {
        const n = batch * 10 + i;
        return {
          Id: `e${i}`,
          MessageBody: `booking ${n}`,
          MessageAttributes: {
            type: { DataType: 'String', StringValue: n % 2 === 0 ? 'BookingRequested' : 'HoldDeadline' },
            raw: { DataType: 'Binary', BinaryValue: Buffer.from([n % 256, 0, 255]) },
          },
          // Half are a hold's deadline, delayed as a load test leaves thousands of them.
          ...(n % 2 === 1 ? { DelaySeconds: 900 } : {}),
        };
      });
      const { Successful = [] } = await before.f.client.send(new SendMessageBatchCommand({ QueueUrl: before.urls.bookings, Entries }));
      expect(Successful).toHaveLength(10);
    }
    const held = before.f.sqs.snapshot().queues;

    const after = await sqsWith();
    const logs: string[] = [];
    keeper(after.f, logs);
    expect(logs).toEqual(['sqs: put back 1500 message(s) queued when the last run ended without a clean stop: 1500 change(s) journaled']);
    // Ids, bodies, attributes, sent times, delays: each as the crashed run held it.
    expect(after.f.sqs.snapshot().queues).toEqual(held);
    expect(await counts(after.f.client, after.urls.bookings)).toEqual({ visible: 750, notVisible: 0, delayed: 750 });
    const [first] = (await receive(after, 'bookings')).Messages ?? [];
    expect(first.Body).toBe('booking 0');
    expect(first.MessageAttributes?.raw.BinaryValue).toEqual(new Uint8Array([0, 0, 255]));
  });

  it('journaled deletes, purges and queue deletions stay done; receive counts and visibility carry over', async () => {
    const before = await sqsWith({ work: {}, other: {}, removed: {} });
    keeper(before.f);
    for (const body of ['in flight', 'deleted', 'waiting']) await send(before, 'work', body);
    await send(before, 'other', 'purged');
    await send(before, 'removed', 'gone with its queue');
    await before.f.client.send(new DeleteQueueCommand({ QueueUrl: before.urls.removed }));
    const { Messages = [] } = await receive(before, 'work', { MaxNumberOfMessages: 2, VisibilityTimeout: 600 });
    expect(Messages.map((m) => m.Body)).toEqual(['in flight', 'deleted']);
    await before.f.client.send(new DeleteMessageCommand({ QueueUrl: before.urls.work, ReceiptHandle: Messages[1].ReceiptHandle }));
    await before.f.client.send(new PurgeQueueCommand({ QueueUrl: before.urls.other }));

    // The wiring creates every queue again, a deleted one too.
    const after = await sqsWith({ work: {}, other: {}, removed: {} });
    keeper(after.f);
    expect(after.f.sqs.messageCount()).toBe(2);
    expect(bodiesOf(after, 'work')).toEqual(['in flight', 'waiting']);
    expect(await counts(after.f.client, after.urls.work)).toEqual({ visible: 1, notVisible: 1, delayed: 0 });
    expect(await counts(after.f.client, after.urls.other)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    const got = (await receive(after, 'work', { MaxNumberOfMessages: 10 })).Messages ?? [];
    expect(got.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['waiting', '1']]);
    const inFlight = after.f.sqs.snapshot().queues.find((q) => q.name === 'work')?.messages[0];
    expect(inFlight).toMatchObject({ body: 'in flight', receiveCount: 1 });
    expect(inFlight!.availableAt).toBeGreaterThan(Date.now() + 500_000);
    // A replayed delete gives its bytes back to the local limit, as the delete did.
    expect(after.f.sqs.storedBytes()).toBe(before.f.sqs.storedBytes());
  });

  it('receive times and visibility changes carry over exactly', async () => {
    const before = await sqsWith({ work: {} });
    keeper(before.f);
    await send(before, 'work', 'twice');
    await send(before, 'work', 'let go');
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    try {
      expect((await receive(before, 'work', { MaxNumberOfMessages: 1, VisibilityTimeout: 0 })).Messages?.map((m) => m.Body)).toEqual(['twice']);
      vi.setSystemTime(start + 5000);
      const { Messages = [] } = await receive(before, 'work', { MaxNumberOfMessages: 10, VisibilityTimeout: 600 });
      expect(Messages.map((m) => m.Body)).toEqual(['twice', 'let go']);
      // Let go at once: visible again after the crash too.
      await before.f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: before.urls.work, ReceiptHandle: Messages[1].ReceiptHandle, VisibilityTimeout: 0 }));
      const held = before.f.sqs.snapshot().queues;
      expect(held[0].messages[0]).toMatchObject({ receiveCount: 2, firstReceivedAt: start, lastReceivedAt: start + 5000 });

      const after = await sqsWith({ work: {} });
      keeper(after.f);
      expect(after.f.sqs.snapshot().queues).toEqual(held);
      expect(await counts(after.f.client, after.urls.work)).toEqual({ visible: 1, notVisible: 1, delayed: 0 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a poison message gets no extra tries after a crash: its receives and its move to the dead-letter queue are journaled', async () => {
    const redrive = { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 2 }) };
    const before = await sqsWith({ dlq: {}, work: redrive });
    keeper(before.f);
    await send(before, 'work', 'moved');
    for (let i = 0; i < 2; i++) expect((await receive(before, 'work', { VisibilityTimeout: 0 })).Messages).toHaveLength(1);
    // The third receive moves it instead of delivering it.
    expect((await receive(before, 'work', { VisibilityTimeout: 0 })).Messages).toBeUndefined();
    await send(before, 'work', 'poison');
    for (let i = 0; i < 2; i++) expect((await receive(before, 'work', { VisibilityTimeout: 0 })).Messages?.[0].Body).toBe('poison');

    const after = await sqsWith({ dlq: {}, work: redrive });
    keeper(after.f);
    const [moved] = (await receive(after, 'dlq')).Messages ?? [];
    expect([moved.Body, moved.Attributes?.DeadLetterQueueSourceArn]).toEqual(['moved', 'arn:aws:sqs:us-east-1:000000000000:work']);
    // Received twice before the crash: the next receive moves it, no third delivery.
    expect((await receive(after, 'work')).Messages).toBeUndefined();
    expect(bodiesOf(after, 'dlq')).toEqual(['moved', 'poison']);
    // Moved, not copied: the source queue holds neither, nor counts their bytes.
    expect(bodiesOf(after, 'work')).toEqual([]);
    expect(after.f.sqs.messageCount()).toBe(2);
  });

  it('a last line cut off by the crash is ignored, and said; the changes before it stand', async () => {
    const before = await sqsWith();
    keeper(before.f);
    await send(before, 'bookings', 'kept');
    await send(before, 'bookings', 'cut off');
    truncateSync(journal, statSync(journal).size - 20);

    const after = await sqsWith();
    const logs: string[] = [];
    keeper(after.f, logs);
    expect(logs).toEqual(['sqs: put back 1 message(s) queued when the last run ended without a clean stop: 1 change(s) journaled (a last line cut off by the crash ignored)']);
    expect(bodiesOf(after, 'bookings')).toEqual(['kept']);
  });

  it('moves a journal it cannot read aside, names it, and keeps the changes before the bad line', async () => {
    const before = await sqsWith();
    keeper(before.f);
    await send(before, 'bookings', 'before');
    appendFileSync(journal, 'not a change\n');
    await send(before, 'bookings', 'after');

    const after = await sqsWith();
    const logs: string[] = [];
    keeper(after.f, logs);
    expect(logs).toEqual([
      expect.stringMatching(new RegExp(`^sqs: ${journal} could not be read from line 3 on \\(.+\\); moved to ${journal}\\.unreadable$`)),
      'sqs: put back 1 message(s) queued when the last run ended without a clean stop: 1 change(s) journaled',
    ]);
    expect(bodiesOf(after, 'bookings')).toEqual(['before']);
    const aside = readFileSync(`${journal}.unreadable`, 'utf8');
    expect([aside.includes('not a change'), aside.includes('"body":"after"')]).toEqual([true, true]);
    // Started afresh from what was put back.
    expect(firstLine(journal)).toEqual({ version: 1, snapshot: firstLine(file).id });
  });

  it('past its bound the journal is compacted into the snapshot and starts again; a crash then restores the same', async () => {
    const before = await sqsWith({ bookings: {}, churn: {} });
    keeper(before.f, [], { minJournalBytes: 4096 });
    for (const body of ['one', 'two', 'three']) await send(before, 'bookings', body);
    // Sent, received and deleted: the journal grows while the queues do not.
    const churn = async () => {
      for (let i = 0; i < 12; i++) {
        await send(before, 'churn', `churn ${i}`);
        const [m] = (await receive(before, 'churn')).Messages ?? [];
        await before.f.client.send(new DeleteMessageCommand({ QueueUrl: before.urls.churn, ReceiptHandle: m.ReceiptHandle }));
      }
    };
    await churn();
    await vi.waitFor(() => expect(existsSync(file) && firstLine(journal).snapshot).toBe(existsSync(file) && firstLine(file).id), WAIT);
    expect(savedBodies()).toEqual(expect.arrayContaining(['one', 'two', 'three']));
    expect(statSync(journal).size).toBeLessThan(4096);
    // And again each time it grows past the bound, not once.
    const firstId = firstLine(file).id;
    await churn();
    await vi.waitFor(() => expect([firstLine(file).id !== firstId, firstLine(journal).snapshot]).toEqual([true, firstLine(file).id]), WAIT);
    expect(statSync(journal).size).toBeLessThan(4096);
    await send(before, 'bookings', 'four');
    const held = before.f.sqs.snapshot().queues;

    const after = await sqsWith({ bookings: {}, churn: {} });
    const logs: string[] = [];
    keeper(after.f, logs);
    expect(logs).toEqual([expect.stringMatching(/^sqs: put back 4 message\(s\) queued when the last run ended without a clean stop: its last snapshot and \d+ change\(s\) journaled since$/)]);
    expect(after.f.sqs.snapshot().queues).toEqual(held);
  });

  it('the bound is the queues\' stored bytes when they hold more: a large backlog is not written out again on every change', async () => {
    const before = await sqsWith();
    keeper(before.f, [], { minJournalBytes: 1024 });
    await send(before, 'bookings', 'x'.repeat(8 * 1024));
    await send(before, 'bookings', 'small');
    // Past 1 KiB, within the ~10 KiB the queue holds: still the first journal, no snapshot.
    expect(firstLine(journal)).toEqual({ version: 1, snapshot: null });
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(journal, 'utf8')).toContain('"body":"small"');
  });

  it('a compaction that the purge\'s own line sets off runs after the purge: the purged messages do not come back', async () => {
    const bound = 64 * 1024;
    const before = await sqsWith({ bookings: {}, pad: {} });
    keeper(before.f, [], { minJournalBytes: bound });
    await send(before, 'bookings', 'purged');
    const size = () => statSync(journal).size;
    /** A message sent, received and deleted: the journal grows by its lines, the queues keep nothing. */
    const cycle = async (body: string) => {
      await send(before, 'pad', body);
      const [m] = (await receive(before, 'pad')).Messages ?? [];
      await before.f.client.send(new DeleteMessageCommand({ QueueUrl: before.urls.pad, ReceiptHandle: m.ReceiptHandle }));
    };
    const probe = size();
    await cycle('y'.repeat(10_000));
    // Lines of fixed length but for the body (and its size, of as many digits): pad the journal to
    // 10 bytes short of its bound.
    const perCycle = size() - probe - 10_000;
    await cycle('x'.repeat(bound - 10 - size() - perCycle));
    expect([size(), existsSync(file)]).toEqual([bound - 10, false]);
    await before.f.client.send(new PurgeQueueCommand({ QueueUrl: before.urls.bookings }));
    await vi.waitFor(() => expect(size()).toBeLessThan(100), WAIT);

    const after = await sqsWith({ bookings: {}, pad: {} });
    keeper(after.f);
    expect(after.f.sqs.messageCount()).toBe(0);
  });

  it('a crash between a compaction\'s snapshot and its new journal does not apply the older journal again', async () => {
    const before = await sqsWith();
    keeper(before.f);
    await send(before, 'bookings', 'once');
    await receive(before, 'bookings', { VisibilityTimeout: 0 });
    // The compaction's first half: a snapshot that holds the journal's changes already.
    saveSnapshotFile(file, before.f.sqs.snapshot(), 'newer');

    const after = await sqsWith();
    const logs: string[] = [];
    keeper(after.f, logs);
    expect(logs).toEqual(['sqs: put back 1 message(s) queued at the last stop']);
    expect(after.f.sqs.snapshot().queues[0].messages.map((m) => [m.body, m.receiveCount])).toEqual([['once', 1]]);
  });

  it('a write that fails is logged; a retry writes a snapshot and a fresh journal', async () => {
    const { f, urls } = await sqsWith();
    const missing = join(dir, 'not-yet');
    const logs: string[] = [];
    keepers.push(keepQueuedMessages({ file: join(missing, 'sqs-messages.json'), sqs: f.sqs, log: (line) => logs.push(line), retryMs: 20 }));
    await f.client.send(new SendMessageCommand({ QueueUrl: urls.bookings, MessageBody: 'later' }));
    await vi.waitFor(() => expect(logs).toContainEqual(expect.stringMatching(/^sqs: could not keep the queued messages: ENOENT/)), WAIT);
    mkdirSync(missing);
    await vi.waitFor(() => expect(logs).toContain('sqs: keeping the queued messages again'), WAIT);
    expect(readFileSync(join(missing, 'sqs-messages.json'), 'utf8')).toContain('"body":"later"');
    expect(existsSync(join(missing, 'sqs-messages.journal'))).toBe(true);
    // Kept again, the retries stop: what is sent next stays in this journal.
    await f.client.send(new SendMessageCommand({ QueueUrl: urls.bookings, MessageBody: 'after the retry' }));
    await sleep(150);
    expect(readFileSync(join(missing, 'sqs-messages.journal'), 'utf8')).toContain('"body":"after the retry"');
    expect(logs.filter((line) => line === 'sqs: keeping the queued messages again')).toHaveLength(1);
  });

  it('a message moved to a dead-letter queue that keeps messages longer outlives a crash past its source queue\'s retention', async () => {
    // SQS counts retention from the first send, also in the DLQ: the DLQ's own period applies.
    const queues = {
      dlq: {},
      work: { MessageRetentionPeriod: '60', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 1 }) },
    };
    const before = await sqsWith(queues);
    keeper(before.f);
    await send(before, 'work', 'dead letter');
    expect((await receive(before, 'work', { VisibilityTimeout: 0 })).Messages).toHaveLength(1);
    expect((await receive(before, 'work', { VisibilityTimeout: 0 })).Messages).toBeUndefined();
    expect(bodiesOf(before, 'dlq')).toEqual(['dead letter']);
    // Never moved: only the source queue's 60 s apply to it.
    await send(before, 'work', 'stays in work');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    try {
      // Past the source queue's 60 s, well within the DLQ's 4 days: still held.
      expect(bodiesOf(before, 'dlq')).toEqual(['dead letter']);

      const after = await sqsWith(queues);
      const logs: string[] = [];
      keeper(after.f, logs);
      expect(bodiesOf(after, 'dlq')).toEqual(['dead letter']);
      // Kept through the replay for a move that never came, then dropped and counted.
      expect(bodiesOf(after, 'work')).toEqual([]);
      expect(logs).toEqual([
        'sqs: put back 1 message(s) queued when the last run ended without a clean stop: 4 change(s) journaled; dropped 1 (queue gone, past retention or over a local limit)',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a second journal moved aside does not overwrite the first one moved aside', async () => {
    const first = await sqsWith();
    keeper(first.f);
    await send(first, 'bookings', 'first run');
    appendFileSync(journal, 'first bad line\n');
    const second = await sqsWith();
    keeper(second.f);
    appendFileSync(journal, 'second bad line\n');
    const third = await sqsWith();
    const logs: string[] = [];
    keeper(third.f, logs);
    const aside = readdirSync(dir).filter((name) => name.startsWith('sqs-messages.journal.unreadable'));
    const texts = aside.map((name) => readFileSync(join(dir, name), 'utf8'));
    expect(aside).toHaveLength(2);
    expect(texts.some((t) => t.includes('first bad line'))).toBe(true);
    expect(texts.some((t) => t.includes('second bad line'))).toBe(true);
  });

  it('a journaled message whose queue is gone is dropped, and counted', async () => {
    const before = await sqsWith({ bookings: {}, retired: {} });
    keeper(before.f);
    await send(before, 'bookings', 'kept');
    await send(before, 'retired', 'its queue left the wiring');

    const after = await sqsWith();
    const logs: string[] = [];
    keeper(after.f, logs);
    expect(logs).toEqual([
      'sqs: put back 1 message(s) queued when the last run ended without a clean stop: 2 change(s) journaled; dropped 1 (queue gone, past retention or over a local limit)',
    ]);
  });

  it('after a snapshot it cannot read, the journal that continued it still puts back what it holds', async () => {
    const first = await sqsWith();
    keeper(first.f);
    await send(first, 'bookings', 'in the snapshot');
    const second = await sqsWith();
    // Puts back the journal's message and compacts: a snapshot, and a journal that names it.
    keeper(second.f);
    expect(firstLine(journal).snapshot).toBe(firstLine(file).id);
    await send(second, 'bookings', 'in the journal');
    writeFileSync(file, 'not a snapshot\n');

    const third = await sqsWith();
    const logs: string[] = [];
    keeper(third.f, logs);
    expect(logs).toEqual([
      expect.stringMatching(new RegExp(`^sqs: ${file} could not be read \\(.+\\); moved to ${file}\\.unreadable$`)),
      'sqs: put back 1 message(s) queued when the last run ended without a clean stop: 1 change(s) journaled',
    ]);
    expect(bodiesOf(third, 'bookings')).toEqual(['in the journal']);
  });

  it('a journal of another version is not applied: it is moved aside', async () => {
    writeFileSync(journal, `${JSON.stringify({ version: 2, snapshot: null })}\n{"op":"purge","queue":"bookings"}\n`);
    const s = await sqsWith();
    const logs: string[] = [];
    keeper(s.f, logs);
    expect(logs).toEqual([
      `sqs: ${journal} could not be read from line 1 on (not a local SQS journal of version 1); moved to ${journal}.unreadable`,
      'sqs: put back 0 message(s) queued when the last run ended without a clean stop: 0 change(s) journaled',
    ]);
  });

  it('a first start, with no files, says nothing', async () => {
    const s = await sqsWith();
    const logs: string[] = [];
    keeper(s.f, logs);
    expect(logs).toEqual([]);
    expect(firstLine(journal)).toEqual({ version: 1, snapshot: null });
  });

  it('a process killed with kill -9 loses none of its 1,500 queued messages, receives and deletes', async () => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'test/local/sqs/keeper-process.ts', file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]) as { endpoint: string }).endpoint);
        });
        child.once('exit', (code) => reject(new Error(`keeper-process exited (${code}) before serving`)));
      });
      const client = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      const QueueUrl = `${endpoint}/000000000000/bookings`;
      const sent = new Map<string, string>();
      for (let batch = 0; batch < 150; batch++) {
        const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `booking ${batch * 10 + i}`, DelaySeconds: i % 2 === 0 ? 0 : 900 }));
        const { Successful = [] } = await client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
        for (const s of Successful) sent.set(s.MessageId!, `booking ${batch * 10 + Number(s.Id!.slice(1))}`);
      }
      const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
      for (const m of Messages.slice(0, 4)) {
        await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
        sent.delete(m.MessageId!);
      }
      client.destroy();
      child.kill('SIGKILL');
      await exited;

      const after = await sqsWith();
      keeper(after.f);
      const messages = after.f.sqs.snapshot().queues[0].messages;
      expect(new Map(messages.map((m) => [m.id, m.body]))).toEqual(sent);
      const inFlight = new Set(Messages.slice(4).map((m) => m.MessageId));
      expect(messages.filter((m) => m.receiveCount === 1).map((m) => m.id).sort()).toEqual([...inFlight].sort());
      expect(await counts(after.f.client, after.urls.bookings)).toEqual({ visible: 750 - 10, notVisible: 6, delayed: 750 });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });
});
