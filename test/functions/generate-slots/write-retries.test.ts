// writeSlots against throttling: on AWS every slot of a provider shares one partition, and a large
// rule can pass its write limit; a cancelled transaction is not retried by the SDK. DynamoDB Local
// never throttles, so a stand-in client answers as DynamoDB does (TransactionCanceledException with
// per-item CancellationReasons).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { cancelledOnlyByContention, writeSlots } from '../../../functions/generate-slots/store.ts';
import type { SlotItem } from '../../../functions/shared/model.ts';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** A client that fails its first sends with `failures`, in order, then succeeds; counts the sends. */
function client(failures: unknown[]) {
  const sent: number[] = [];
  const doc = {
    send: async (command: { input: { TransactItems: unknown[] } }) => {
      sent.push(command.input.TransactItems.length);
      const failure = failures.shift();
      if (failure) throw failure;
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, sent };
}

const slots = (n: number) => Array.from({ length: n }, (_, i) => ({ PK: 'PROVIDER#p', SK: `SLOT#${i}` }) as unknown as SlotItem);

describe('writeSlots', () => {
  it('sends a chunk cancelled by throttling or a conflict again, and goes on', async () => {
    const { doc, sent } = client([cancelled('None', 'ThrottlingError'), cancelled('TransactionConflict', 'None')]);
    await writeSlots(doc, 'table', slots(150));
    expect(sent).toEqual([100, 100, 100, 50]);
  });

  it('gives up after five tries, with DynamoDB\'s error', async () => {
    const { doc, sent } = client(Array.from({ length: 5 }, () => cancelled('ThrottlingError')));
    await expect(writeSlots(doc, 'table', slots(10))).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(sent).toEqual([10, 10, 10, 10, 10]);
  }, 15_000);

  it('does not retry a failed condition (a slot that appeared meanwhile) or any other error', async () => {
    for (const failure of [cancelled('ConditionalCheckFailed', 'ThrottlingError'), new Error('network')]) {
      const { doc, sent } = client([failure]);
      await expect(writeSlots(doc, 'table', slots(10))).rejects.toBe(failure);
      expect(sent).toEqual([10]);
    }
  });

  it('tells contention from the rest', () => {
    expect(cancelledOnlyByContention(cancelled('None', 'ThrottlingError', 'TransactionConflict'))).toBe(true);
    expect(cancelledOnlyByContention(cancelled('None', 'None'))).toBe(false);
    expect(cancelledOnlyByContention(cancelled('ValidationError'))).toBe(false);
    expect(cancelledOnlyByContention({ name: 'TransactionCanceledException' })).toBe(false);
    expect(cancelledOnlyByContention(null)).toBe(false);
  });
});
