// Domain failures carry a message that starts with a DESIGN §6 errorType ("ValidationError:
// input.endTime must be after input.startTime"): the calling resolver maps the prefix to the GraphQL
// errorType (resolvers/lib/lambda-errors.ts), whether the Lambda threw it or returned it as a
// rejection (generate-slots). Anything else is a fault.
export type DomainErrorType = 'ValidationError' | 'Unauthorized' | 'NotFound' | 'AvailabilityConflict';

export class DomainError extends Error {
  constructor(
    public readonly errorType: DomainErrorType,
    detail: string,
  ) {
    super(`${errorType}: ${detail}`);
    this.name = errorType;
  }
}

export function invalid(field: string, problem: string): DomainError {
  return new DomainError('ValidationError', `${field} ${problem}`);
}
