// The messages of every queue, saved when the local server stops and put back when it starts
// again: SQS keeps messages across anything short of their retention period, and a local restart
// must not lose a hold's deadline, a booking request or what waits in a dead-letter queue.
// Queues themselves are not saved (the wiring creates them); a message whose queue no longer
// exists, or that is past its retention, is dropped and counted. Between snapshots, journal.ts
// keeps each change.
import { rmSync } from 'node:fs';
import { readStateLines, writeStateLines } from '../state-file.ts';
import { md5OfBody, md5OfMessageAttributes } from './md5.ts';
import type { MessageAttribute } from './message-attributes.ts';
import type { Queue, StoredMessage } from './queue.ts';
import type { QueueRegistry } from './registry.ts';

/** The in-memory snapshot's shape (and the whole-JSON file of earlier versions). */
const VERSION = 1;
/**
 * The file: a header line `{"version":2,"savedAt":…,"id":…}`, then one line a message
 * `{"queue":name,"message":…}` in send order, so no single string holds every message. The id
 * (absent in earlier files) names the snapshot to the journal that continues it.
 */
const FILE_VERSION = 2;

interface SavedAttribute {
  dataType: string;
  stringValue?: string;
  /** base64 */
  binaryValue?: string;
}

/** A stored message without what a restore recomputes: queue order, heap version, checksums. */
export type SavedMessage = Omit<
  StoredMessage,
  'seq' | 'version' | 'receiveId' | 'attributes' | 'systemAttributes' | 'md5OfBody' | 'md5OfAttributes' | 'md5OfSystemAttributes'
> & {
  attributes: Array<[string, SavedAttribute]>;
  systemAttributes: Array<[string, SavedAttribute]>;
};

export interface SqsSnapshot {
  version: number;
  savedAt: number;
  queues: Array<{ name: string; messages: SavedMessage[] }>;
}

export interface RestoreReport {
  restored: number;
  /** Their queue is gone, they are past retention, or a local limit had no room. */
  dropped: number;
}

export interface SnapshotFileReport extends RestoreReport {
  /** The id in the file's header; none in files of earlier versions. */
  id?: string;
}

const saveAttributes = (attributes: Map<string, MessageAttribute>): Array<[string, SavedAttribute]> =>
  [...attributes].map(([name, a]) => [name, { dataType: a.dataType, stringValue: a.stringValue, binaryValue: a.binaryValue?.toString('base64') }]);

const loadAttributes = (saved: Array<[string, SavedAttribute]>): Map<string, MessageAttribute> =>
  new Map(
    saved.map(([name, a]) => [
      name,
      { dataType: a.dataType, stringValue: a.stringValue ?? undefined, binaryValue: a.binaryValue === undefined || a.binaryValue === null ? undefined : Buffer.from(a.binaryValue, 'base64') },
    ]),
  );

/** A message as the snapshot and the journal's sends keep it: field by field, one object. */
export function saveMessage(m: StoredMessage): SavedMessage {
  return {
    id: m.id,
    body: m.body,
    attributes: saveAttributes(m.attributes),
    systemAttributes: saveAttributes(m.systemAttributes),
    size: m.size,
    senderId: m.senderId,
    messageGroupId: m.messageGroupId,
    sentAt: m.sentAt,
    availableAt: m.availableAt,
    receiveCount: m.receiveCount,
    firstReceivedAt: m.firstReceivedAt,
    lastReceivedAt: m.lastReceivedAt,
    deadLetterSourceArn: m.deadLetterSourceArn,
  };
}

/** Every queue's messages in send order, in-flight ones with their visibility timeout. */
export function takeSnapshot(registry: QueueRegistry, now: number): SqsSnapshot {
  return {
    version: VERSION,
    savedAt: now,
    queues: registry.list().map((queue) => ({
      name: queue.name,
      messages: [...queue.messages.values()].sort((a, b) => a.seq - b.seq).map(saveMessage),
    })),
  };
}

export function restoreSnapshot(registry: QueueRegistry, snapshot: unknown, now: number): RestoreReport {
  const report: RestoreReport = { restored: 0, dropped: 0 };
  if (!isSnapshot(snapshot)) throw new Error(`not a local SQS snapshot of version ${VERSION}`);
  for (const saved of snapshot.queues) {
    const queue = registry.byName(saved.name);
    for (const message of saved.messages) {
      if (restoreMessage(queue, message, now)) report.restored += 1;
      else report.dropped += 1;
    }
  }
  return report;
}

/** Puts a saved message back at the end of its queue; false when it is dropped (see RestoreReport). */
export function restoreMessage(
  queue: Queue | undefined,
  message: SavedMessage,
  now: number,
  retentionSeconds = queue?.setting('MessageRetentionPeriod'),
): boolean {
  if (!queue || retentionSeconds === undefined || message.sentAt <= now - retentionSeconds * 1000) return false;
  // Field by field, checksums computed afresh: the file is data, not trusted objects.
  const attributes = loadAttributes(message.attributes);
  const systemAttributes = loadAttributes(message.systemAttributes);
  return queue.restore({
    id: message.id,
    body: message.body,
    md5OfBody: md5OfBody(message.body),
    attributes,
    md5OfAttributes: md5OfMessageAttributes(attributes),
    systemAttributes,
    md5OfSystemAttributes: md5OfMessageAttributes(systemAttributes),
    size: message.size,
    senderId: message.senderId,
    messageGroupId: message.messageGroupId,
    sentAt: message.sentAt,
    availableAt: message.availableAt,
    receiveCount: message.receiveCount,
    firstReceivedAt: message.firstReceivedAt,
    lastReceivedAt: message.lastReceivedAt,
    deadLetterSourceArn: message.deadLetterSourceArn,
  });
}

function isSnapshot(value: unknown): value is SqsSnapshot {
  const v = value as SqsSnapshot | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.version === VERSION &&
    Array.isArray(v.queues) &&
    v.queues.every((q) => typeof q?.name === 'string' && Array.isArray(q.messages) && q.messages.every(isSavedMessage))
  );
}

export function isSavedMessage(m: SavedMessage): boolean {
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.id === 'string' &&
    typeof m.body === 'string' &&
    typeof m.senderId === 'string' &&
    typeof m.size === 'number' &&
    typeof m.sentAt === 'number' &&
    typeof m.availableAt === 'number' &&
    typeof m.receiveCount === 'number' &&
    Array.isArray(m.attributes) &&
    Array.isArray(m.systemAttributes)
  );
}

/** Writes the snapshot whole or not at all (see state-file.ts); no messages, no file. */
export function saveSnapshotFile(file: string, snapshot: SqsSnapshot, id?: string): number {
  const count = snapshot.queues.reduce((n, q) => n + q.messages.length, 0);
  if (count === 0) {
    rmSync(file, { force: true });
    return 0;
  }
  writeStateLines(file, snapshotLines(snapshot, id));
  return count;
}

function* snapshotLines(snapshot: SqsSnapshot, id: string | undefined): Generator<unknown> {
  yield { version: FILE_VERSION, savedAt: snapshot.savedAt, id };
  for (const queue of snapshot.queues) for (const message of queue.messages) yield { queue: queue.name, message };
}

/** The snapshot a file's lines hold: the line format, or an earlier version's single JSON value. */
function snapshotOfLines(lines: unknown[]): SqsSnapshot & { id?: string } {
  const [header, ...records] = lines as Array<Record<string, unknown> | null>;
  if (lines.length === 1 && header?.version === VERSION) return header as unknown as SqsSnapshot;
  if (header?.version !== FILE_VERSION || typeof header.savedAt !== 'number') throw new Error(`not a local SQS snapshot of version ${FILE_VERSION}`);
  const queues = new Map<string, unknown[]>();
  for (const record of records) {
    if (typeof record?.queue !== 'string') throw new Error('a saved message names no queue');
    const messages = queues.get(record.queue) ?? [];
    messages.push(record.message);
    queues.set(record.queue, messages);
  }
  const id = typeof header.id === 'string' ? header.id : undefined;
  return { version: VERSION, savedAt: header.savedAt, id, queues: [...queues].map(([name, messages]) => ({ name, messages: messages as SavedMessage[] })) };
}

/**
 * Puts back the saved snapshot's messages. The file stays until the keeper writes the next
 * snapshot over it, so that a crash in between still finds them. A file that cannot be read is
 * moved aside (`.unreadable`), never deleted, and named by the throw.
 */
export function restoreSnapshotFile(file: string, restore: (snapshot: unknown) => RestoreReport): SnapshotFileReport | undefined {
  return readStateLines(file, (lines) => {
    const snapshot = snapshotOfLines(lines);
    return { ...restore(snapshot), id: snapshot.id };
  });
}
