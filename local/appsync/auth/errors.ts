// Request-level auth failures, shaped as AppSync answers them: an HTTP status plus
// {"errors":[{"errorType","message"}]} and the x-amzn-ErrorType header.

export interface AuthFailure {
  ok: false;
  status: number;
  errorType: string;
  message: string;
}

export function authFailure(status: number, errorType: string, message: string): AuthFailure {
  return { ok: false, status, errorType, message };
}

/** No credentials in any form AppSync recognises (amplify-js#4373). */
export const MISSING_CREDENTIALS = (): AuthFailure =>
  authFailure(401, 'UnauthorizedException', 'Valid authorization header not provided.');

/** Credentials present but refused: unknown or expired API key, a mode the API does not use. */
export const NOT_AUTHORIZED = (): AuthFailure =>
  authFailure(401, 'UnauthorizedException', 'You are not authorized to make this call.');

export function authFailureBody(failure: AuthFailure): { errors: Array<{ errorType: string; message: string }> } {
  return { errors: [{ errorType: failure.errorType, message: failure.message }] };
}
