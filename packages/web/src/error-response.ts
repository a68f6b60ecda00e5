/**
 * What a login route answers for an error: the status `httpStatusForCode` gives, the stable code, and a
 * message written for the person at the keyboard. The SDK's own messages are for developers and logs
 * (a provider's URL, an HTTP status, a schema field); they never reach the response.
 */
import { type AuthBridgeErrorCode, httpStatusForCode, isAuthBridgeError } from '@authbridge/core';

/** Every error body of the login routes. */
export interface ErrorBody {
  code: AuthBridgeErrorCode | 'ERR_INTERNAL';
  message: string;
}

const TRY_AGAIN = 'Sign-in is not available right now. Please try again in a moment.';
const START_AGAIN = 'This sign-in could not be completed. Please start again.';

/** The message each code shows a person. Apps override any of them with `messages`. */
export const DEFAULT_ERROR_MESSAGES: Readonly<Record<AuthBridgeErrorCode | 'ERR_INTERNAL', string>> = {
  ERR_CONFIG: TRY_AGAIN,
  ERR_INVALID_ARGUMENT:
    'Some details of this sign-in are missing or not valid. Please check them and try again.',
  ERR_AUTH_HEADER_MISSING: 'You are not signed in.',
  ERR_AUTH_HEADER_MALFORMED: START_AGAIN,
  ERR_CREDENTIAL_MALFORMED: START_AGAIN,
  ERR_CREDENTIAL_SIGNATURE: 'The sign-in could not be confirmed. Please start again.',
  ERR_CREDENTIAL_EXPIRED: 'This sign-in took too long and has expired. Please start again.',
  ERR_CREDENTIAL_NOT_YET_VALID: "Your device's clock seems to be wrong. Please check it and start again.",
  ERR_CREDENTIAL_AUDIENCE: 'This sign-in was made for another app. Please start again here.',
  ERR_CREDENTIAL_REPLAYED: 'This sign-in was already used. Please start again.',
  ERR_CREDENTIAL_REJECTED: 'The sign-in was refused. Please start again.',
  ERR_CREDENTIAL_CHALLENGE: 'This sign-in was not started here, or it took too long. Please start again.',
  ERR_PROVIDER_BAD_REQUEST: TRY_AGAIN,
  ERR_PROVIDER_UNAUTHORIZED: TRY_AGAIN,
  ERR_PROVIDER_FORBIDDEN: TRY_AGAIN,
  ERR_PROVIDER_NOT_FOUND: START_AGAIN,
  ERR_PROVIDER_CONFLICT: START_AGAIN,
  ERR_PROVIDER_RATE_LIMITED: TRY_AGAIN,
  ERR_PROVIDER_SERVER: TRY_AGAIN,
  ERR_PROVIDER_REQUEST: TRY_AGAIN,
  ERR_NETWORK: TRY_AGAIN,
  ERR_TIMEOUT: 'The sign-in service took too long to answer. Please try again.',
  ERR_ABORTED: START_AGAIN,
  ERR_UNEXPECTED_RESPONSE: TRY_AGAIN,
  ERR_STORE: TRY_AGAIN,
  ERR_SESSION_MISSING: 'You are not signed in.',
  ERR_SESSION_INVALID: 'Your session is not valid. Please sign in again.',
  ERR_SESSION_EXPIRED: 'Your session has expired. Please sign in again.',
  ERR_SESSION_REVOKED: 'You have signed out. Please sign in again.',
  ERR_UNKNOWN_PROVIDER: 'This way of signing in is not offered here.',
  ERR_REQUEST_MALFORMED: START_AGAIN,
  ERR_UNSUPPORTED_MEDIA_TYPE: 'Send the request body as JSON, with content-type: application/json.',
  ERR_PAYLOAD_TOO_LARGE: 'The request is too large.',
  ERR_RATE_LIMITED: 'Too many attempts. Please wait a little and try again.',
  ERR_INTERNAL: 'Something went wrong on our side. Please try again.',
};

/**
 * The status, body and headers for anything a route threw. Never a stack trace, a cause, a provider
 * URL or an HTTP exchange: only the code and its message from `messages`.
 *
 * @example
 * ```ts
 * const { status, body, headers } = errorResponseOf(error);
 * return Response.json(body, { status, headers });
 * ```
 */
export function errorResponseOf(
  error: unknown,
  messages: Partial<Record<ErrorBody['code'], string>> = {},
): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const code: ErrorBody['code'] = isAuthBridgeError(error) ? error.code : 'ERR_INTERNAL';
  const status = code === 'ERR_INTERNAL' ? 500 : httpStatusForCode(code);
  const headers: Record<string, string> = {};
  const retryAfter = (error as { retryAfter?: unknown } | null)?.retryAfter;
  if (code === 'ERR_RATE_LIMITED' && typeof retryAfter === 'number' && retryAfter > 0) {
    headers['retry-after'] = String(Math.ceil(retryAfter));
  }
  return { status, body: { code, message: messages[code] ?? DEFAULT_ERROR_MESSAGES[code] }, headers };
}
