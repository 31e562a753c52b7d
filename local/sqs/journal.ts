// The write-ahead journal of the local SQS's messages (keeper.ts): every change that must outlive a
// crash of the server is appended as one JSON line before the action answers, so a process that
// dies (kill -9, out of memory) loses nothing it acknowledged, whatever the backlog. Appends are
// plain write(2)s to an fd opened once, without fsync: the line is then in the OS, which outlives
// the process (not a power cut, which SQS's local stand-in need not survive). A start puts back the
// snapshot, then applies the journal that continues it, in order.
//
// The file: a header line `{"version":1,"snapshot":id|null}` naming the snapshot it continues (null:
// none, the queues were empty), then one line a change:
//   {"op":"send","queue":q,"message":…}                          the message as the snapshot keeps it
//   {"op":"receive","queue":q,"at":ms,"availableAt":ms,"ids":[…]}  one receive: counts and visibility
//   {"op":"visibility","queue":q,"id":id,"availableAt":ms}
//   {"op":"delete","queue":q,"id":id}
//   {"op":"purge","queue":q}                                     PurgeQueue, or DeleteQueue
//   {"op":"redrive","queue":q,"to":dlq,"id":id,"at":ms}            moved to the dead-letter queue
//   {"op":"move","queue":dlq,"to":q,"id":id,"message":…}          moved on by a move task, as a new message
// Retention expiry is not journaled: the restore drops expired messages again.
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { moveAside } from '../state-file.ts';
import type { MessageChanges, Queue, ReceivedMessage, StoredMessage } from './queue.ts';
import type { QueueRegistry } from './registry.ts';
import { isSavedMessage, restoreMessage, saveMessage, type SavedMessage } from './snapshot.ts';

const VERSION = 1;

export interface JournalOptions {
  file: string;
  /** Bytes past which the journal is full: onFull is called once, until the next start(). */
  limit: () => number;
  onFull: () => void;
  /** A write failed: the journal writes nothing more until the next start(). */
  onFailed: (error: Error) => void;
}

/**
 * Appends the queues' changes to the file. Queue names (CreateQueue allows [A-Za-z0-9_-] only) and
 * numbers go into the lines as they are; ids and messages through JSON.stringify.
 */
export class MessageJournal implements MessageChanges {
  private fd: number | undefined;
  private bytes = 0;
  private full = false;

  constructor(private readonly options: JournalOptions) {}

  /** An empty journal (the file truncated) that continues the snapshot `snapshotId`. */
  start(snapshotId: string | null): void {
    this.close();
    const header = `${JSON.stringify({ version: VERSION, snapshot: snapshotId })}\n`;
    writeFileSync(this.options.file, header);
    this.fd = openSync(this.options.file, 'a');
    this.bytes = Buffer.byteLength(header);
    this.full = false;
  }

  /** Stops appending; the file stays. */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }

  sent(queue: Queue, message: StoredMessage): void {
    this.append(`{"op":"send","queue":"${queue.name}","message":${JSON.stringify(saveMessage(message))}}\n`);
  }

  received(queue: Queue, messages: readonly ReceivedMessage[], at: number, availableAt: number): void {
    let ids = JSON.stringify(messages[0].message.id);
    for (let i = 1; i < messages.length; i++) ids += `,${JSON.stringify(messages[i].message.id)}`;
    this.append(`{"op":"receive","queue":"${queue.name}","at":${at},"availableAt":${availableAt},"ids":[${ids}]}\n`);
  }

  visibilityChanged(queue: Queue, message: StoredMessage): void {
    this.append(`{"op":"visibility","queue":"${queue.name}","id":${JSON.stringify(message.id)},"availableAt":${message.availableAt}}\n`);
  }

  deleted(queue: Queue, message: StoredMessage): void {
    this.append(`{"op":"delete","queue":"${queue.name}","id":${JSON.stringify(message.id)}}\n`);
  }

  purged(queue: Queue): void {
    this.append(`{"op":"purge","queue":"${queue.name}"}\n`);
  }

  redriven(from: Queue, to: Queue, message: StoredMessage, at: number): void {
    this.append(`{"op":"redrive","queue":"${from.name}","to":"${to.name}","id":${JSON.stringify(message.id)},"at":${at}}\n`);
  }

  /**
   * Whole, like a send: the new message does not depend on the lines that brought the old one,
   * which the replay may drop (past the first send's retention) though the move renewed it.
   */
  moved(from: Queue, to: Queue, previousId: string, message: StoredMessage): void {
    this.append(
      `{"op":"move","queue":"${from.name}","to":"${to.name}","id":${JSON.stringify(previousId)},"message":${JSON.stringify(saveMessage(message))}}\n`
    );
  }

  private append(line: string): void {
    const fd = this.fd;
    if (fd === undefined) return;
    try {
      const length = Buffer.byteLength(line);
      const written = writeSync(fd, line);
      this.bytes += written;
      // A short write leaves a torn line; the next append would run on from it.
      if (written !== length) throw new Error(`${this.options.file}: wrote ${written} of ${length} bytes`);
    } catch (err) {
      // Nothing more goes after a failed write: a torn line is tolerated only as the last one. The
      // descriptor is given back (a disk that stays full fails a write after every retry's start()).
      this.fd = undefined;
      try {
        closeSync(fd);
      } catch {
        // The write's error is the one reported.
      }
      this.options.onFailed(err as Error);
      return;
    }
    if (!this.full && this.bytes > this.options.limit()) {
      this.full = true;
      this.options.onFull();
    }
  }
}

export type ReplayOutcome = 'restored' | 'dropped' | 'applied';

/** The longest MessageRetentionPeriod of `queue` and the dead-letter queues its messages can move on to. */
function longestRetentionSeconds(registry: QueueRegistry, queue: Queue): number {
  let seconds = queue.setting('MessageRetentionPeriod');
  const seen = new Set([queue]);
  // Bounded by the queues: each turn visits a queue not seen before.
  for (let q: Queue | undefined = queue; q; ) {
    const target: string | undefined = q.redrivePolicy?.deadLetterTargetArn;
    q = target === undefined ? undefined : registry.byArn(target);
    if (!q || seen.has(q)) break;
    seen.add(q);
    seconds = Math.max(seconds, q.setting('MessageRetentionPeriod'));
  }
  return seconds;
}

/** Applies one journaled change to the queues; a message that is gone is skipped. */
export function replayChange(registry: QueueRegistry, change: unknown, now: number): ReplayOutcome {
  const c = (typeof change === 'object' && change !== null ? change : {}) as Record<string, unknown>;
  if (typeof c.queue !== 'string') throw new Error('a journaled change names no queue');
  const queue = registry.byName(c.queue);
  const field = <T>(name: string, type: 'string' | 'number'): T => {
    if (typeof c[name] !== type) throw new Error(`a journaled ${String(c.op)} has no ${name}`);
    return c[name] as T;
  };
  const savedMessage = (): SavedMessage => {
    const message = c.message as SavedMessage;
    if (typeof message !== 'object' || message === null || !isSavedMessage(message)) throw new Error(`a journaled ${String(c.op)} holds no message`);
    return message;
  };
  switch (c.op) {
    case 'send': {
      const message = savedMessage();
      // Retention runs from the first send, also after a move to a dead-letter queue that keeps
      // messages longer: this queue's period may have passed for a message a later line moves on.
      // What stays past its queue's period is dropped by the sweep after the replay.
      return restoreMessage(queue, message, now, queue && longestRetentionSeconds(registry, queue)) ? 'restored' : 'dropped';
    }
    case 'receive': {
      const { ids } = c;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error('a journaled receive has no ids');
      const at = field<number>('at', 'number');
      const availableAt = field<number>('availableAt', 'number');
      for (const id of ids as string[]) queue?.replayReceive(id, at, availableAt);
      return 'applied';
    }
    case 'visibility':
      queue?.replayVisibility(field('id', 'string'), field('availableAt', 'number'));
      return 'applied';
    case 'delete':
      queue?.replayDelete(field('id', 'string'));
      return 'applied';
    case 'purge':
      queue?.purge();
      return 'applied';
    case 'redrive':
      queue?.replayRedrive(field('id', 'string'), registry.byName(field('to', 'string')), field('at', 'number'));
      return 'applied';
    case 'move': {
      const id = field<string>('id', 'string');
      const to = registry.byName(field('to', 'string'));
      const message = savedMessage();
      // Kept as long as a send is, for the dead-letter queues it may move on to. Taken from the
      // dead-letter queue only once it is back in the other (a destination gone or full since
      // leaves it where it was, as a live move that fails would).
      const restored = restoreMessage(to, message, now, to && longestRetentionSeconds(registry, to));
      if (restored) queue?.replayDelete(id);
      return restored ? 'restored' : 'dropped';
    }
    default:
      throw new Error(`a journaled change of unknown kind ${JSON.stringify(c.op)}`);
  }
}

export interface JournalReplay {
  /** Changes applied. */
  changes: number;
  /** Sent messages put back, and dropped (queue gone, past retention, over a local limit). */
  restored: number;
  dropped: number;
  /** The last line was cut off (a crash in mid-write): ignored. */
  torn: boolean;
  /** Why the rest of the file could not be applied; it was moved aside (`.unreadable`). */
  unreadable?: string;
}

/**
 * Applies the journal's changes in order, if it continues the snapshot just put back (`continues`
 * decides from the header's snapshot id; a journal that continues an earlier snapshot was
 * compacted into the one on file by a run that died before starting a new journal, and is
 * skipped: undefined). A line that cannot be read ends the replay, except a torn last line (no
 * newline): the changes before it stand, and the file is moved aside, never deleted.
 */
export function replayJournalFile(file: string, continues: (snapshotId: string | null) => boolean, apply: (change: unknown) => ReplayOutcome): JournalReplay | undefined {
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  const replay: JournalReplay = { changes: 0, restored: 0, dropped: 0, torn: false };
  // Bounded by the file: each turn consumes one line.
  for (let start = 0, line = 1; start < bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    if (newline < 0) {
      replay.torn = true;
      break;
    }
    const text = bytes.toString('utf8', start, newline);
    start = newline + 1;
    try {
      const value: unknown = JSON.parse(text);
      if (line === 1) {
        const header = value as { version?: unknown; snapshot?: unknown } | null;
        if (header?.version !== VERSION || (typeof header.snapshot !== 'string' && header.snapshot !== null)) {
          throw new Error(`not a local SQS journal of version ${VERSION}`);
        }
        if (!continues(header.snapshot)) return undefined;
        continue;
      }
      const outcome = apply(value);
      replay.changes += 1;
      if (outcome === 'restored') replay.restored += 1;
      else if (outcome === 'dropped') replay.dropped += 1;
    } catch (err) {
      const aside = moveAside(file);
      replay.unreadable = `${file} could not be read from line ${line} on (${(err as Error).message}); moved to ${aside}`;
      return replay;
    }
  }
  return replay;
}
