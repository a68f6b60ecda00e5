/**
 * How Pi's error bodies become authbridge errors: Pi's own code goes to `providerCode`, an attached
 * payment and a verification error go to `data`, read back through {@link paymentOf} and
 * {@link verificationErrorOf}.
 */
import {
  type AuthBridgeError,
  ConfigurationError,
  isAuthBridgeError,
  type ParsedProviderError,
} from '@authbridge/core';
import * as v from 'valibot';
import { PiErrorBodySchema, type PiPayment, PiPaymentSchema } from './wire.js';

/** The error codes Pi is known to send on its payment routes (spec §3, §5); others pass through. */
export type PiErrorCode =
  | 'payment_not_found'
  | 'already_approved'
  | 'already_completed'
  | 'cancelled_payment'
  | 'forbidden'
  | 'payment_tx_present'
  | 'missing_param'
  | 'missing_txid'
  | 'not_verified'
  | 'txid_mismatch'
  | 'verification_failed'
  | 'altered_amount'
  | 'invalid_address'
  | 'missing_scope'
  | 'missing_wallet'
  | 'ongoing_payment_found'
  | 'feature_not_available'
  | 'too_many_cancelled_payments'
  | 'too_many_payments'
  | 'user_not_found'
  | 'invalid_amount'
  | 'invalid_arguments'
  | 'invalid_metadata'
  | 'unknown_error';

/** What a Pi error carries in `data`. */
export interface PiErrorData {
  /** The payment Pi attached (`ongoing_payment_found`, `already_completed`, ...), when it parsed. */
  payment?: PiPayment;
  /** Pi's reason for `verification_failed`, such as `tx_memo_payment_identifier_mismatch`. */
  verificationError?: string;
}

const SNAKE_CODE = /^[a-z][a-z0-9_]*$/;

/**
 * The `parseError` hook of Pi's HTTP client. A payment body that fails its schema is dropped rather
 * than attached, so `paymentOf` never hands out an unchecked object. The core client redacts the
 * message and the code; `redact` (the request's secrets: the API key, a Pioneer's token) is applied
 * here to what goes in `data`, and a code or payment that held a secret is dropped, not half-kept.
 */
export function parsePiError({
  body,
  redact,
}: {
  body: unknown;
  redact: (text: string) => string;
}): ParsedProviderError | undefined {
  const parsed = v.safeParse(PiErrorBodySchema, body);
  if (!parsed.success) return undefined;
  const { error, error_message: errorMessage } = parsed.output;
  const clean = (value: string | undefined): string | undefined =>
    value !== undefined && redact(value) === value ? value : undefined;
  const verificationError = clean(parsed.output.verification_error);
  // The notify route puts a sentence in `error`; only a snake_case word is a code.
  const providerCode = SNAKE_CODE.test(error) ? clean(error) : undefined;
  const payment = v.safeParse(PiPaymentSchema, parsed.output.payment);
  const data: PiErrorData = {};
  if (payment.success && clean(JSON.stringify(payment.output)) !== undefined) data.payment = payment.output;
  if (verificationError !== undefined) data.verificationError = verificationError;
  const message = SNAKE_CODE.test(error)
    ? `${error}${verificationError ? ` (${verificationError})` : ''}${errorMessage ? `: ${errorMessage}` : ''}`
    : error;
  return { providerCode, message, data: Object.keys(data).length > 0 ? data : undefined };
}

/**
 * The payment Pi attached to an error, such as the blocking payment of `ongoing_payment_found` or
 * the finished one of `already_completed`.
 *
 * Throws nothing.
 *
 * @example
 * ```ts
 * try {
 *   await piApp.payments.create({ amount: 1, memo: 'Refund', metadata: {}, uid });
 * } catch (error) {
 *   const blocking = paymentOf(error);
 *   if (blocking) await recover(blocking);
 * }
 * ```
 */
export function paymentOf(error: unknown): PiPayment | undefined {
  if (!isPiError(error)) return undefined;
  return (error.data as PiErrorData | undefined)?.payment;
}

/**
 * Pi's `verification_error` of a `verification_failed` error, such as `tx_memo_payment_identifier_mismatch`.
 *
 * Throws nothing.
 *
 * @example
 * ```ts
 * if (verificationErrorOf(error) === 'tx_memo_payment_identifier_mismatch') flagForReview(paymentId);
 * ```
 */
export function verificationErrorOf(error: unknown): string | undefined {
  if (!isPiError(error)) return undefined;
  return (error.data as PiErrorData | undefined)?.verificationError;
}

/**
 * Whether `error` is an authbridge error from the Pi package, optionally with one of Pi's own codes.
 *
 * Throws nothing.
 *
 * @example
 * ```ts
 * if (isPiError(error, 'already_completed')) return markDelivered(paymentOf(error));
 * ```
 */
export function isPiError(
  error: unknown,
  ...piCodes: (PiErrorCode | (string & {}))[]
): error is AuthBridgeError {
  if (!isAuthBridgeError(error) || error.provider !== 'pi') return false;
  return piCodes.length === 0 || (error.providerCode !== undefined && piCodes.includes(error.providerCode));
}

/**
 * A 401 on a Key-authenticated route usually means Pi refused our own server API key: the app is
 * misconfigured, and no user can fix that by signing in again, hence `ERR_CONFIG`. Pi has also been
 * reported answering 401 to payment creation alone while the same key works on other routes, cause
 * unknown (spec §5, §11 I-2, I-3), so the message of a create says so instead of blaming the key.
 * `missing_scope` is the one 401 that is about the recipient, so it keeps its provider error.
 */
export function keyRejection(error: unknown, route: { method: string; path: string }): unknown {
  if (!isAuthBridgeError(error, 'ERR_PROVIDER_UNAUTHORIZED') || error.providerCode === 'missing_scope')
    return error;
  const code = error.providerCode ? ` (Pi's code: ${error.providerCode})` : '';
  const isCreate = route.method === 'POST' && route.path === 'v2/payments';
  const message = isCreate
    ? `Pi answered 401 to payment creation${code}. The server API key may be wrong (check it in the Developer Portal), but Pi has also been reported to refuse creation alone while the same key works on other routes: if payments.get or payments.incomplete succeed with this key, the key is not the cause.`
    : `Pi rejected the server API key (401)${code}: check the key of this app in the Developer Portal.`;
  return new ConfigurationError(message, {
    provider: 'pi',
    status: 401,
    providerCode: error.providerCode,
    cause: error,
  });
}
