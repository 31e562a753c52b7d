// The readiness index must answer exactly what a scan of the whole queue answered: the receivable
// message first in send order, and the time the next one becomes receivable. Checked against that
// scan under random sends, receives, visibility changes and deletes, and over the real protocol
// with thousands of delayed messages ahead of the one a receive must find.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand, SendMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { ReadinessIndex, type Readiness } from '../../../local/sqs/readiness.ts';
import { createQueue, startSqsFixture, type SqsFixture } from './fixture.ts';

interface Message extends Readiness {
  id: number;
}

type Op =
  | { kind: 'send'; delay: number }
  | { kind: 'receive'; visibility: number }
  | { kind: 'change'; pick: number; visibility: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'wait'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), delay: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ kind: fc.constant('receive' as const), visibility: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), visibility: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 30 }) }),
);

describe('ReadinessIndex', () => {
  it('takes what a scan of the queue in send order would, and knows when the next message is due', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 300, size: 'large' }), (ops) => {
        const live = new Map<number, Message>();
        const index = new ReadinessIndex<Message>((m) => live.get(m.id) === m, () => live.values(), () => live.size);
        let now = 1000;
        let nextId = 0;
        const scanFirst = () => [...live.values()].filter((m) => m.availableAt <= now).sort((a, b) => a.seq - b.seq)[0];
        const scanNext = () => Math.min(...[...live.values()].map((m) => m.availableAt).filter((at) => at > now));
        const refile = (message: Message, availableAt: number) => {
          message.availableAt = availableAt;
          index.file(message);
        };
        for (const step of ops) {
          if (step.kind === 'send') {
            const message = { id: nextId, seq: nextId, version: 0, availableAt: now + step.delay };
            nextId += 1;
            live.set(message.id, message);
            index.file(message);
          } else if (step.kind === 'receive') {
            const expected = scanFirst();
            const taken = index.take(now);
            expect(taken?.id).toBe(expected?.id);
            if (taken) refile(taken, now + step.visibility);
          } else if (step.kind === 'change' && live.size > 0) {
            const message = [...live.values()][step.pick % live.size];
            refile(message, now + step.visibility);
          } else if (step.kind === 'delete' && live.size > 0) {
            live.delete([...live.values()][step.pick % live.size].id);
          } else if (step.kind === 'wait') {
            now += step.ms;
          }
          const next = scanNext();
          expect(index.nextAvailableAt(now)).toBe(Number.isFinite(next) ? next : undefined);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('stays bounded when one message is filed over and over', () => {
    const message: Message = { id: 1, seq: 0, version: 0, availableAt: 0 };
    const index = new ReadinessIndex<Message>(() => true, () => [message], () => 1);
    for (let i = 0; i < 10_000; i++) {
      message.availableAt = 20_000 - i;
      index.file(message);
    }
    expect(index.nextAvailableAt(0)).toBe(10_001);
    expect(index.take(10_000)).toBeUndefined();
    expect(index.take(10_001)).toBe(message);
    expect(index.take(10_001)).toBeUndefined();
    // The heaps hold at most twice the live messages plus the slack, never every filing.
    const heaps = index as unknown as { waiting: { length: number }; ready: { length: number } };
    expect(heaps.waiting.length + heaps.ready.length).toBeLessThanOrEqual(2 + 1024);
  });
});

describe('a queue with many delayed messages', () => {
  let f: SqsFixture;
  beforeAll(async () => {
    f = await startSqsFixture();
  });
  afterAll(async () => {
    await f.stop();
  });

  it('receives the visible messages behind thousands of delayed ones, in send order', async () => {
    const QueueUrl = await createQueue(f.client);
    for (let batch = 0; batch < 300; batch++) {
      const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `d${i}`, MessageBody: `delayed ${batch}.${i}`, DelaySeconds: 900 }));
      await f.client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    }
    for (const body of ['first', 'second', 'third']) await f.client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const { Messages } = await f.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 30 }));
    expect(Messages?.map((m) => m.Body)).toEqual(['first', 'second']);
    // Made visible again, the first message comes before the third, as it was sent before it.
    await f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: Messages?.[0].ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await f.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    expect(again.Messages?.map((m) => m.Body)).toEqual(['first', 'third']);
  });
});
