// generate-slots' table access: the per-provider lease, the provider's existing slots, the writes.
//
// Why a lease: a rule holds up to 2,000 slots and TransactWriteItems takes at most 100 items, so a
// rule cannot be written in one transaction, and no optimistic version check spans several
// transactions. Rule creation is rare and provider-driven, so serializing it per provider is
// cheap: while a run holds the lease, its overlap check and its writes form one critical section.
// The lease expires on its own (a crashed run cannot block the provider for long) and its own
// retry, with the same deterministic ids, completes what it had started.
import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../shared/errors.ts';
import { isConditionalFailure } from '../shared/dynamo.ts';
import {
  availabilityKey,
  availabilityLockKey,
  epochMsToIso,
  epochMsToSecondIso,
  isoToEpochMs,
  providerPartition,
  SLOT_SK_PREFIX,
  slotKey,
  type AvailabilityItem,
  type AvailabilityLockItem,
  type SlotItem,
} from '../shared/model.ts';
import type { PlannedSlot } from './expand.ts';

/** Longer than the function's 25 s timeout: a live run never loses its lease. */
const LEASE_MS = 60_000;
/** How long a run waits for another rule of the same provider before giving up. */
const LOCK_WAIT_MS = 15_000;
const TRANSACTION_ITEMS = 100;
/** Tries of one chunk cancelled by throttling or a conflict (backoff 100 ms to 1 s between). */
const CHUNK_ATTEMPTS = 5;
/** Pages of 1 MB: far more than 90 days of a provider's slots. */
const MAX_QUERY_PAGES = 200;

export interface Lease {
  release(): Promise<void>;
}

export async function acquireProviderLease(doc: DynamoDBDocumentClient, tableName: string, providerId: string): Promise<Lease> {
  const owner = randomUUID();
  const key = availabilityLockKey(providerId);
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    const now = Date.now();
    const item: AvailabilityLockItem = {
      ...key,
      entity: 'AVAILABILITY_LOCK',
      owner,
      leaseExpiresAt: epochMsToIso(now + LEASE_MS),
      ttl: Math.ceil((now + LEASE_MS) / 1000) + 3600,
    };
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#pk) OR #lease < :now',
          ExpressionAttributeNames: { '#pk': 'PK', '#lease': 'leaseExpiresAt' },
          ExpressionAttributeValues: { ':now': epochMsToIso(now) },
        }),
      );
      break;
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      if (Date.now() >= giveUpAt) {
        throw new DomainError('AvailabilityConflict', `another availability rule for provider ${providerId} is being created; retry in a moment`);
      }
      const backoff = Math.min(50 * 2 ** attempt, 500);
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * (backoff / 2)));
    }
  }
  return {
    release: async () => {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: key,
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        );
      } catch (error) {
        // Our lease already lapsed and someone else holds the key: theirs to release.
        if (!isConditionalFailure(error)) throw error;
      }
    },
  };
}

export async function readAvailability(
  doc: DynamoDBDocumentClient,
  tableName: string,
  providerId: string,
  availabilityId: string,
): Promise<AvailabilityItem | undefined> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: availabilityKey(providerId, availabilityId), ConsistentRead: true }),
  );
  return Item as AvailabilityItem | undefined;
}

/** The provider's slots starting in [fromMs, toMs), read consistently. */
export async function slotsStartingBetween(
  doc: DynamoDBDocumentClient,
  tableName: string,
  providerId: string,
  fromMs: number,
  toMs: number,
): Promise<SlotItem[]> {
  const slots: SlotItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  for (let page = 0; page < MAX_QUERY_PAGES; page++) {
    const result = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK' },
        ExpressionAttributeValues: {
          ':pk': providerPartition(providerId),
          ':from': `${SLOT_SK_PREFIX}${epochMsToSecondIso(fromMs)}`,
          ':to': `${SLOT_SK_PREFIX}${epochMsToSecondIso(toMs)}`,
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of (result.Items ?? []) as SlotItem[]) {
      const startMs = isoToEpochMs(item.startTime);
      if (startMs !== null && startMs >= fromMs && startMs < toMs) slots.push(item);
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) return slots;
  }
  throw new Error(`provider ${providerId} has more slots in range than ${MAX_QUERY_PAGES} query pages`);
}

/**
 * Puts slots that do not exist yet, in transactions of 100; a slot that appeared meanwhile fails the
 * chunk. A chunk cancelled only by throttling or a conflicting transaction is sent again, a few times
 * with backoff: every slot of a provider shares one partition, whose write limit a large rule can
 * pass on AWS, and the SDK does not retry a cancelled transaction.
 */
export async function writeSlots(doc: DynamoDBDocumentClient, tableName: string, items: SlotItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += TRANSACTION_ITEMS) {
    const chunk = items.slice(i, i + TRANSACTION_ITEMS);
    const command = new TransactWriteCommand({
      TransactItems: chunk.map((Item) => ({
        Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } },
      })),
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await doc.send(command);
        break;
      } catch (error) {
        if (attempt >= CHUNK_ATTEMPTS || !cancelledOnlyByContention(error)) throw error;
        const backoff = Math.min(100 * 2 ** attempt, 1_000);
        await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * (backoff / 2)));
      }
    }
  }
}

/** A TransactionCanceledException whose reasons are all throttling, conflicts or none. */
export function cancelledOnlyByContention(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> } | null;
  const codes = (e?.name === 'TransactionCanceledException' ? e.CancellationReasons ?? [] : []).map((r) => r.Code ?? 'None');
  return codes.some((c) => c !== 'None') && codes.every((c) => c === 'None' || c === 'ThrottlingError' || c === 'TransactionConflict');
}

export async function writeAvailability(doc: DynamoDBDocumentClient, tableName: string, item: AvailabilityItem): Promise<void> {
  await doc.send(
    new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } }),
  );
}

export function slotItemOf(slot: PlannedSlot, providerId: string, availabilityId: string): SlotItem {
  return {
    ...slotKey(providerId, slot.startTime),
    entity: 'SLOT',
    slotId: slot.slotId,
    providerId,
    date: slot.date,
    startTime: slot.startTime,
    endTime: slot.endTime,
    status: 'AVAILABLE',
    version: 1,
    availabilityId,
  };
}
