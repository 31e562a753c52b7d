// Keeps the local SQS's queued messages in the state directory, as SQS keeps them whatever happens
// to the process: a snapshot of every message (snapshot.ts), and a journal of each change since
// (journal.ts), appended before the action answers. A crash of the server then loses nothing it
// acknowledged, whatever the backlog; a periodic snapshot could not promise that, and past a few
// thousand messages cost too much on the event loop to write at all. The journal is compacted
// (a snapshot, then a fresh journal) once it outgrows the larger of 8 MiB and the queues' stored
// bytes, so each compaction writes about as much as the journal grew since the last: its cost per
// change stays constant. A clean stop writes the snapshot and leaves no journal.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { LocalSqs } from './index.ts';
import { MessageJournal, replayJournalFile, type JournalReplay } from './journal.ts';
import { restoreSnapshotFile, saveSnapshotFile, type SnapshotFileReport } from './snapshot.ts';

export interface MessageKeeper {
  /** Stops journaling and saves every message; answers how many were saved. */
  close(): number;
}

export interface MessageKeeperOptions {
  /** The snapshot. */
  file: string;
  /** The journal of changes since the snapshot; by default next to it, `<name>.journal`. */
  journalFile?: string;
  sqs: LocalSqs;
  log: (line: string) => void;
  /** After a failed write, how often the keeper tries again (a snapshot and a fresh journal). */
  retryMs?: number;
  /** The journal is compacted past the larger of this and the queues' stored bytes. */
  minJournalBytes?: number;
}

export function keepQueuedMessages({
  file,
  journalFile = `${file.replace(/\.json$/, '')}.journal`,
  sqs,
  log,
  retryMs = 2000,
  minJournalBytes = 8 * 1024 * 1024,
}: MessageKeeperOptions): MessageKeeper {
  takeBack(file, journalFile, sqs, log);
  let failing = false;
  let compaction: NodeJS.Immediate | undefined;
  const failed = (err: Error) => {
    if (!failing) log(`sqs: could not keep the queued messages: ${err.message}; changes are not kept until a retry succeeds`);
    failing = true;
  };
  const journal = new MessageJournal({
    file: journalFile,
    limit: () => Math.max(minJournalBytes, sqs.storedBytes()),
    // After the action that filled it, not inside it (a receive is still filing its messages).
    onFull: () => {
      compaction ??= setImmediate(() => {
        compaction = undefined;
        compact();
      });
    },
    onFailed: failed,
  });
  /** A snapshot, then an empty journal that continues it: a crash in between finds the snapshot and skips the older journal. */
  const compact = () => {
    try {
      const id = randomUUID();
      const saved = saveSnapshotFile(file, sqs.snapshot(), id);
      journal.start(saved > 0 ? id : null);
      if (failing) log('sqs: keeping the queued messages again');
      failing = false;
    } catch (err) {
      journal.close();
      failed(err as Error);
    }
  };
  sqs.recordChanges(journal);
  // What was put back is written as a snapshot at once, so that the files always hold the queues.
  compact();
  const timer = setInterval(() => {
    if (failing) compact();
  }, retryMs);
  timer.unref();

  return {
    close() {
      clearInterval(timer);
      if (compaction) clearImmediate(compaction);
      sqs.recordChanges(undefined);
      journal.close();
      // The journal goes only once the snapshot holds everything.
      const saved = saveSnapshotFile(file, sqs.snapshot(), randomUUID());
      rmSync(journalFile, { force: true });
      return saved;
    },
  };
}

function takeBack(file: string, journalFile: string, sqs: LocalSqs, log: (line: string) => void): void {
  const before = sqs.messageCount();
  let snapshot: SnapshotFileReport | undefined;
  let unreadable = false;
  try {
    snapshot = restoreSnapshotFile(file, (s) => sqs.restore(s));
  } catch (err) {
    log(`sqs: ${(err as Error).message}`);
    unreadable = true;
  }
  // The journal that continues what was put back names this snapshot (none: null); after an
  // unreadable snapshot, whatever the journal holds is all there is left.
  const continues = (id: string | null): boolean => unreadable || id === (snapshot ? snapshot.id : null);
  let journal: JournalReplay | undefined;
  try {
    journal = replayJournalFile(journalFile, continues, (change) => sqs.replay(change));
  } catch (err) {
    log(`sqs: ${journalFile} could not be read (${(err as Error).message})`);
  }
  if (journal?.unreadable) log(`sqs: ${journal.unreadable}`);
  const replayed = journal !== undefined && (journal.changes > 0 || journal.torn || journal.unreadable !== undefined) ? journal : undefined;
  if (!snapshot && !replayed) return;
  // A replayed send is kept while any queue it may move on to keeps it (journal.ts); what was not moved goes now.
  const expired = replayed ? sqs.sweep() : 0;
  const put = sqs.messageCount() - before;
  const dropped = (snapshot?.dropped ?? 0) + (journal?.dropped ?? 0) + expired;
  const when = replayed
    ? `queued when the last run ended without a clean stop: ${snapshot ? `its last snapshot and ${replayed.changes} change(s) journaled since` : `${replayed.changes} change(s) journaled`}${replayed.torn ? ' (a last line cut off by the crash ignored)' : ''}`
    : 'queued at the last stop';
  log(`sqs: put back ${put} message(s) ${when}${dropped > 0 ? `; dropped ${dropped} (queue gone, past retention or over a local limit)` : ''}`);
}
