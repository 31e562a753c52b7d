// Lambda data sources report domain failures (thrown, or returned as a rejection) with a message
// that starts with a DESIGN §6 errorType ("ValidationError: input.endTime must be after
// input.startTime"). Anything else stays the Lambda's own error.
import { util } from '@aws-appsync/utils';

const DOMAIN_TYPES = ['ValidationError', 'Unauthorized', 'NotFound', 'AvailabilityConflict', 'SlotUnavailable'];

export function raiseLambdaError(error: { message: string; type: string }): never {
  const colon = error.message.indexOf(': ');
  const type = colon > 0 ? error.message.slice(0, colon) : '';
  const detail = error.message.slice(colon + 2);
  // A ValidationError's detail starts with the field ("input.endTime must be …"): it goes into
  // errorInfo.field as the resolvers' own ValidationErrors do (lib/errors.ts invalid()).
  if (type === 'ValidationError') return util.error(detail, type, null, { field: detail.split(' ')[0] });
  if (DOMAIN_TYPES.indexOf(type) >= 0) return util.error(detail, type);
  return util.error(error.message, error.type);
}
