// Queued messages saved by one local SQS and put back into another (a restart): each keeps its id,
// body, attributes, receive count and state; a message in flight is not receivable before its
// visibility timeout; what cannot come back is counted, and a bad file is moved aside, not lost.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { restoreSnapshotFile, saveSnapshotFile } from '../../../local/sqs/snapshot.ts';
import { counts, startSqsFixture, type SqsFixture } from './fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'slotsync-sqs-snapshot-'));
const file = join(dir, 'sqs-messages.json');
const started: SqsFixture[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.stop()));
  rmSync(file, { force: true });
  rmSync(`${file}.unreadable`, { force: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sqsWith(queues: Record<string, Record<string, string>>) {
  const f = await startSqsFixture();
  started.push(f);
  const urls: Record<string, string> = {};
  for (const [name, Attributes] of Object.entries(queues)) {
    urls[name] = (await f.client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl as string;
  }
  return { f, urls };
}

const receiveAll = (client: SQSClient, QueueUrl: string) =>
  client.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
  );

describe('queued messages across a restart', () => {
  it('come back with their ids, bodies, attributes, receive counts and states', async () => {
    const before = await sqsWith({ work: {}, parked: {} });
    const send = (queue: string, body: string, extra: object = {}) =>
      before.f.client.send(new SendMessageCommand({ QueueUrl: before.urls[queue], MessageBody: body, ...extra }));
    const plain = await send('work', 'ready');
    const typed = await send('work', 'typed', {
      MessageAttributes: { type: { DataType: 'String', StringValue: 'HoldDeadline' }, raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 255]) } },
    });
    // Received once already, and visible again at once: the count must carry over.
    await before.f.client.send(new ReceiveMessageCommand({ QueueUrl: before.urls.work, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    await send('work', 'later', { DelaySeconds: 900 });
    await send('parked', 'in flight');
    expect((await before.f.client.send(new ReceiveMessageCommand({ QueueUrl: before.urls.parked, VisibilityTimeout: 600 }))).Messages).toHaveLength(1);

    expect(saveSnapshotFile(file, before.f.sqs.snapshot())).toBe(4);
    const after = await sqsWith({ work: {}, parked: {} });
    expect(restoreSnapshotFile(file, (s) => after.f.sqs.restore(s))).toEqual({ restored: 4, dropped: 0 });
    // Left for the keeper to write over once the messages are kept again (keeper.ts).
    expect(existsSync(file)).toBe(true);

    expect(await counts(after.f.client, after.urls.work)).toEqual({ visible: 2, notVisible: 0, delayed: 1 });
    expect(await counts(after.f.client, after.urls.parked)).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
    const got = (await receiveAll(after.f.client, after.urls.work)).Messages ?? [];
    expect(got.map((m) => [m.MessageId, m.Body])).toEqual([
      [plain.MessageId, 'ready'],
      [typed.MessageId, 'typed'],
    ]);
    expect(got[1].MD5OfMessageAttributes).toBe(typed.MD5OfMessageAttributes);
    expect(got[1].MessageAttributes?.raw.BinaryValue).toEqual(new Uint8Array([0, 1, 255]));
    expect(got.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(['2', '2']);
  });

  it('drops, and counts, messages whose queue is gone or whose retention has passed', async () => {
    const before = await sqsWith({ kept: { MessageRetentionPeriod: '60' }, removed: {} });
    await before.f.client.send(new SendMessageCommand({ QueueUrl: before.urls.kept, MessageBody: 'old' }));
    await before.f.client.send(new SendMessageCommand({ QueueUrl: before.urls.removed, MessageBody: 'orphan' }));
    const snapshot = before.f.sqs.snapshot();
    for (const q of snapshot.queues) for (const m of q.messages) m.sentAt -= 120_000; // sent two minutes ago
    const after = await sqsWith({ kept: { MessageRetentionPeriod: '60' } });
    expect(after.f.sqs.restore(snapshot)).toEqual({ restored: 0, dropped: 2 });
  });

  it('writes no file when nothing is queued, and removes a stale one', async () => {
    const { f } = await sqsWith({ empty: {} });
    writeFileSync(file, '{}');
    expect(saveSnapshotFile(file, f.sqs.snapshot())).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('moves a file it cannot read aside, keeping its text, and says where', async () => {
    const { f } = await sqsWith({ work: {} });
    writeFileSync(file, '{"version": 99, "queues": []}');
    expect(() => restoreSnapshotFile(file, (s) => f.sqs.restore(s))).toThrow(`moved to ${file}.unreadable`);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${file}.unreadable`, 'utf8')).toBe('{"version": 99, "queues": []}');
  });

  it('writes a header line, then one line a message, so no single string holds them all', async () => {
    const { f, urls } = await sqsWith({ a: {}, b: {} });
    await f.client.send(new SendMessageCommand({ QueueUrl: urls.a, MessageBody: 'x'.repeat(1024 * 1024) }));
    await f.client.send(new SendMessageCommand({ QueueUrl: urls.b, MessageBody: 'second\nline' }));
    await f.client.send(new SendMessageCommand({ QueueUrl: urls.a, MessageBody: 'third' }));
    expect(saveSnapshotFile(file, f.sqs.snapshot())).toBe(3);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(5); // header, three messages, and the last newline
    expect(JSON.parse(lines[0])).toEqual({ version: 2, savedAt: expect.any(Number) });
    saveSnapshotFile(file, f.sqs.snapshot(), 'an id');
    // The id names the snapshot to the journal that continues it (journal.ts).
    expect(JSON.parse(readFileSync(file, 'utf8').split('\n')[0])).toEqual({ version: 2, savedAt: expect.any(Number), id: 'an id' });
    expect(lines.slice(1, 4).map((line) => JSON.parse(line) as { queue: string; message: { body: string } }).map((r) => [r.queue, r.message.body.length])).toEqual([
      ['a', 1024 * 1024],
      ['a', 5],
      ['b', 11],
    ]);
    const after = await sqsWith({ a: {}, b: {} });
    expect(restoreSnapshotFile(file, (s) => after.f.sqs.restore(s))).toEqual({ restored: 3, dropped: 0, id: 'an id' });
    expect((await receiveAll(after.f.client, after.urls.a)).Messages?.map((m) => m.Body?.length)).toEqual([1024 * 1024, 5]);
    expect((await receiveAll(after.f.client, after.urls.b)).Messages?.map((m) => m.Body)).toEqual(['second\nline']);
  });

  it('still reads the single-JSON file of earlier versions', async () => {
    const before = await sqsWith({ work: {} });
    await before.f.client.send(new SendMessageCommand({ QueueUrl: before.urls.work, MessageBody: 'from an older slotsync' }));
    writeFileSync(file, JSON.stringify(before.f.sqs.snapshot()));
    const after = await sqsWith({ work: {} });
    expect(restoreSnapshotFile(file, (s) => after.f.sqs.restore(s))).toEqual({ restored: 1, dropped: 0 });
    expect((await receiveAll(after.f.client, after.urls.work)).Messages?.map((m) => m.Body)).toEqual(['from an older slotsync']);
  });
});
