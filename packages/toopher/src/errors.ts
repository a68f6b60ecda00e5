/**
 * Toopher's numeric error codes (spec §4) and how they reach the app: every API error is a core
 * `ProviderRequestError` whose `providerCode` is Toopher's code as a string (`'704'`).
 */
import { isAuthBridgeError, type ParsedProviderError } from '@authbridge/core';

/** The Toopher error codes the SDKs single out. */
export const TOOPHER_ERROR_CODES = {
  /** The requester has disabled Toopher for this user (Python `UserDisabledError`). */
  userDisabled: '704',
  /** No such user (Python `UserUnknownError`). */
  userUnknown: '705',
  /** No such terminal (Python `TerminalUnknownError`). */
  terminalUnknown: '706',
  /** The pairing was deactivated (Python `PairingDeactivatedError`). */
  pairingDeactivated: '707',
  /** The pairing has not been authorized (yet), or was deactivated. */
  pairingNotAuthorized: '601',
  /** The user must answer with a one-time password. */
  otpRequired: '708',
} as const;

/** What a Toopher error means, in the vocabulary of the Python SDK's exception classes. */
export type ToopherErrorKind =
  | 'user_disabled'
  | 'user_unknown'
  | 'terminal_unknown'
  | 'pairing_deactivated'
  | 'otp_required';

const PAIRING_GONE = /pairing has not been authorized|pairing has been deactivated/i;

/**
 * Classifies an error thrown by this package, as toopher-python would have chosen its exception:
 * 704-707 by code, 601 as a deactivated pairing only when its message says so (Ruby's rule, a
 * superset of Python's), 708 as OTP required. Anything else gives `undefined`.
 *
 * @example
 * ```ts
 * try { await api.authenticate('jdoe') } catch (e) {
 *   if (toopherErrorKind(e) === 'user_disabled') return letThemIn();
 *   throw e;
 * }
 * ```
 */
export function toopherErrorKind(error: unknown): ToopherErrorKind | undefined {
  if (!isAuthBridgeError(error) || error.provider !== 'toopher') return undefined;
  switch (error.providerCode) {
    case TOOPHER_ERROR_CODES.userDisabled:
      return 'user_disabled';
    case TOOPHER_ERROR_CODES.userUnknown:
      return 'user_unknown';
    case TOOPHER_ERROR_CODES.terminalUnknown:
      return 'terminal_unknown';
    case TOOPHER_ERROR_CODES.pairingDeactivated:
      return 'pairing_deactivated';
    case TOOPHER_ERROR_CODES.otpRequired:
      return 'otp_required';
    case TOOPHER_ERROR_CODES.pairingNotAuthorized:
      return PAIRING_GONE.test(error.shortMessage) ? 'pairing_deactivated' : undefined;
    default:
      return undefined;
  }
}

/**
 * Reads Toopher's `{"error_code", "error_message"}` body; anything else leaves the status to speak.
 * The API client passes it to the core HTTP layer; it is exported for apps that call Toopher through
 * their own HTTP client.
 *
 * @example
 * ```ts
 * parseToopherError({ body: { error_code: 704, error_message: 'The specified user has disabled Toopher authentication.' } });
 * // { providerCode: '704', message: 'The specified user has disabled Toopher authentication.' }
 * ```
 */
export function parseToopherError({ body }: { body: unknown }): ParsedProviderError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error_code: code, error_message: message } = body as Record<string, unknown>;
  const providerCode =
    typeof code === 'number' && Number.isInteger(code)
      ? String(code)
      : typeof code === 'string' && /^\d+$/.test(code)
        ? code
        : undefined;
  return { providerCode, message: typeof message === 'string' ? message : undefined };
}
