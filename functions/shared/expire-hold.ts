// Expiry of a hold, shared by the HoldDeadline message (booking-processor) and the TTL backstop
// (expiry-processor). One transaction: booking PENDING (or not yet written) → EXPIRED; the slot,
// if still HELD by this booking → AVAILABLE; the hold marker deleted; the user's active-hold
// counter down by one (never below 0). The booking's condition lets the transaction commit once
// per booking, so whichever path arrives second finds it settled: a release happens once.
//
// The counter: every path that deletes a hold marker (confirm, cancel, compensate, this one)
// decrements in the same transaction, except TTL, which deletes it on its own. So the deadline
// path decrements when it deletes the marker itself, or when the marker is gone but the slot is
// still HELD by this booking: every other path that deletes a marker moves the slot on in the
// same transaction (confirm to BOOKED, cancel and compensate to AVAILABLE), so only TTL can have
// taken it, and the count is still held. It records on the EXPIRED booking whether it gave the
// count back (`holdCountReleased`); the TTL path, which knows the marker went by TTL, decrements
// once for a booking whose count is still held. Without the slot inference a deadline arriving
// after TTL would leave the count to the TTL path alone, and a stream record lost to
// stream-failures would have kept it held for good.
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes } from './dynamo.ts';
import {
  bookingIndexKeys,
  bookingKey,
  epochMsToIso,
  holdCounterKey,
  holdKey,
  isoToEpochMs,
  parseSlotId,
  slotKey,
  type BookingItem,
  type BookingRecord,
  type HoldCounterItem,
  type HoldMarkerItem,
  type SlotItem,
  type TableKey,
} from './model.ts';

export interface HoldToExpire {
  bookingId: string;
  slotId: string;
  userId: string;
  providerId: string;
  holdExpiresAt: string;
  /** The PENDING booking: written as EXPIRED when booking-processor has not written it yet. */
  booking?: BookingRecord | null;
}

export interface ExpiryOptions {
  /** The hold marker was deleted by DynamoDB TTL (the stream said so): its count is still held. */
  markerDeletedByTtl: boolean;
  clock?: () => number;
}

/** `expired`: this call expired the booking. `settled`: it had already left PENDING. */
export type ExpiryOutcome = 'expired' | 'settled';

/** The hold has not passed yet (a deadline that arrived early): retry later. */
export class HoldNotDueError extends Error {
  constructor(
    public readonly bookingId: string,
    public readonly remainingMs: number,
  ) {
    super(`hold of booking ${bookingId} expires in ${remainingMs} ms; not expiring it early`);
    this.name = 'HoldNotDueError';
  }
}

/** An EXPIRED booking's record of whether the user's active-hold counter was given back. */
export interface ExpiredBookingFields {
  holdCountReleased?: boolean;
}

/** Lost races re-read and try again; more than this many in a row is a fault worth retrying later. */
const MAX_ATTEMPTS = 5;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export async function expireHold(
  doc: DynamoDBDocumentClient,
  tableName: string,
  hold: HoldToExpire,
  options: ExpiryOptions,
): Promise<ExpiryOutcome> {
  const clock = options.clock ?? Date.now;
  const slotRef = parseSlotId(hold.slotId);
  if (!slotRef) throw new Error(`hold of booking ${hold.bookingId} names a malformed slot id`);
  const get = async <T>(Key: TableKey) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item as T | undefined;
  let lastCodes: string[] = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [record, slot, counter, marker] = await Promise.all([
      get<BookingItem & ExpiredBookingFields>(bookingKey(hold.bookingId)),
      get<SlotItem>(slotKey(slotRef.providerId, slotRef.startUtcIso)),
      get<HoldCounterItem>(holdCounterKey(hold.userId)),
      get<HoldMarkerItem>(holdKey(hold.bookingId)),
    ]);
    const decrement = counter && counter.count > 0 ? [uncount(tableName, hold.userId)] : [];
    let items: TransactItem[];
    if (record && record.status !== 'PENDING') {
      // Expired earlier by the deadline after TTL had already taken the marker: give the count back now.
      const owesCount = options.markerDeletedByTtl && record.status === 'EXPIRED' && record.holdCountReleased === false;
      if (!owesCount) return 'settled';
      items = [markCountReleased(tableName, hold.bookingId), ...decrement];
    } else {
      const now = clock();
      const expiresMs = isoToEpochMs(record ? record.holdExpiresAt : hold.holdExpiresAt);
      if (expiresMs === null) throw new Error(`booking ${hold.bookingId} has no valid holdExpiresAt`);
      if (expiresMs > now) throw new HoldNotDueError(hold.bookingId, expiresMs - now);
      const nowIso = epochMsToIso(now);
      const heldByThis = !!slot && slot.status === 'HELD' && slot.bookingId === hold.bookingId;
      const releasesCount = !!marker || options.markerDeletedByTtl || heldByThis;
      items = [record ? expireRecorded(tableName, hold.bookingId, nowIso, releasesCount) : putExpired(tableName, hold, slot, nowIso, releasesCount)];
      if (marker) {
        items.push({
          Delete: { TableName: tableName, Key: holdKey(hold.bookingId), ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } },
        });
      }
      if (heldByThis) items.push(releaseSlot(tableName, slot, hold.bookingId));
      if (releasesCount) items.push(...decrement);
    }
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items }));
      return record && record.status !== 'PENDING' ? 'settled' : 'expired';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      // Something moved between the reads and the write (a confirm, a cancel, the other expiry
      // path, booking-processor's first write): read again and decide afresh.
      lastCodes = codes;
    }
  }
  throw new Error(`expiring booking ${hold.bookingId} lost ${MAX_ATTEMPTS} races in a row (last reasons: ${lastCodes.join(', ')})`);
}

function expireRecorded(tableName: string, bookingId: string, nowIso: string, holdCountReleased: boolean): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: bookingKey(bookingId),
      UpdateExpression: 'SET #status = :expired, #expiredAt = :now, #updatedAt = :now, #released = :released',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status', '#expiredAt': 'expiredAt', '#updatedAt': 'updatedAt', '#released': 'holdCountReleased' },
      ExpressionAttributeValues: { ':expired': 'EXPIRED', ':pending': 'PENDING', ':now': nowIso, ':released': holdCountReleased },
    },
  };
}

/**
 * booking-processor has not written the booking (its message is late or dead-lettered): write it
 * EXPIRED so the accepted booking still ends in a terminal state (DESIGN §7.5).
 */
function putExpired(tableName: string, hold: HoldToExpire, slot: SlotItem | undefined, nowIso: string, holdCountReleased: boolean): TransactItem {
  const startTime = (parseSlotId(hold.slotId) as { startUtcIso: string }).startUtcIso;
  const base: BookingRecord = hold.booking ?? {
    id: hold.bookingId,
    slotId: hold.slotId,
    providerId: hold.providerId,
    userId: hold.userId,
    status: 'PENDING',
    startTime,
    // Without the booking snapshot the slot knows the end; the creation time is unknown.
    endTime: slot?.endTime ?? startTime,
    holdExpiresAt: hold.holdExpiresAt,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
  const item: BookingItem & ExpiredBookingFields = {
    ...base,
    ...bookingKey(hold.bookingId),
    ...bookingIndexKeys(base),
    entity: 'BOOKING',
    status: 'EXPIRED',
    expiredAt: nowIso,
    updatedAt: nowIso,
    holdCountReleased,
  };
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } } };
}

function markCountReleased(tableName: string, bookingId: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: bookingKey(bookingId),
      UpdateExpression: 'SET #released = :true',
      ConditionExpression: '#status = :expired AND #released = :false',
      ExpressionAttributeNames: { '#status': 'status', '#released': 'holdCountReleased' },
      ExpressionAttributeValues: { ':expired': 'EXPIRED', ':true': true, ':false': false },
    },
  };
}

function releaseSlot(tableName: string, slot: SlotItem, bookingId: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: { PK: slot.PK, SK: slot.SK },
      UpdateExpression:
        'SET #status = :available, #version = #version + :one, #releasedBid = :bid, #reason = :expired REMOVE #exp, #bid, #by',
      ConditionExpression: '#status = :held AND #bid = :bid',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#version': 'version',
        '#exp': 'holdExpiresAt',
        '#bid': 'bookingId',
        '#by': 'heldBy',
        '#releasedBid': 'releasedBookingId',
        '#reason': 'releaseReason',
      },
      ExpressionAttributeValues: { ':available': 'AVAILABLE', ':held': 'HELD', ':one': 1, ':bid': bookingId, ':expired': 'EXPIRED' },
    },
  };
}

function uncount(tableName: string, userId: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: holdCounterKey(userId),
      UpdateExpression: 'SET #count = #count - :one',
      ConditionExpression: '#count > :zero',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
    },
  };
}
