// The queues of one local SQS endpoint (one account, one region): creation and lookup by name,
// URL and ARN, deletion with SQS's 60-second name-reuse rule, the retention sweep, and the message
// move tasks (DLQ redrive) running between them.
import {
  invalidAddress,
  invalidParameterValue,
  overLimit,
  queueDeletedRecently,
  queueDoesNotExist,
  queueNameExists,
  unsupportedOperation,
} from './errors.ts';
import { ByteBudget } from './byte-budget.ts';
import { MAX_QUEUE_NAME_LENGTH, QUEUE_NAME_REUSE_MS, type LocalLimits } from './limits.ts';
import { MessageMoveTasks } from './move-tasks.ts';
import { Queue, type MessageChanges } from './queue.ts';
import { defaultQueueAttributes } from './queue-attributes.ts';

const QUEUE_NAME = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_QUEUE_NAME_LENGTH}}$`);
const SWEEP_INTERVAL_MS = 1000;
const MAX_REMEMBERED_DELETIONS = 10_000;

export interface RegistryOptions {
  /** Scheme, host and port queue URLs start with. */
  origin: string;
  region: string;
  accountId: string;
  limits: LocalLimits;
}

export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();
  /** Names deleted less than 60 s ago, at most MAX_REMEMBERED_DELETIONS. */
  private readonly deletedAt = new Map<string, number>();
  private readonly budget: ByteBudget;
  private readonly sweeper: NodeJS.Timeout;
  private changes: MessageChanges | undefined;
  readonly moveTasks = new MessageMoveTasks((arn) => this.byArn(arn));

  constructor(private readonly options: RegistryOptions) {
    this.budget = new ByteBudget(options.limits.maxTotalBytes);
    // Retention expiry frees memory even for queues nobody touches.
    this.sweeper = setInterval(() => this.sweep(Date.now()), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  get region(): string {
    return this.options.region;
  }

  get accountId(): string {
    return this.options.accountId;
  }

  url(name: string): string {
    return `${this.options.origin}/${this.options.accountId}/${name}`;
  }

  arn(name: string): string {
    return `arn:aws:sqs:${this.options.region}:${this.options.accountId}:${name}`;
  }

  static checkName(name: string): void {
    if (name.endsWith('.fifo')) {
      throw unsupportedOperation('FIFO queues are not supported by the local SQS; slotsync uses standard queues only.');
    }
    if (!QUEUE_NAME.test(name)) {
      throw invalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    }
  }

  /**
   * CreateQueue: returns the existing queue when every given attribute matches it, as SQS
   * does, and refuses a differing one.
   */
  create(name: string, attributes: Map<string, string>, now: number): Queue {
    QueueRegistry.checkName(name);
    const existing = this.queues.get(name);
    if (existing) {
      for (const [key, value] of attributes) {
        if ((existing.attributes.get(key) ?? '') !== value) throw queueNameExists(key);
      }
      return existing;
    }
    this.pruneDeleted(now);
    if (this.deletedAt.has(name)) throw queueDeletedRecently();
    if (this.queues.size >= this.options.limits.maxQueues) {
      throw overLimit(`The local SQS holds its limit of ${this.options.limits.maxQueues} queues.`);
    }
    const stored = new Map([...defaultQueueAttributes(), ...attributes].filter(([, value]) => value !== ''));
    const queue = new Queue(
      name,
      this.url(name),
      this.arn(name),
      stored,
      this.budget,
      this.options.limits.maxMessagesPerQueue,
      (arn) => this.byArn(arn),
      now
    );
    queue.changes = this.changes;
    this.queues.set(name, queue);
    return queue;
  }

  /** Reports every queue's changes to its messages (see MessageChanges) to `changes`; undefined stops. */
  recordChanges(changes: MessageChanges | undefined): void {
    this.changes = changes;
    for (const queue of this.queues.values()) queue.changes = changes;
  }

  /** Bytes held, as the byte budget counts them. */
  storedBytes(): number {
    return this.budget.used;
  }

  byName(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  byArn(arn: string): Queue | undefined {
    const prefix = `arn:aws:sqs:${this.options.region}:${this.options.accountId}:`;
    return arn.startsWith(prefix) ? this.queues.get(arn.slice(prefix.length)) : undefined;
  }

  /** The queues whose RedrivePolicy names `queue` as their dead-letter queue, by name. */
  deadLetterSources(queue: Queue): Queue[] {
    return this.list().filter((source) => source.redrivePolicy?.deadLetterTargetArn === queue.arn);
  }

  /**
   * Resolves a QueueUrl by its path `/<accountId>/<name>`; the host is not compared, so
   * `localhost` and `127.0.0.1` spellings of the endpoint both work.
   */
  byUrl(queueUrl: string): Queue {
    let path: string;
    try {
      path = new URL(queueUrl).pathname;
    } catch {
      throw invalidAddress(queueUrl);
    }
    const [, account, name, ...rest] = path.split('/');
    if (rest.length > 0 || account !== this.options.accountId || !name) throw queueDoesNotExist();
    let decoded: string;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      throw queueDoesNotExist(); // a broken %-escape names no queue
    }
    const queue = this.queues.get(decoded);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  delete(queue: Queue, now: number): void {
    if (this.queues.get(queue.name) !== queue) return;
    this.queues.delete(queue.name);
    this.pruneDeleted(now);
    // Insertion order is deletion order: at the cap the oldest name's reuse rule lapses early.
    if (this.deletedAt.size >= MAX_REMEMBERED_DELETIONS) this.deletedAt.delete(this.deletedAt.keys().next().value as string);
    this.deletedAt.delete(queue.name);
    this.deletedAt.set(queue.name, now);
    // Its messages end here: a queue of the same name created later must not get them back from the journal.
    if (queue.messages.size > 0) queue.purge();
    this.moveTasks.forget(queue);
    queue.close();
  }

  private pruneDeleted(now: number): void {
    for (const [name, at] of this.deletedAt) if (now - at >= QUEUE_NAME_REUSE_MS) this.deletedAt.delete(name);
  }

  list(): Queue[] {
    return [...this.queues.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  sweep(now: number): void {
    for (const queue of this.queues.values()) queue.sweep(now);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.moveTasks.close();
    for (const queue of this.queues.values()) queue.close();
    this.queues.clear();
  }
}
