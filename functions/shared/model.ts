// The booking domain model (DESIGN §3–§5): item shapes, keys, the slot id codec, statuses and their
// transitions, effective status, and the change events derived from item images.
// Shared by the Lambdas and by APPSYNC_JS resolvers (esbuild inlines it), so it is written in the
// APPSYNC_JS subset: pure functions over strings, numbers and plain objects; no classes, throw,
// regex, `in`, ++/--, classic loops, Date, recursion or imports. Failures are `null` results.

// ---- API settings ---------------------------------------------------------------------------

export type ApiSettingName = 'HOLD_SECONDS' | 'MAX_ACTIVE_HOLDS';
export interface ApiSetting {
  fallback: number;
  min: number;
  max: number;
  /** What the number counts, for error messages. */
  unit: string;
}
/** The API's tunable variables: the default the wiring deploys, and the range the API accepts. */
export const API_SETTINGS: Record<ApiSettingName, ApiSetting> = {
  HOLD_SECONDS: { fallback: 300, min: 1, max: 900, unit: 'seconds a hold lasts' },
  MAX_ACTIVE_HOLDS: { fallback: 3, min: 1, max: 100, unit: 'live holds a user may have' },
};

// ---- Statuses -------------------------------------------------------------------------------

export type SlotStatus = 'AVAILABLE' | 'HELD' | 'BOOKED';
export type BookingStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED';
export type DayOfWeek = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
export type SlotChangeReason = 'GENERATED' | 'HELD' | 'BOOKED' | 'CANCELLED' | 'EXPIRED' | 'DELETED';

export const SLOT_STATUSES: SlotStatus[] = ['AVAILABLE', 'HELD', 'BOOKED'];
export const BOOKING_STATUSES: BookingStatus[] = ['PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED'];
/** Monday first: index + 1 is the ISO weekday (luxon's `weekday`). */
export const DAYS_OF_WEEK: DayOfWeek[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
export const SLOT_CHANGE_REASONS: SlotChangeReason[] = ['GENERATED', 'HELD', 'BOOKED', 'CANCELLED', 'EXPIRED', 'DELETED'];

/** The booking state diagram: PENDING is the hold; CANCELLED and EXPIRED are terminal. */
export const BOOKING_TRANSITIONS: Record<BookingStatus, BookingStatus[]> = {
  PENDING: ['CONFIRMED', 'CANCELLED', 'EXPIRED'],
  CONFIRMED: ['CANCELLED'],
  CANCELLED: [],
  EXPIRED: [],
};

/**
 * The stored slot's moves. HELD → HELD is a new hold taken over an expired one (the old hold was
 * already AVAILABLE in effect).
 */
export const SLOT_TRANSITIONS: Record<SlotStatus, SlotStatus[]> = {
  AVAILABLE: ['HELD'],
  HELD: ['BOOKED', 'AVAILABLE', 'HELD'],
  BOOKED: ['AVAILABLE'],
};

export function canTransitionBooking(from: BookingStatus, to: BookingStatus): boolean {
  return BOOKING_TRANSITIONS[from].indexOf(to) >= 0;
}

export function isTerminalBookingStatus(status: BookingStatus): boolean {
  return BOOKING_TRANSITIONS[status].length === 0;
}

export function isSlotStatus(value: unknown): value is SlotStatus {
  return typeof value === 'string' && SLOT_STATUSES.indexOf(value as SlotStatus) >= 0;
}

export function isBookingStatus(value: unknown): value is BookingStatus {
  return typeof value === 'string' && BOOKING_STATUSES.indexOf(value as BookingStatus) >= 0;
}

export function isDayOfWeek(value: unknown): value is DayOfWeek {
  return typeof value === 'string' && DAYS_OF_WEEK.indexOf(value as DayOfWeek) >= 0;
}

// ---- Items (DESIGN §3). Timestamps are ISO-8601 UTC strings. ----------------------------------

export interface TableKey {
  PK: string;
  SK: string;
}

/** PK `PROVIDER#<id>`, SK `PROFILE`; listed through GSI1 (`PROVIDERS`, `<name>#<id>`). */
export interface ProviderItem extends TableKey {
  entity: 'PROVIDER';
  id: string;
  name: string;
  description?: string | null;
  /** IANA zone the provider's availability is written in. */
  timeZone: string;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
  GSI1PK: 'PROVIDERS';
  GSI1SK: string;
}

/** PK `PROVIDER#<providerId>`, SK `AVAIL#<id>`. Times are provider-local `HH:mm`. */
export interface AvailabilityItem extends TableKey {
  entity: 'AVAILABILITY';
  id: string;
  providerId: string;
  timeZone: string;
  daysOfWeek: DayOfWeek[];
  startTime: string;
  endTime: string;
  slotDurationMinutes: number;
  bufferMinutes: number;
  validFrom: string;
  validTo: string;
  slotCount: number;
  createdAt: string;
}

/**
 * PK `PROVIDER#<providerId>`, SK `SLOT#<startTime>`. `startTime`/`endTime` are UTC at second
 * precision (`YYYY-MM-DDTHH:mm:ssZ`); `date` is the provider-local start date. `holdExpiresAt`,
 * `bookingId` and `heldBy` are present while HELD (`bookingId` also while BOOKED).
 */
export interface SlotItem extends TableKey {
  entity: 'SLOT';
  slotId: string;
  providerId: string;
  date: string;
  startTime: string;
  endTime: string;
  status: SlotStatus;
  holdExpiresAt?: string | null;
  bookingId?: string | null;
  heldBy?: string | null;
  /** 1 when generated, incremented by every change. */
  version: number;
  availabilityId: string;
  /**
   * Set by the expiry when it gives the slot back, so the change event can name the cause even
   * when the booking's own stream record lands in another batch. Stale once another path releases.
   */
  releasedBookingId?: string | null;
  releaseReason?: 'CANCELLED' | 'EXPIRED' | null;
}

/** A booking's own fields: what createBooking answers and the queue messages carry. */
export interface BookingRecord {
  id: string;
  slotId: string;
  providerId: string;
  userId: string;
  status: BookingStatus;
  startTime: string;
  endTime: string;
  holdExpiresAt: string;
  notes?: string | null;
  idempotencyKey?: string | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string | null;
  cancelledAt?: string | null;
  expiredAt?: string | null;
  cancelReason?: string | null;
}

/**
 * PK `BOOKING#<id>`, SK `BOOKING`; GSI1 `USER#<userId>` / `<startTime>#<id>` (my bookings),
 * GSI2 `PROVIDER#<providerId>` / `<startTime>#<id>` (a provider's bookings).
 */
export interface BookingItem extends TableKey, BookingRecord, BookingIndexKeys {
  entity: 'BOOKING';
}

export interface BookingIndexKeys {
  GSI1PK: string;
  GSI1SK: string;
  GSI2PK: string;
  GSI2SK: string;
}

/**
 * PK `HOLD#<bookingId>`, SK `HOLD`: exists while the hold is live; `ttl` (epoch seconds) is the
 * hold's expiry, so its TTL deletion is the expiry backstop. `booking` is the PENDING booking as
 * createBooking answered it, readable before booking-processor writes the record.
 */
export interface HoldMarkerItem extends TableKey {
  entity: 'HOLD';
  bookingId: string;
  slotId: string;
  userId: string;
  providerId: string;
  ttl: number;
  booking?: BookingRecord;
}

/** PK `USER#<userId>`, SK `HOLDS`: the user's live holds, capped by MAX_ACTIVE_HOLDS. */
export interface HoldCounterItem extends TableKey {
  entity: 'HOLD_COUNTER';
  count: number;
}

/**
 * PK `PROVIDER#<providerId>`, SK `LOCK#AVAILABILITY`: a short lease that serializes availability
 * rule creation per provider (functions/generate-slots). `ttl` only cleans up abandoned leases.
 */
export interface AvailabilityLockItem extends TableKey {
  entity: 'AVAILABILITY_LOCK';
  owner: string;
  leaseExpiresAt: string;
  ttl: number;
}

// ---- Keys --------------------------------------------------------------------------------------

export const SLOT_SK_PREFIX = 'SLOT#';
export const AVAILABILITY_SK_PREFIX = 'AVAIL#';

export function providerPartition(providerId: string): string {
  return `PROVIDER#${providerId}`;
}

export function providerKey(providerId: string): TableKey {
  return { PK: providerPartition(providerId), SK: 'PROFILE' };
}

export function availabilityKey(providerId: string, availabilityId: string): TableKey {
  return { PK: providerPartition(providerId), SK: `${AVAILABILITY_SK_PREFIX}${availabilityId}` };
}

export function availabilityLockKey(providerId: string): TableKey {
  return { PK: providerPartition(providerId), SK: 'LOCK#AVAILABILITY' };
}

/** `startUtcIso` is the slot's start, `YYYY-MM-DDTHH:mm:ssZ`. */
export function slotKey(providerId: string, startUtcIso: string): TableKey {
  return { PK: providerPartition(providerId), SK: `${SLOT_SK_PREFIX}${startUtcIso}` };
}

export function bookingKey(bookingId: string): TableKey {
  return { PK: `BOOKING#${bookingId}`, SK: 'BOOKING' };
}

export function bookingIndexKeys(booking: { id: string; userId: string; providerId: string; startTime: string }): BookingIndexKeys {
  return {
    GSI1PK: `USER#${booking.userId}`,
    GSI1SK: `${booking.startTime}#${booking.id}`,
    GSI2PK: providerPartition(booking.providerId),
    GSI2SK: `${booking.startTime}#${booking.id}`,
  };
}

export function holdKey(bookingId: string): TableKey {
  return { PK: `HOLD#${bookingId}`, SK: 'HOLD' };
}

export function holdCounterKey(userId: string): TableKey {
  return { PK: `USER#${userId}`, SK: 'HOLDS' };
}

/** The booking id a hold marker key names, or null. */
export function bookingIdOfHoldKey(pk: string): string | null {
  if (!pk || !pk.startsWith('HOLD#')) return null;
  const id = pk.slice(5);
  return isUlid(id) ? id : null;
}

// ---- Ids ---------------------------------------------------------------------------------------

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DIGITS = '0123456789';

/** 26 uppercase Crockford base32 characters, the first at most 7 (a 128-bit value). */
export function isUlid(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 26) return false;
  if ('01234567'.indexOf(value.charAt(0)) < 0) return false;
  return value.split('').every((ch) => CROCKFORD.indexOf(ch) >= 0);
}

/** The value of a string of ASCII digits, or null. */
export function digitsValue(text: string): number | null {
  if (!text || text.length === 0) return null;
  return text.split('').reduce((acc: number | null, ch) => {
    const d = DIGITS.indexOf(ch);
    return acc === null || d < 0 ? null : acc * 10 + d;
  }, 0);
}

function pad(value: number, width: number): string {
  return `0000${value}`.slice(-width);
}

// ---- Time (no Date in APPSYNC_JS: civil-date arithmetic on epoch milliseconds) -----------------

const DAY_MS = 86400000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

/** Days since the epoch of a `YYYY-MM-DD` calendar date, or null when it is not one. */
export function dateToDays(date: unknown): number | null {
  if (typeof date !== 'string' || date.length !== 10 || date.charAt(4) !== '-' || date.charAt(7) !== '-') return null;
  const year = digitsValue(date.slice(0, 4));
  const month = digitsValue(date.slice(5, 7));
  const day = digitsValue(date.slice(8, 10));
  if (year === null || month === null || day === null || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

export function daysToDate(days: number): string {
  const c = civilFromDays(days);
  return `${pad(c.year, 4)}-${pad(c.month, 2)}-${pad(c.day, 2)}`;
}

/**
 * Epoch ms of a UTC timestamp `YYYY-MM-DDTHH:mm:ssZ` or `YYYY-MM-DDTHH:mm:ss.sssZ`, or null.
 * Other offsets are refused: every timestamp slotsync stores is UTC.
 */
export function isoToEpochMs(iso: unknown): number | null {
  if (typeof iso !== 'string' || (iso.length !== 20 && iso.length !== 24)) return null;
  if (iso.charAt(10) !== 'T' || iso.charAt(13) !== ':' || iso.charAt(16) !== ':' || !iso.endsWith('Z')) return null;
  const days = dateToDays(iso.slice(0, 10));
  const hour = digitsValue(iso.slice(11, 13));
  const minute = digitsValue(iso.slice(14, 16));
  const second = digitsValue(iso.slice(17, 19));
  const millis = iso.length === 24 ? (iso.charAt(19) === '.' ? digitsValue(iso.slice(20, 23)) : null) : 0;
  if (days === null || hour === null || minute === null || second === null || millis === null) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return days * DAY_MS + hour * 3600000 + minute * 60000 + second * 1000 + millis;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`: the fixed-width form timestamps are stored in (compares as text). */
export function epochMsToIso(ms: number): string {
  const whole = Math.floor(ms);
  const millis = ((whole % 1000) + 1000) % 1000;
  return `${epochMsToSecondIso(whole).slice(0, 19)}.${pad(millis, 3)}Z`;
}

/** `YYYY-MM-DDTHH:mm:ssZ` (milliseconds dropped): the slot start form used in keys. */
export function epochMsToSecondIso(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const inDay = Math.floor(ms) - days * DAY_MS;
  const hour = Math.floor(inDay / 3600000);
  const minute = Math.floor((inDay % 3600000) / 60000);
  const second = Math.floor((inDay % 60000) / 1000);
  return `${daysToDate(days)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}Z`;
}

/** The hold marker's `ttl`: the hold expiry in epoch seconds, rounded up so TTL never fires early. */
export function holdTtlSeconds(holdExpiresAtMs: number): number {
  return Math.ceil(holdExpiresAtMs / 1000);
}

// ---- Slot id codec: `<providerId>_<yyyyMMdd>T<HHmm>Z` of the UTC start ------------------------

export interface SlotRef {
  providerId: string;
  /** UTC start, `YYYY-MM-DDTHH:mm:ssZ` (the slot's SK suffix). */
  startUtcIso: string;
}

/** The id of the slot starting at `startUtcIso` (a whole minute), or null for bad parts. */
export function slotIdOf(providerId: string, startUtcIso: string): string | null {
  const ms = isoToEpochMs(startUtcIso);
  if (!isUlid(providerId) || ms === null || ms % 60000 !== 0 || startUtcIso.length !== 20) return null;
  const s = startUtcIso;
  return `${providerId}_${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}Z`;
}

/** The provider and start a slot id encodes, or null when it is not a slot id. */
export function parseSlotId(slotId: unknown): SlotRef | null {
  if (typeof slotId !== 'string' || slotId.length !== 41) return null;
  const providerId = slotId.slice(0, 26);
  const c = slotId.slice(27);
  if (slotId.charAt(26) !== '_' || c.charAt(8) !== 'T' || c.charAt(13) !== 'Z' || !isUlid(providerId)) return null;
  const startUtcIso = `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)}T${c.slice(9, 11)}:${c.slice(11, 13)}:00Z`;
  if (isoToEpochMs(startUtcIso) === null) return null;
  return { providerId, startUtcIso };
}

export function slotKeyOfId(slotId: string): TableKey | null {
  const ref = parseSlotId(slotId);
  return ref ? slotKey(ref.providerId, ref.startUtcIso) : null;
}

// ---- Effective status --------------------------------------------------------------------------

/** A hold counts only until `holdExpiresAt`; from that millisecond on the slot is free. */
export function isHoldLive(slot: { status: SlotStatus; holdExpiresAt?: string | null }, nowMs: number): boolean {
  if (slot.status !== 'HELD') return false;
  const expires = isoToEpochMs(slot.holdExpiresAt);
  return expires !== null && expires > nowMs;
}

/** DESIGN §4: a HELD slot whose hold has passed is AVAILABLE, whatever cleanup has run. */
export function effectiveSlotStatus(slot: { status: SlotStatus; holdExpiresAt?: string | null }, nowMs: number): SlotStatus {
  if (slot.status === 'HELD' && !isHoldLive(slot, nowMs)) return 'AVAILABLE';
  return slot.status;
}

/** A PENDING booking whose hold is still running. */
export function isBookingHoldLive(booking: { status: BookingStatus; holdExpiresAt?: string | null }, nowMs: number): boolean {
  const expires = isoToEpochMs(booking.holdExpiresAt);
  return booking.status === 'PENDING' && expires !== null && expires > nowMs;
}

// ---- Change events (SlotChangeInput / BookingChangeInput of the publish mutations) -------------

export interface SlotChangeInput {
  providerId: string;
  date: string;
  slotId: string;
  startTime: string;
  status: SlotStatus;
  previousStatus: SlotStatus | null;
  reason: SlotChangeReason;
  at: string;
}

export interface BookingChangeInput {
  bookingId: string;
  userId: string;
  providerId: string;
  slotId: string;
  status: BookingStatus;
  previousStatus: BookingStatus | null;
  at: string;
}

type SlotImage = Pick<SlotItem, 'slotId' | 'providerId' | 'date' | 'startTime' | 'status' | 'holdExpiresAt' | 'bookingId'> &
  Partial<Pick<SlotItem, 'releasedBookingId' | 'releaseReason'>>;
type BookingImage = Pick<BookingRecord, 'id' | 'userId' | 'providerId' | 'slotId' | 'status' | 'updatedAt'>;

/** Why a booking's slot was given back, when this booking transition gives it back. */
export function releaseReasonOf(oldImage: BookingImage | null, newImage: BookingImage | null): 'CANCELLED' | 'EXPIRED' | null {
  if (!newImage || (oldImage && oldImage.status === newImage.status)) return null;
  if (newImage.status === 'CANCELLED' || newImage.status === 'EXPIRED') return newImage.status;
  return null;
}

/**
 * The SlotChange a stream record of a slot item means, or null when its status did not change.
 * A slot given back says why: from `releases` (booking ids → reason, learnt from booking records
 * of the same batch), else from the release stamp the expiry leaves on the slot, else a hold past
 * its expiry at `atMs` was EXPIRED and anything else CANCELLED.
 */
export function slotChangeOf(
  oldImage: SlotImage | null,
  newImage: SlotImage | null,
  atMs: number,
  releases: Record<string, 'CANCELLED' | 'EXPIRED'>,
): SlotChangeInput | null {
  const at = epochMsToIso(atMs);
  const base = newImage || oldImage;
  if (!base) return null;
  const event = (status: SlotStatus, previousStatus: SlotStatus | null, reason: SlotChangeReason): SlotChangeInput => ({
    providerId: base.providerId,
    date: base.date,
    slotId: base.slotId,
    startTime: base.startTime,
    status,
    previousStatus,
    reason,
    at,
  });
  if (!oldImage && newImage) return event(newImage.status, null, 'GENERATED');
  if (oldImage && !newImage) return event(oldImage.status, oldImage.status, 'DELETED');
  if (!oldImage || !newImage) return null;
  if (oldImage.status === newImage.status) {
    // A new hold over an expired one: the slot was AVAILABLE in effect.
    const reheld = newImage.status === 'HELD' && oldImage.bookingId !== newImage.bookingId;
    return reheld ? event('HELD', 'AVAILABLE', 'HELD') : null;
  }
  if (newImage.status === 'HELD') return event('HELD', oldImage.status, 'HELD');
  if (newImage.status === 'BOOKED') return event('BOOKED', oldImage.status, 'BOOKED');
  const bookingId = oldImage.bookingId || '';
  const stamped = bookingId && newImage.releasedBookingId === bookingId ? newImage.releaseReason : null;
  const known = bookingId && Object.hasOwn(releases, bookingId) ? releases[bookingId] : stamped;
  const expiredHold = oldImage.status === 'HELD' && !isHoldLive(oldImage, atMs);
  return event('AVAILABLE', oldImage.status, known || (expiredHold ? 'EXPIRED' : 'CANCELLED'));
}

/**
 * The BookingChange a stream record of a booking item means, or null when its status did not
 * change. A booking first written in a later state (confirmed before booking-processor wrote it)
 * was PENDING before: the hold.
 */
export function bookingChangeOf(oldImage: BookingImage | null, newImage: BookingImage | null): BookingChangeInput | null {
  if (!newImage) return null;
  if (oldImage && oldImage.status === newImage.status) return null;
  let previousStatus: BookingStatus | null = oldImage ? oldImage.status : null;
  if (!oldImage && newImage.status !== 'PENDING') previousStatus = 'PENDING';
  return {
    bookingId: newImage.id,
    userId: newImage.userId,
    providerId: newImage.providerId,
    slotId: newImage.slotId,
    status: newImage.status,
    previousStatus,
    at: newImage.updatedAt,
  };
}
