// DESIGN §7 checked on the table itself: one consistent scan of every slot, booking record, hold
// marker and active-hold counter, and a list of violations in words (empty when all hold).
//
// A booking is its record once written, else the hold marker's snapshot (booking-processor writes
// the record asynchronously). What the active-hold counter counts (functions/shared/expire-hold.ts):
// every path that deletes a hold marker decrements in the same transaction, except DynamoDB TTL,
// whose deletion is made good by expiry-processor a moment later. So at any instant
//   counter = hold markers of the user + TTL-deleted markers whose expiry has not run yet,
// and once every expired hold is settled that is exactly the user's live holds (§7.4).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { BOOKING_STATUSES, isoToEpochMs, type BookingStatus } from '../../functions/shared/model.ts';

export interface InvariantOptions {
  /** The instant holds are judged at (epoch ms); default: when the scan ends. */
  now?: number;
  /**
   * How long past its deadline a hold may still await its release (deadline message, TTL sweep,
   * stream, expiry-processor). Default 0: every expired hold must already be settled.
   */
  graceMs?: number;
  /** Booking ids createBooking answered: each must end in exactly one state (§7.5). */
  acceptedBookingIds?: string[];
  /** Each must have a written booking record, not only a hold snapshot (default true). */
  requireRecords?: boolean;
  /** MAX_ACTIVE_HOLDS: no user may have more live holds. */
  maxActiveHolds?: number;
}

interface Slot {
  PK: string;
  SK: string;
  slotId: string;
  status: string;
  holdExpiresAt?: string;
  bookingId?: string;
  heldBy?: string;
  version?: number;
}

interface Booking {
  id: string;
  slotId: string;
  userId: string;
  status: BookingStatus;
  holdExpiresAt?: string;
  confirmedAt?: string;
  cancelledAt?: string;
  expiredAt?: string;
  holdCountReleased?: boolean;
}

interface Marker {
  PK: string;
  bookingId: string;
  slotId: string;
  userId: string;
  ttl: number;
  booking?: Booking;
}

interface Table {
  slots: Slot[];
  records: Map<string, Booking>;
  markers: Map<string, Marker>;
  counters: Map<string, number>;
}

/** Scans are paginated; a test table this big is a runaway, not a fixture. */
const MAX_SCAN_PAGES = 1000;

async function scanTable(client: DynamoDBClient, tableName: string): Promise<Table> {
  const doc = DynamoDBDocumentClient.from(client);
  const table: Table = { slots: [], records: new Map(), markers: new Map(), counters: new Map() };
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < MAX_SCAN_PAGES; page += 1) {
    const out = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) {
      const pk = String(item.PK);
      const sk = String(item.SK);
      if (sk.startsWith('SLOT#')) table.slots.push(item as Slot);
      else if (sk === 'BOOKING') table.records.set(pk.slice('BOOKING#'.length), item as Booking);
      else if (sk === 'HOLD') table.markers.set(pk.slice('HOLD#'.length), item as Marker);
      else if (sk === 'HOLDS' && pk.startsWith('USER#')) table.counters.set(pk.slice('USER#'.length), Number(item.count));
    }
    start = out.LastEvaluatedKey;
    if (!start) return table;
  }
  throw new Error(`table ${tableName} has more than ${MAX_SCAN_PAGES} scan pages`);
}

function expiryOf(value: { holdExpiresAt?: string }): number {
  return isoToEpochMs(value.holdExpiresAt) ?? Number.NaN;
}

/** DESIGN §7 on the table as it is now; [] when every invariant holds. */
export async function checkInvariants(client: DynamoDBClient, tableName: string, options: InvariantOptions = {}): Promise<string[]> {
  const table = await scanTable(client, tableName);
  const now = options.now ?? Date.now();
  const grace = options.graceMs ?? 0;
  const violations: string[] = [];
  const fail = (invariant: number, text: string) => violations.push(`§7.${invariant}: ${text}`);

  // The booking as the API sees it: the record, else the hold's snapshot.
  const bookings = new Map<string, Booking>();
  for (const [id, marker] of table.markers) if (marker.booking) bookings.set(id, marker.booking);
  for (const [id, record] of table.records) bookings.set(id, record);
  const isLive = (b: Booking) => b.status === 'CONFIRMED' || (b.status === 'PENDING' && expiryOf(b) > now);
  const overdue = (b: { holdExpiresAt?: string }) => !(expiryOf(b) + grace >= now);

  for (const [id, b] of bookings) {
    if (!BOOKING_STATUSES.includes(b.status)) fail(5, `booking ${id} has status ${String(b.status)}`);
    if (b.status === 'PENDING' && overdue(b)) fail(3, `booking ${id} is still PENDING ${now - expiryOf(b)} ms after its hold expired at ${b.holdExpiresAt}`);
    if (b.status === 'EXPIRED' && (!b.expiredAt || b.confirmedAt || b.cancelledAt)) fail(5, `EXPIRED booking ${id} carries the stamps of another state`);
    if (b.status === 'CONFIRMED' && (!b.confirmedAt || b.cancelledAt || b.expiredAt)) fail(5, `CONFIRMED booking ${id} carries the stamps of another state`);
    if (b.status === 'CANCELLED' && (!b.cancelledAt || b.expiredAt)) fail(5, `CANCELLED booking ${id} carries the stamps of another state`);
    if (b.status === 'PENDING' && expiryOf(b) > now && !table.markers.has(id)) fail(4, `live hold ${id} has no hold marker`);
  }

  for (const [id, marker] of table.markers) {
    if (marker.bookingId !== id || !marker.booking || marker.booking.id !== id) fail(5, `hold marker ${marker.PK} does not carry its own booking`);
    const record = table.records.get(id);
    if (record && record.status !== 'PENDING') fail(3, `hold marker of booking ${id} outlived its hold: the booking is ${record.status}`);
    if (record && marker.booking && (record.slotId !== marker.booking.slotId || record.userId !== marker.booking.userId)) {
      fail(5, `booking ${id}'s record and hold snapshot name different slots or users`);
    }
    if (marker.booking && overdue(marker.booking)) fail(3, `hold marker of booking ${id} still exists ${now - expiryOf(marker.booking)} ms after its hold expired`);
  }

  // §7.1 and §7.2, slot by slot, plus the slot's own view agreeing with its booking.
  const bySlot = new Map<string, Booking[]>();
  for (const b of bookings.values()) bySlot.set(b.slotId, [...(bySlot.get(b.slotId) ?? []), b]);
  const slotIds = new Set<string>();
  for (const slot of table.slots) {
    slotIds.add(slot.slotId);
    const mine = bySlot.get(slot.slotId) ?? [];
    const live = mine.filter(isLive);
    const confirmed = mine.filter((b) => b.status === 'CONFIRMED');
    if (live.length > 1) fail(1, `slot ${slot.slotId} has ${live.length} live bookings: ${live.map((b) => `${b.id} ${b.status}`).join(', ')}`);
    if ((slot.status === 'BOOKED') !== (confirmed.length === 1) || confirmed.length > 1) {
      fail(2, `slot ${slot.slotId} is ${slot.status} with ${confirmed.length} CONFIRMED bookings`);
    }
    if (slot.status === 'BOOKED' && confirmed.length === 1 && slot.bookingId !== confirmed[0].id) {
      fail(2, `slot ${slot.slotId} is BOOKED by ${slot.bookingId} but ${confirmed[0].id} is the CONFIRMED booking`);
    }
    for (const b of live) {
      const holds = b.status === 'PENDING' && slot.status === 'HELD' && slot.bookingId === b.id && slot.holdExpiresAt === b.holdExpiresAt;
      if (b.status === 'PENDING' && !holds) fail(1, `live hold ${b.id} is not the hold on slot ${slot.slotId} (${slot.status} by ${slot.bookingId})`);
    }
    if (slot.status === 'AVAILABLE' && (slot.bookingId || slot.holdExpiresAt || slot.heldBy)) fail(3, `AVAILABLE slot ${slot.slotId} still names a hold`);
    if (slot.status === 'HELD') {
      const holder = slot.bookingId ? bookings.get(slot.bookingId) : undefined;
      if (!holder) fail(5, `slot ${slot.slotId} is HELD by ${slot.bookingId}, which does not exist`);
      else if (holder.status !== 'PENDING') fail(3, `slot ${slot.slotId} is still HELD by ${holder.id}, which is ${holder.status}`);
      if (overdue(slot)) fail(3, `slot ${slot.slotId} is still HELD ${now - expiryOf(slot)} ms after its hold expired`);
    }
  }
  // deleteSlot may remove an AVAILABLE slot that settled bookings still name; a booking that is not
  // settled (PENDING or CONFIRMED) must still have its slot.
  for (const [slotId, named] of bySlot) {
    const unsettled = named.filter((b) => b.status === 'PENDING' || b.status === 'CONFIRMED');
    if (!slotIds.has(slotId) && unsettled.length > 0) {
      fail(5, `bookings ${unsettled.map((b) => `${b.id} ${b.status}`).join(', ')} point at slot ${slotId}, which does not exist`);
    }
  }

  // §7.4: the counter against the holds it stands for (see the header).
  const users = new Set([...table.counters.keys(), ...[...bookings.values()].map((b) => b.userId)]);
  for (const user of users) {
    const counter = table.counters.get(user) ?? 0;
    const markers = [...table.markers.values()].filter((m) => m.userId === user);
    const liveHolds = markers.filter((m) => m.booking && m.booking.status === 'PENDING' && expiryOf(m.booking) > now).length;
    const withoutMarker = [...table.records.values()].filter((b) => b.userId === user && !table.markers.has(b.id));
    // TTL took the marker; expiry-processor has yet to expire the booking and give the count back.
    const owed = withoutMarker.filter((b) => b.status === 'PENDING' && !overdue(b)).length;
    // Expired by the deadline after TTL took the marker: expiry-processor still owes the count,
    // unless a failed enqueue gave it back already (the record cannot tell which; grace decides).
    const maybeOwed = withoutMarker.filter((b) => b.status === 'EXPIRED' && b.holdCountReleased === false && !overdue({ holdExpiresAt: b.expiredAt })).length;
    const expected = markers.length + owed;
    if (counter < 0) fail(4, `user ${user}'s active-hold counter is ${counter}`);
    if (counter < expected || counter > expected + maybeOwed) {
      fail(4, `user ${user}'s active-hold counter is ${counter}, but ${liveHolds} holds are live (${markers.length} hold markers, ${owed} TTL expiries pending)`);
    }
    if (options.maxActiveHolds !== undefined && liveHolds > options.maxActiveHolds) {
      fail(4, `user ${user} has ${liveHolds} live holds, over MAX_ACTIVE_HOLDS ${options.maxActiveHolds}`);
    }
  }

  for (const id of options.acceptedBookingIds ?? []) {
    if (!bookings.has(id)) fail(5, `accepted booking ${id} is lost: no record and no hold`);
    else if (options.requireRecords !== false && !table.records.has(id)) fail(5, `accepted booking ${id} has no booking record yet`);
  }
  return violations;
}

export interface BookingOnTable {
  id: string;
  slotId: string;
  userId: string;
  status: BookingStatus;
  /** Where the state was read: the booking record, or the hold marker's snapshot before it. */
  source: 'record' | 'hold';
  holdCountReleased?: boolean;
}

/** Every booking on the table as the API would read it: the record, else the hold snapshot. */
export async function bookingsOnTable(client: DynamoDBClient, tableName: string): Promise<BookingOnTable[]> {
  const table = await scanTable(client, tableName);
  const out = new Map<string, BookingOnTable>();
  for (const [id, m] of table.markers) if (m.booking) out.set(id, { id, slotId: m.booking.slotId, userId: m.booking.userId, status: m.booking.status, source: 'hold' });
  for (const [id, r] of table.records) {
    out.set(id, { id, slotId: r.slotId, userId: r.userId, status: r.status, source: 'record', holdCountReleased: r.holdCountReleased });
  }
  return [...out.values()];
}

export interface SettleOptions extends Omit<InvariantOptions, 'now'> {
  /** How long the asynchronous parts (booking-processor, expiry) get to settle; default 20 s. */
  timeoutMs?: number;
}

/**
 * Checks until the invariants hold or `timeoutMs` passes, and returns the last violations.
 * Booking records and expiries land asynchronously, and a scan is not a snapshot across items,
 * so a single check of a moving table can see a half-applied instant; a settled table cannot.
 */
export async function settledInvariants(client: DynamoDBClient, tableName: string, options: SettleOptions = {}): Promise<string[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const violations = await checkInvariants(client, tableName, options);
    if (violations.length === 0 || Date.now() > deadline) return violations;
    await sleep(200);
  }
}
