// Table keys and the slot id codec come from the domain model the Lambdas share
// (functions/shared/model.ts, written in the APPSYNC_JS subset); esbuild inlines what is used.
// Only what exists for resolvers alone lives here.
import { util } from '@aws-appsync/utils';
import type { TableKey } from '../../functions/shared/model.ts';

export {
  bookingKey,
  holdCounterKey,
  holdKey,
  parseSlotId,
  providerKey,
  slotKey,
  type SlotRef,
  type TableKey,
} from '../../functions/shared/model.ts';

/** A retry key of one user (DESIGN §5 idempotencyKey; see docs/ARCHITECTURE.md). */
export function idempotencyKeyOf(userId: string, key: string): TableKey {
  return { PK: `IDEMPOTENCY#${userId}#${key}`, SK: 'IDEMPOTENCY' };
}

/** A key as AppSync's raw requests take it: typed attribute values. */
export function dbKey(key: TableKey) {
  return util.dynamodb.toMapValues(key);
}
