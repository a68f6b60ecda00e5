/**
 * The time rules every wallet message obeys, with a symmetric clock skew: expired, not yet valid, and
 * issued in the future (or before its challenge) each fail with their own code.
 */
import { malformed, refuse } from './errors.js';
import { parseDateTime } from './grammar.js';

/** Default clock skew allowed on every time check: 30 seconds. */
export const DEFAULT_CLOCK_SKEW_MS = 30_000;

/** The time fields of a SIWE or SIWS message, as text. */
export interface MessageTimes {
  issuedAt?: string;
  expirationTime?: string;
  notBefore?: string;
}

/** How {@link checkTimes} judges a message. */
export interface TimeRules {
  /** The current time in ms. */
  now: number;
  /** Allowed clock difference in ms, both ways. */
  clockSkewMs: number;
  /** Refuse an `issuedAt` later than `now` + skew. */
  rejectFutureIssuedAt: boolean;
  /** Refuse an `issuedAt` earlier than this instant - skew (the challenge's issue time). */
  issuedNotBefore?: number;
}

function instant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDateTime(value);
  // An invalid date is refused, never skipped.
  if (ms === undefined) malformed('The message has an invalid date.', `${name} is not an RFC 3339 date-time`);
  return ms;
}

/**
 * Checks the times of a message; returns the expiration instant, when there is one.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` for a date that is not RFC 3339 or not a real calendar date;
 * `ERR_CREDENTIAL_EXPIRED` at or after `expirationTime` (+ skew); `ERR_CREDENTIAL_NOT_YET_VALID` before
 * `notBefore` (- skew); `ERR_CREDENTIAL_ISSUED_AT` for an `issuedAt` in the future or before the challenge.
 */
export function checkTimes(times: MessageTimes, rules: TimeRules): number | undefined {
  const issuedAt = instant('issuedAt', times.issuedAt);
  const expiresAt = instant('expirationTime', times.expirationTime);
  const notBefore = instant('notBefore', times.notBefore);
  const { now, clockSkewMs } = rules;
  if (expiresAt !== undefined && now - clockSkewMs >= expiresAt)
    refuse(
      'ERR_CREDENTIAL_EXPIRED',
      'The signed message has expired.',
      `Expiration Time: ${times.expirationTime}`,
    );
  if (notBefore !== undefined && now + clockSkewMs < notBefore)
    refuse(
      'ERR_CREDENTIAL_NOT_YET_VALID',
      'The signed message is not valid yet.',
      `Not Before: ${times.notBefore}`,
    );
  if (issuedAt !== undefined && rules.rejectFutureIssuedAt && issuedAt > now + clockSkewMs)
    refuse(
      'ERR_CREDENTIAL_ISSUED_AT',
      'The signed message says it was issued in the future.',
      `Issued At: ${times.issuedAt}`,
    );
  if (
    issuedAt !== undefined &&
    rules.issuedNotBefore !== undefined &&
    issuedAt < rules.issuedNotBefore - clockSkewMs
  )
    refuse(
      'ERR_CREDENTIAL_ISSUED_AT',
      'The signed message says it was issued before its challenge.',
      `Issued At: ${times.issuedAt}`,
    );
  return expiresAt;
}
