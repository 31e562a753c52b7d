// Every failure leaves through util.error with an errorType from DESIGN §6.
import { util } from '@aws-appsync/utils';

export type ErrorType =
  | 'ValidationError'
  | 'Unauthorized'
  | 'NotFound'
  | 'SlotHeld'
  | 'SlotTaken'
  | 'SlotUnavailable'
  | 'HoldExpired'
  | 'InvalidBookingState'
  | 'TooManyHolds'
  | 'AvailabilityConflict';

export function fail(errorType: ErrorType, message: string): never {
  return util.error(message, errorType);
}

/** A bad input value: the message names the field so a person can fix it. */
export function invalid(field: string, message: string): never {
  return util.error(`${field} ${message}`, 'ValidationError', null, { field });
}

/** Data source failures the resolver did not anticipate keep AppSync's own error type. */
export function failOnDataSourceError(error: { message: string; type: string } | undefined): void {
  if (error) util.error(error.message, error.type);
}
