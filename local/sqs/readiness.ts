// Which messages of a queue can be received now, found without scanning the queue. The bookings
// queue holds every hold's deadline message, delayed for the hold's length, and a scan per
// receive cost O(messages) on the server's event loop (5,000 delayed messages: 70 µs a receive).
// Messages wait in a heap by the time they become receivable, then come out in send order, as
// the scan of the queue's insertion-ordered map gave them. Entries are invalidated lazily by a
// per-message version, and the heaps are rebuilt when stale entries outnumber live messages.
import TinyQueue from 'tinyqueue';

export interface Readiness {
  /** Send order within the queue (a redriven message takes its place in the dead-letter queue). */
  seq: number;
  /** Bumped whenever the message is filed or taken, so older heap entries no longer count. */
  version: number;
  /** Epoch ms at which the message is receivable. */
  availableAt: number;
}

/** A heap entry keeps its own copy of the keys: a stale entry's message may have changed since. */
interface Entry<M> {
  message: M;
  version: number;
  availableAt: number;
  seq: number;
}

/** Stale entries tolerated beyond twice the live messages before the heaps are rebuilt. */
const STALE_SLACK = 1024;

export class ReadinessIndex<M extends Readiness> {
  private waiting = ReadinessIndex.byAvailableAt<M>();
  private ready = ReadinessIndex.bySeq<M>();

  constructor(
    /** Whether the message is still this queue's (not deleted, expired or redriven). */
    private readonly holds: (message: M) => boolean,
    /** Every message the queue holds, for a rebuild. */
    private readonly all: () => Iterable<M>,
    private readonly size: () => number,
  ) {}

  /** Files a message whose availableAt was just set (sent, received, made visible, redriven). */
  file(message: M): void {
    this.waiting.push(ReadinessIndex.entry(message));
    if (this.waiting.length + this.ready.length > 2 * this.size() + STALE_SLACK) this.rebuild();
  }

  /** Takes the receivable message first in send order off the index; the caller files it again or removes it. */
  take(now: number): M | undefined {
    this.promote(now);
    // Bounded: each turn pops one entry.
    for (let entry = this.ready.pop(); entry; entry = this.ready.pop()) {
      if (!this.current(entry)) continue;
      entry.message.version += 1;
      return entry.message;
    }
    return undefined;
  }

  /** The receivable message first in send order, left on the index (a move task's next, queue.ts). */
  peek(now: number): M | undefined {
    this.promote(now);
    // Bounded: each turn pops one stale entry.
    for (let entry = this.ready.peek(); entry; entry = this.ready.peek()) {
      if (this.current(entry)) return entry.message;
      this.ready.pop();
    }
    return undefined;
  }

  /** When the next message that is not receivable yet becomes so; undefined if none will. */
  nextAvailableAt(now: number): number | undefined {
    this.promote(now);
    for (let entry = this.waiting.peek(); entry && !this.current(entry); entry = this.waiting.peek()) this.waiting.pop();
    return this.waiting.peek()?.availableAt;
  }

  clear(): void {
    this.waiting = ReadinessIndex.byAvailableAt<M>();
    this.ready = ReadinessIndex.bySeq<M>();
  }

  private promote(now: number): void {
    for (let entry = this.waiting.peek(); entry && entry.availableAt <= now; entry = this.waiting.peek()) {
      this.waiting.pop();
      if (this.current(entry)) this.ready.push(entry);
    }
  }

  private current(entry: Entry<M>): boolean {
    return entry.version === entry.message.version && this.holds(entry.message);
  }

  private rebuild(): void {
    this.clear();
    for (const message of this.all()) this.waiting.push(ReadinessIndex.entry(message));
  }

  /** A new entry, and the end of every older one for this message. */
  private static entry<M extends Readiness>(message: M): Entry<M> {
    message.version += 1;
    return { message, version: message.version, availableAt: message.availableAt, seq: message.seq };
  }

  private static byAvailableAt<M extends Readiness>(): TinyQueue<Entry<M>> {
    return new TinyQueue<Entry<M>>([], (a, b) => a.availableAt - b.availableAt || a.seq - b.seq);
  }

  private static bySeq<M extends Readiness>(): TinyQueue<Entry<M>> {
    return new TinyQueue<Entry<M>>([], (a, b) => a.seq - b.seq);
  }
}
