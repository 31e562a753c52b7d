// Keeps the local SQS's queued messages in the state directory, as SQS keeps them whatever happens
// to its consumers: taken back once at start, written every few seconds while they change (a crash
// then loses at most that much, and redelivers at most that much: SQS is at-least-once), and
// written whole at stop. Past a few thousand messages only the stop writes them: a snapshot costs
// time in proportion to the queues, and a load test's thousands of delayed deadlines would make
// every periodic write megabytes.
import type { LocalSqs } from './index.ts';
import { restoreSnapshotFile, saveSnapshotFile } from './snapshot.ts';

export interface MessageKeeper {
  /** Stops the periodic writes and saves every message; answers how many were saved. */
  close(): number;
}

export interface MessageKeeperOptions {
  file: string;
  sqs: LocalSqs;
  log: (line: string) => void;
  intervalMs?: number;
  /** Above this many messages, only the stop writes them. */
  maxPeriodicMessages?: number;
}

export function keepQueuedMessages({ file, sqs, log, intervalMs = 2000, maxPeriodicMessages = 1000 }: MessageKeeperOptions): MessageKeeper {
  takeBack(file, sqs, log);
  let written: string | undefined;
  let warned = false;

  /** Writes the queues (unless unchanged since the last write and not forced); answers the count. */
  const save = (force: boolean): number => {
    const snapshot = sqs.snapshot();
    // savedAt alone differs between two snapshots of unchanged queues.
    const text = JSON.stringify(snapshot.queues);
    if (!force && text === written) return 0;
    const saved = saveSnapshotFile(file, snapshot);
    written = text;
    return saved;
  };
  const timer = setInterval(() => {
    if (sqs.messageCount() > maxPeriodicMessages) {
      if (!warned) log(`sqs: over ${maxPeriodicMessages} queued messages: while there are that many, they are kept at a clean stop only`);
      warned = true;
      return;
    }
    try {
      save(false);
    } catch (err) {
      log(`sqs: could not keep the queued messages: ${(err as Error).message}`);
    }
  }, intervalMs);
  timer.unref();

  return {
    close() {
      clearInterval(timer);
      return save(true);
    },
  };
}

function takeBack(file: string, sqs: LocalSqs, log: (line: string) => void): void {
  try {
    const report = restoreSnapshotFile(file, (snapshot) => sqs.restore(snapshot));
    if (!report) return;
    const { restored, dropped } = report;
    log(`sqs: put back ${restored} message(s) queued at the last stop${dropped > 0 ? `; dropped ${dropped} (queue gone, past retention or over a local limit)` : ''}`);
  } catch (err) {
    log(`sqs: ${(err as Error).message}`);
  }
}
