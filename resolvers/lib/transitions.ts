// What a booking transition's transaction (confirm, cancel) answered. The booking record is the
// transaction's second item, so its cancellation reason carries the record as stored.
import type { Context } from '@aws-appsync/utils';
import { fail, failOnDataSourceError } from './errors';
import type { BookingItem } from './items';
import { cancellationReasons, cancelledByCondition, cancelledByConflict, failedCondition } from './transact';

/**
 * undefined when the transaction committed. When a condition decided, the stored booking record
 * (null when the booking's own condition held and another item's failed). A bare conflict with a
 * concurrent transaction, or any other error, fails the field here.
 */
export function transitionFailure(ctx: Context): { record: BookingItem | null } | undefined {
  if (!ctx.error) return undefined;
  if (cancelledByCondition(ctx.result)) {
    const reason = cancellationReasons(ctx.result)[1];
    return { record: failedCondition(reason) ? ((reason.item as BookingItem | null) ?? null) : null };
  }
  if (cancelledByConflict(ctx.result)) fail('SlotUnavailable', `Booking ${ctx.args.id} changed at the same moment; try again`);
  failOnDataSourceError(ctx.error);
  return undefined;
}
