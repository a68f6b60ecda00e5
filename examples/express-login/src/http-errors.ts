import { type AuthBridgeErrorCode, httpStatusForCode, isAuthBridgeError, REDACTED } from '@authbridge/core';

/** The codes this example adds to the SDK's own: request shape and session problems. */
export type AppErrorCode =
  | 'ERR_UNKNOWN_PROVIDER'
  | 'ERR_NO_CHALLENGE_STEP'
  | 'ERR_BAD_REQUEST'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_SESSION_MISSING'
  | 'ERR_SESSION_INVALID'
  | 'ERR_CHALLENGE_MISMATCH'
  | 'ERR_EMULATOR'
  | 'ERR_INTERNAL';

/** Every error body the example sends: a stable code and a message safe to show a user. */
export interface ErrorBody {
  code: AuthBridgeErrorCode | AppErrorCode;
  message: string;
}

/** An error of the example itself, with the HTTP status it answers with. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The status and body for anything a route threw. `secrets` are values the route knows to be secret
 * (configured keys, the credential it was sent): they are scrubbed from the message as a second line of
 * defence, since the SDK already keeps them out.
 */
export function toErrorResponse(
  error: unknown,
  secrets: readonly (string | undefined)[] = [],
): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { status: error.status, body: { code: error.code, message: scrub(error.message, secrets) } };
  }
  if (isAuthBridgeError(error)) {
    return {
      status: httpStatusForCode(error.code),
      body: { code: error.code, message: scrub(error.shortMessage, secrets) },
    };
  }
  return { status: 500, body: { code: 'ERR_INTERNAL', message: 'The server failed to handle the request.' } };
}

/**
 * Replaces the exact secret values only. The SDK's pattern redactor is not used here: its header-scheme
 * pattern reads prose such as "token has expired" as a credential and garbles user-facing messages.
 */
function scrub(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) out = out.replaceAll(secret, REDACTED);
  }
  return out;
}

/**
 * The token-like strings inside a credential (16 characters or more), so that the error path can scrub
 * them; short values such as a chain name are not secret and hiding them would garble the message.
 */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= 16 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}
