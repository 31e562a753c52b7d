// Keeps the local SQS's queued messages in the state directory, as SQS keeps them whatever happens
// to its consumers: taken back once at start, written every few seconds while they change (a crash
// then loses at most that much, and redelivers at most that much: SQS is at-least-once), and
// written whole at stop. A tick with nothing changed costs a walk over the messages' counters, no
// serializing. Past 1,000 messages or 8 MiB, only the stop writes them: a snapshot costs time in
// proportion to the queues, on the event loop, and a load test's thousands of delayed deadlines
// (or a dead-letter queue of large messages) would make every periodic write megabytes.
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
  /** Above this many stored bytes (LocalSqs.storedBytes), only the stop writes them. */
  maxPeriodicBytes?: number;
}

export function keepQueuedMessages({
  file,
  sqs,
  log,
  intervalMs = 2000,
  maxPeriodicMessages = 1000,
  maxPeriodicBytes = 8 * 1024 * 1024,
}: MessageKeeperOptions): MessageKeeper {
  takeBack(file, sqs, log);
  // The queues as last written (none yet: the first tick writes whatever was taken back).
  let writtenMark: string | undefined;
  let warned = false;

  /** Writes the queues (unless unchanged since the last write and not forced); answers the count. */
  const save = (force: boolean): number => {
    const mark = sqs.changeMark();
    if (!force && mark === writtenMark) return 0;
    const saved = saveSnapshotFile(file, sqs.snapshot());
    writtenMark = mark;
    return saved;
  };
  const timer = setInterval(() => {
    if (sqs.messageCount() > maxPeriodicMessages || sqs.storedBytes() > maxPeriodicBytes) {
      if (!warned) {
        const size = maxPeriodicBytes >= 1024 * 1024 ? `${maxPeriodicBytes / (1024 * 1024)} MiB` : `${maxPeriodicBytes} bytes`;
        log(`sqs: over ${maxPeriodicMessages} queued messages or ${size}: while there are that many, they are kept at a clean stop only`);
      }
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
