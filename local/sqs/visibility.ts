import { invalidParameterValue } from './errors.ts';
import { MAX_VISIBILITY_TIMEOUT_SECONDS } from './limits.ts';

/** ChangeMessageVisibility(Batch)'s VisibilityTimeout: 0 to 12 hours. */
export function checkVisibilityTimeout(seconds: number): number {
  if (seconds < 0 || seconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
    throw invalidParameterValue(
      `Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and ${MAX_VISIBILITY_TIMEOUT_SECONDS}.`
    );
  }
  return seconds;
}
