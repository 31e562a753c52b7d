// Keys of the single table (DESIGN §3) and the slot id codec. A slot id encodes its provider and
// UTC start, `<providerId>_<yyyyMMdd>T<HHmm>Z`, so it resolves to its key without a lookup.
import { util } from '@aws-appsync/utils';

export interface TableKey {
  PK: string;
  SK: string;
}

export function providerKey(providerId: string): TableKey {
  return { PK: `PROVIDER#${providerId}`, SK: 'PROFILE' };
}

export function slotKey(providerId: string, startIso: string): TableKey {
  return { PK: `PROVIDER#${providerId}`, SK: `SLOT#${startIso}` };
}

export function bookingKey(bookingId: string): TableKey {
  return { PK: `BOOKING#${bookingId}`, SK: 'BOOKING' };
}

export function holdKey(bookingId: string): TableKey {
  return { PK: `HOLD#${bookingId}`, SK: 'HOLD' };
}

export function holdCounterKey(userId: string): TableKey {
  return { PK: `USER#${userId}`, SK: 'HOLDS' };
}

export function idempotencyKeyOf(userId: string, key: string): TableKey {
  return { PK: `IDEMPOTENCY#${userId}#${key}`, SK: 'IDEMPOTENCY' };
}

export interface SlotRef {
  providerId: string;
  /** UTC start, `YYYY-MM-DDTHH:mm:ssZ`. */
  startIso: string;
}

/** null when the id is not a slot id. */
export function parseSlotId(slotId: string): SlotRef | null {
  if (!util.matches('[0-9A-HJKMNP-TV-Z]{26}_\\d{8}T\\d{4}Z', slotId || '')) return null;
  const providerId = slotId.slice(0, 26);
  const c = slotId.slice(27);
  const startIso = `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)}T${c.slice(9, 11)}:${c.slice(11, 13)}:00Z`;
  return { providerId, startIso };
}

export function dbKey(key: TableKey) {
  return util.dynamodb.toMapValues(key);
}
