// One standard queue: its messages and their states (delayed, visible, in flight), receive with
// visibility timeout and redrive to the dead-letter queue, the moves of a DLQ redrive task
// (move-tasks.ts), retention expiry, and the wake signal its long polls sleep on. Node runs every
// method to completion, so each is atomic.
import { randomUUID } from 'node:crypto';
import type { ByteBudget } from './byte-budget.ts';
import { invalidParameterValue, messageNotInflight, overLimit, receiptHandleIsInvalid } from './errors.ts';
import { MAX_VISIBILITY_TIMEOUT_SECONDS, QUEUE_DEFAULTS } from './limits.ts';
import type { MessageAttribute } from './message-attributes.ts';
import { md5OfBody, md5OfMessageAttributes } from './md5.ts';
import type { RedrivePolicy } from './queue-attributes.ts';
import { ReadinessIndex, type Readiness } from './readiness.ts';
import { decodeReceiptHandle, encodeReceiptHandle } from './receipt-handle.ts';
import { WakeSignal } from './wake-signal.ts';

export interface StoredMessage extends Readiness {
  id: string;
  body: string;
  md5OfBody: string;
  attributes: Map<string, MessageAttribute>;
  md5OfAttributes: string | undefined;
  systemAttributes: Map<string, MessageAttribute>;
  md5OfSystemAttributes: string | undefined;
  /** Bytes counted against MaximumMessageSize and the byte budget. */
  size: number;
  senderId: string;
  messageGroupId?: string;
  /** Epoch ms; retention counts from here, also after a move to the DLQ (as SQS does), until a move task moves it on. */
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  lastReceivedAt?: number;
  /** Identifies the latest receive; only that receive's handle deletes the message. */
  receiveId?: string;
  deadLetterSourceArn?: string;
}

export interface NewMessage {
  body: string;
  attributes: Map<string, MessageAttribute>;
  systemAttributes: Map<string, MessageAttribute>;
  size: number;
  delaySeconds?: number;
  messageGroupId?: string;
  senderId: string;
}

export interface ReceivedMessage {
  message: StoredMessage;
  receiptHandle: string;
}

/**
 * What a queue reports of each change to its messages that must outlive a crash of the server
 * (journal.ts writes them down). Not reported: retention expiry, which a restore applies again.
 */
export interface MessageChanges {
  sent(queue: Queue, message: StoredMessage): void;
  /** One receive's messages, all taken at `at` and invisible until `availableAt`. */
  received(queue: Queue, messages: readonly ReceivedMessage[], at: number, availableAt: number): void;
  visibilityChanged(queue: Queue, message: StoredMessage): void;
  deleted(queue: Queue, message: StoredMessage): void;
  purged(queue: Queue): void;
  redriven(from: Queue, to: Queue, message: StoredMessage, at: number): void;
  /** A message move task's move (moveTo): `previousId` left `from`, `message` is the new message of `to`. */
  moved(from: Queue, to: Queue, previousId: string, message: StoredMessage): void;
}

export interface MessageCounts {
  visible: number;
  notVisible: number;
  delayed: number;
}

export class Queue {
  readonly messages = new Map<string, StoredMessage>();
  readonly wake = new WakeSignal();
  readonly createdAt: number;
  lastModifiedAt: number;
  lastPurgeAt: number | undefined;
  closed = false;
  /** Set by the registry (QueueRegistry.recordChanges). */
  changes: MessageChanges | undefined;
  private nextSeq = 0;
  private readonly readiness = new ReadinessIndex<StoredMessage>(
    (message) => this.messages.get(message.id) === message,
    () => this.messages.values(),
    () => this.messages.size,
  );

  constructor(
    readonly name: string,
    readonly url: string,
    readonly arn: string,
    /** Settable attributes, normalized (see queue-attributes.ts). */
    readonly attributes: Map<string, string>,
    private readonly budget: ByteBudget,
    private readonly maxMessages: number,
    /** Finds a queue by ARN: the dead-letter target of this queue's RedrivePolicy. */
    private readonly queueByArn: (arn: string) => Queue | undefined,
    now: number
  ) {
    this.createdAt = now;
    this.lastModifiedAt = now;
  }

  /** The seq the next message to arrive gets: every message held now has a lower one. */
  get endSeq(): number {
    return this.nextSeq;
  }

  setting(name: keyof typeof QUEUE_DEFAULTS): number {
    const value = this.attributes.get(name);
    return value === undefined ? QUEUE_DEFAULTS[name] : Number(value);
  }

  get redrivePolicy(): RedrivePolicy | undefined {
    const value = this.attributes.get('RedrivePolicy');
    return value ? (JSON.parse(value) as RedrivePolicy) : undefined;
  }

  send(input: NewMessage, now: number): StoredMessage {
    const maxSize = this.setting('MaximumMessageSize');
    if (input.size > maxSize) {
      throw invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`);
    }
    // The registry sweeps every queue each second; a send sweeps only when a limit is in the way,
    // so messages past their retention never block it (sweeping on every send cost O(messages)).
    if (this.messages.size >= this.maxMessages) this.sweep(now);
    if (this.messages.size >= this.maxMessages) {
      throw overLimit(`Queue ${this.name} holds the local limit of ${this.maxMessages} messages; delete or purge messages first.`);
    }
    if (!this.budget.tryReserve(input.size)) {
      this.sweep(now);
      if (!this.budget.tryReserve(input.size)) {
        throw overLimit(`The local SQS holds its limit of ${this.budget.max} bytes of messages (each counted as its payload plus 1 KiB); delete or purge messages first.`);
      }
    }
    const delaySeconds = input.delaySeconds ?? this.setting('DelaySeconds');
    const message: StoredMessage = {
      id: randomUUID(),
      body: input.body,
      md5OfBody: md5OfBody(input.body),
      attributes: input.attributes,
      md5OfAttributes: md5OfMessageAttributes(input.attributes),
      systemAttributes: input.systemAttributes,
      md5OfSystemAttributes: md5OfMessageAttributes(input.systemAttributes),
      size: input.size,
      senderId: input.senderId,
      messageGroupId: input.messageGroupId,
      sentAt: now,
      seq: this.nextSeq++,
      version: 0,
      availableAt: now + delaySeconds * 1000,
      receiveCount: 0,
    };
    this.messages.set(message.id, message);
    this.readiness.file(message);
    this.changes?.sent(this, message);
    this.wake.notify();
    return message;
  }

  /**
   * Receives up to `max` available messages. A message already received maxReceiveCount times
   * moves to the dead-letter queue on the receive that would exceed the count, as SQS does; if
   * the DLQ is gone or full it stays here and is delivered (never dropped).
   */
  receive(max: number, visibilityTimeoutSeconds: number, now: number): ReceivedMessage[] {
    const policy = this.redrivePolicy;
    const dlq = policy ? this.queueByArn(policy.deadLetterTargetArn) : undefined;
    const received: ReceivedMessage[] = [];
    const cutoff = this.retentionCutoff(now);
    // Bounded: each turn takes a message off the readiness index, and only while there is room.
    const next = () => (received.length < max ? this.readiness.take(now) : undefined);
    for (let message = next(); message; message = next()) {
      if (message.sentAt <= cutoff) {
        this.remove(message);
        continue;
      }
      if (policy && dlq && dlq !== this && message.receiveCount >= policy.maxReceiveCount && dlq.adopt(message, this.arn, now)) {
        this.messages.delete(message.id);
        this.changes?.redriven(this, dlq, message, now);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.lastReceivedAt = now;
      message.availableAt = now + visibilityTimeoutSeconds * 1000;
      message.receiveId = randomUUID();
      const receiptHandle = encodeReceiptHandle({ queueArn: this.arn, messageId: message.id, receiveId: message.receiveId });
      received.push({ message, receiptHandle });
    }
    // Filed after the loop: with a visibility timeout of 0 a message is receivable again at once,
    // but not twice in one receive.
    for (const { message } of received) this.readiness.file(message);
    if (received.length > 0) this.changes?.received(this, received, now, now + visibilityTimeoutSeconds * 1000);
    return received;
  }

  /**
   * Puts back a message saved before a restart (snapshot.ts), in its saved order and state; its
   * old receipt handles no longer delete it. False when this queue or the byte budget is full.
   */
  restore(message: Omit<StoredMessage, 'seq' | 'version' | 'receiveId'>): boolean {
    if (this.closed || this.messages.size >= this.maxMessages || this.messages.has(message.id)) return false;
    if (!this.budget.tryReserve(message.size)) return false;
    const stored: StoredMessage = { ...message, seq: this.nextSeq++, version: 0, receiveId: undefined };
    this.messages.set(stored.id, stored);
    this.readiness.file(stored);
    this.wake.notify();
    return true;
  }

  /**
   * Takes over a message redriven from `sourceArn` (undefined: moved by a move task, from no
   * dead-letter source); false when this queue is full or closed.
   */
  adopt(message: StoredMessage, sourceArn: string | undefined, now: number): boolean {
    if (this.closed || this.messages.size >= this.maxMessages) return false;
    message.availableAt = now;
    message.receiveId = undefined;
    message.deadLetterSourceArn = sourceArn;
    message.seq = this.nextSeq++;
    this.messages.set(message.id, message);
    this.readiness.file(message);
    this.wake.notify();
    return true;
  }

  /**
   * The receivable message that came first into this queue with a seq below `beforeSeq` (a move
   * task's next): it stays here until moveTo. In-flight and delayed messages wait until they are
   * receivable; messages past retention met on the way are dropped.
   */
  nextToMove(beforeSeq: number, now: number): StoredMessage | undefined {
    const cutoff = this.retentionCutoff(now);
    // Bounded: each turn that does not return drops a message, whose index entry is then skipped.
    for (let message = this.readiness.peek(now); message; message = this.readiness.peek(now)) {
      if (message.seq >= beforeSeq) return undefined;
      if (message.sentAt > cutoff) return message;
      this.remove(message);
    }
    return undefined;
  }

  /** The lowest seq held (the map keeps arrival order, and seq is given on arrival); undefined when empty. */
  oldestSeq(): number | undefined {
    return this.messages.values().next().value?.seq;
  }

  /**
   * A message move task's move: the message leaves this queue and `to` takes it over as a new
   * message, as SQS's DLQ redrive makes it ("All redriven messages are considered new messages with
   * a new messageID and enqueueTime", which also restarts retention): a new id, sent now, never
   * received, no dead-letter source. Where SQS says no more, it is as adopt makes a message
   * redriven to a DLQ [UNCONFIRMED]: body, attributes, sender and group stay, and it is receivable
   * at once (not delayed by `to`'s DelaySeconds). False when `to` is full or closed: it stays here.
   */
  moveTo(message: StoredMessage, to: Queue, now: number): boolean {
    if (to === this || this.messages.get(message.id) !== message) return false;
    const moved: StoredMessage = {
      ...message,
      id: randomUUID(),
      sentAt: now,
      receiveCount: 0,
      firstReceivedAt: undefined,
      lastReceivedAt: undefined,
    };
    if (!to.adopt(moved, undefined, now)) return false;
    // Its bytes stay counted: the same payload, now in `to`.
    this.messages.delete(message.id);
    this.changes?.moved(this, to, message.id, moved);
    return true;
  }

  /**
   * Deletes with a receipt handle. As SQS documents, a handle from an earlier receive (the
   * message was received again since) succeeds without deleting, and so does a handle whose
   * message is already gone.
   */
  delete(handle: string, now: number): void {
    const message = this.messageFor(handle);
    if (!message) return;
    if (this.isExpired(message, now) || message.receiveId === decodeReceiptHandle(handle)?.receiveId) {
      this.remove(message);
      this.changes?.deleted(this, message);
    }
  }

  changeVisibility(handle: string, timeoutSeconds: number, now: number): void {
    const message = this.messageFor(handle);
    if (!message || this.isExpired(message, now) || message.receiveId !== decodeReceiptHandle(handle)?.receiveId) {
      throw invalidParameterValue(
        `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`
      );
    }
    if (message.availableAt <= now) throw messageNotInflight();
    const receivedSecondsAgo = (now - (message.lastReceivedAt ?? now)) / 1000;
    if (receivedSecondsAgo + timeoutSeconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
      throw invalidParameterValue(
        `Value ${timeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_TIMEOUT_SECONDS} seconds]`
      );
    }
    message.availableAt = now + timeoutSeconds * 1000;
    this.readiness.file(message);
    this.changes?.visibilityChanged(this, message);
    this.wake.notify();
  }

  /** PurgeQueue, and DeleteQueue's end of the messages. */
  purge(): void {
    this.changes?.purged(this);
    this.clear();
  }

  counts(now: number): MessageCounts {
    const counts: MessageCounts = { visible: 0, notVisible: 0, delayed: 0 };
    const cutoff = this.retentionCutoff(now);
    for (const message of this.messages.values()) {
      if (message.sentAt <= cutoff) continue;
      if (message.availableAt <= now) counts.visible += 1;
      else if (message.receiveCount > 0) counts.notVisible += 1;
      else counts.delayed += 1;
    }
    return counts;
  }

  /** When the next delayed or in-flight message becomes receivable; undefined if none will. */
  nextAvailableAt(now: number): number | undefined {
    return this.readiness.nextAvailableAt(now);
  }

  /** Deletes messages older than MessageRetentionPeriod. */
  sweep(now: number): void {
    const cutoff = this.retentionCutoff(now);
    for (const message of this.messages.values()) {
      if (message.sentAt <= cutoff) this.remove(message);
    }
  }

  /** Frees the queue at the end of the endpoint (not a change to keep: the messages live on in the keeper's files). */
  close(): void {
    this.closed = true;
    this.clear();
    this.wake.notify();
  }

  // Journaled changes applied again at start (journal.ts), after restore(); a message that is
  // gone (deleted, expired, dropped by the restore) is skipped.

  replayReceive(id: string, at: number, availableAt: number): void {
    const message = this.messages.get(id);
    if (!message) return;
    message.receiveCount += 1;
    message.firstReceivedAt ??= at;
    message.lastReceivedAt = at;
    message.availableAt = availableAt;
    this.readiness.file(message);
  }

  replayVisibility(id: string, availableAt: number): void {
    const message = this.messages.get(id);
    if (!message) return;
    message.availableAt = availableAt;
    this.readiness.file(message);
  }

  replayDelete(id: string): void {
    const message = this.messages.get(id);
    if (message) this.remove(message);
  }

  replayRedrive(id: string, dlq: Queue | undefined, at: number): void {
    const message = this.messages.get(id);
    if (message && dlq && dlq !== this && dlq.adopt(message, this.arn, at)) this.messages.delete(id);
  }

  private messageFor(handle: string): StoredMessage | undefined {
    const decoded = decodeReceiptHandle(handle);
    if (!decoded || decoded.queueArn !== this.arn) throw receiptHandleIsInvalid(handle);
    return this.messages.get(decoded.messageId);
  }

  private isExpired(message: StoredMessage, now: number): boolean {
    return message.sentAt <= this.retentionCutoff(now);
  }

  /** Messages sent at or before this epoch ms are past MessageRetentionPeriod. */
  private retentionCutoff(now: number): number {
    return now - this.setting('MessageRetentionPeriod') * 1000;
  }

  private clear(): void {
    for (const message of this.messages.values()) this.budget.release(message.size);
    this.messages.clear();
    this.readiness.clear();
  }

  private remove(message: StoredMessage): void {
    if (this.messages.delete(message.id)) this.budget.release(message.size);
  }
}
