// Message move tasks: SQS's dead-letter queue redrive (StartMessageMoveTask, ListMessageMoveTasks,
// CancelMessageMoveTask). A task moves, oldest first, the messages its source queue (a dead-letter
// queue) held when it started, each to the queue it was dead-lettered from or to the one given,
// where it becomes a new message (Queue.moveTo). In-flight and delayed messages wait until they are
// receivable; messages that arrive later stay. Every move is journaled like any change to the
// messages (MessageChanges.moved), so a crash mid-task loses or repeats none. The tasks themselves
// live in memory only: a restart ends them (as it ends the process's queues, which the wiring
// creates again), and what they had not moved waits in the dead-letter queue for a new task.
//
// Failure reasons, from SQS's "Troubleshoot DLQ redrive issues" guide: CouldNotDetermineMessageSource
// (a message sent to the DLQ directly, with no DestinationArn to go to) and
// AWS.SimpleQueueService.NonExistentQueue (its destination is gone), also what SQS reported when the
// destination was deleted mid-task (LocalStack's AWS-recorded test_sqs_move_task snapshot).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MAX_LISTED_MOVE_TASKS } from './limits.ts';
import type { Queue, StoredMessage } from './queue.ts';

/** SQS also reports CANCELLING, while a cancelled task finishes its move in flight; here no move outlasts a turn. */
export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface MoveTask {
  readonly id: string;
  readonly handle: string;
  readonly source: Queue;
  readonly destinationArn: string | undefined;
  /** MaxNumberOfMessagesPerSecond; undefined: as fast as MOVES_PER_TURN allows. */
  readonly rate: number | undefined;
  /** Epoch ms. */
  readonly startedAt: number;
  /** The messages the source held at the start (ApproximateNumberOfMessagesToMove). */
  readonly toMove: number;
  /** Messages that arrive later get this seq or a higher one, and stay. */
  readonly endSeq: number;
  status: MoveTaskStatus;
  moved: number;
  failureReason?: string;
  timer?: NodeJS.Timeout;
  /** The rate's token bucket: moves allowed now, refilled at `rate` a second. */
  tokens: number;
  refilledAt: number;
}

export const COULD_NOT_DETERMINE_SOURCE = 'CouldNotDetermineMessageSource';
export const NON_EXISTENT_QUEUE = 'AWS.SimpleQueueService.NonExistentQueue';
/** The destination holds the local SQS's limit of messages (SQS has none). [UNCONFIRMED: a local reason] */
export const DESTINATION_FULL = 'OverLimit';

/** A turn's bounds, so that a task without a rate never holds the event loop for long. */
const MOVES_PER_TURN = 100;
const BYTES_PER_TURN = 1024 * 1024;
/** While every message left is in flight or delayed, how often a task looks again (a visibility change or delete may free it sooner). */
const IDLE_POLL_MS = 200;
/** With a rate, turns come at most this often; the bucket holds a turn's worth (at least one move). */
const RATE_TICK_MS = 50;

/**
 * The handle's form is SQS's own: base64 of {"taskId","sourceArn"}, which SQS decodes (LocalStack's
 * AWS-recorded tests built handles so and got SQS's answers for the source and task they named).
 */
export function encodeTaskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');
}

export function decodeTaskHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  try {
    const value = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as unknown;
    const { taskId, sourceArn } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    return typeof taskId === 'string' && typeof sourceArn === 'string' ? { taskId, sourceArn } : undefined;
  } catch {
    return undefined;
  }
}

export class MessageMoveTasks {
  /** Each source queue's tasks, most recent first: SQS lists at most the 10 most recent. */
  private readonly bySource = new Map<Queue, MoveTask[]>();
  private closed = false;

  constructor(private readonly queueByArn: (arn: string) => Queue | undefined) {}

  start(source: Queue, options: { destinationArn?: string; rate?: number }, now: number): MoveTask {
    const id = randomUUID();
    const counts = source.counts(now);
    const task: MoveTask = {
      id,
      handle: encodeTaskHandle(id, source.arn),
      source,
      destinationArn: options.destinationArn,
      rate: options.rate,
      startedAt: now,
      // In flight and delayed too, as the task waits for them. [UNCONFIRMED: SQS documents only "the number of messages to be moved"]
      toMove: counts.visible + counts.notVisible + counts.delayed,
      endSeq: source.endSeq,
      status: 'RUNNING',
      moved: 0,
      tokens: 1,
      refilledAt: performance.now(),
    };
    // Only the newest can be running (one a source), so the one dropped has ended.
    this.bySource.set(source, [task, ...(this.bySource.get(source) ?? [])].slice(0, MAX_LISTED_MOVE_TASKS));
    this.schedule(task, 0);
    return task;
  }

  /** The source's running task: SQS runs one at a time per source queue. */
  active(source: Queue): MoveTask | undefined {
    return this.bySource.get(source)?.find((task) => task.status === 'RUNNING');
  }

  /** The source's `max` most recent tasks, most recent first. */
  list(source: Queue, max: number): MoveTask[] {
    return (this.bySource.get(source) ?? []).slice(0, max);
  }

  find(source: Queue, id: string): MoveTask | undefined {
    return this.bySource.get(source)?.find((task) => task.id === id);
  }

  /** Ends a running task; what it moved stays moved. */
  cancel(task: MoveTask): void {
    if (task.status !== 'RUNNING') return;
    task.status = 'CANCELLED';
    this.halt(task);
  }

  /** The queue was deleted: its tasks end, and go (ListMessageMoveTasks then finds no such source). */
  forget(queue: Queue): void {
    for (const task of this.bySource.get(queue) ?? []) this.halt(task);
    this.bySource.delete(queue);
  }

  /** The endpoint stops: no task moves again, and no timer is left behind. */
  close(): void {
    this.closed = true;
    for (const tasks of this.bySource.values()) for (const task of tasks) this.halt(task);
    this.bySource.clear();
  }

  private schedule(task: MoveTask, ms: number): void {
    if (this.closed) return;
    task.timer = setTimeout(() => this.turn(task), ms);
    task.timer.unref();
  }

  private halt(task: MoveTask): void {
    clearTimeout(task.timer);
    task.timer = undefined;
  }

  private turn(task: MoveTask): void {
    task.timer = undefined;
    if (task.status !== 'RUNNING') return;
    const { source } = task;
    // A queue of the same name created since is another queue.
    if (this.queueByArn(source.arn) !== source) return this.fail(task, NON_EXISTENT_QUEUE);
    const now = Date.now();
    const budget = task.rate === undefined ? MOVES_PER_TURN : Math.min(MOVES_PER_TURN, Math.floor(this.refill(task, task.rate)));
    let bytes = 0;
    // Bounded by the turn's budget of moves and bytes.
    for (let moves = 0; moves < budget && bytes < BYTES_PER_TURN; moves++) {
      const message = source.nextToMove(task.endSeq, now);
      if (!message) break;
      const destination = this.destinationOf(task, message);
      if (typeof destination === 'string') return this.fail(task, destination);
      if (!source.moveTo(message, destination, now)) return this.fail(task, DESTINATION_FULL);
      task.moved += 1;
      if (task.rate !== undefined) task.tokens -= 1;
      bytes += message.size;
    }
    const oldest = source.oldestSeq();
    if (oldest === undefined || oldest >= task.endSeq) {
      task.status = 'COMPLETED';
      return;
    }
    // The rest are in flight or delayed until their time, a visibility change or a delete.
    const waiting = source.nextToMove(task.endSeq, now) === undefined;
    const wait = waiting ? Math.min(IDLE_POLL_MS, Math.max(0, (source.nextAvailableAt(now) ?? Infinity) - now)) : 0;
    // With a rate, turns come no more often than RATE_TICK_MS, each moving what the bucket earned.
    const untilToken = task.rate === undefined ? 0 : Math.max(RATE_TICK_MS, task.tokens >= 1 ? 0 : Math.ceil(((1 - task.tokens) * 1000) / task.rate));
    this.schedule(task, Math.max(wait, untilToken));
  }

  /** Tokens earned since the last turn, up to a turn's worth: at most about `rate` moves in any second. */
  private refill(task: MoveTask, rate: number): number {
    const at = performance.now();
    const capacity = Math.max(1, (rate * RATE_TICK_MS) / 1000);
    task.tokens = Math.min(capacity, task.tokens + ((at - task.refilledAt) * rate) / 1000);
    task.refilledAt = at;
    return task.tokens;
  }

  /** The queue a message goes to, or why the task fails on it (it then stays in the source). */
  private destinationOf(task: MoveTask, message: StoredMessage): Queue | string {
    const arn = task.destinationArn ?? message.deadLetterSourceArn;
    if (arn === undefined) return COULD_NOT_DETERMINE_SOURCE;
    return this.queueByArn(arn) ?? NON_EXISTENT_QUEUE;
  }

  private fail(task: MoveTask, reason: string): void {
    task.status = 'FAILED';
    task.failureReason = reason;
  }
}
