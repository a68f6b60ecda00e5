/**
 * The Pi payments API (spec §3.2-3.7). Only `get` and `incomplete` are ever retried: approve,
 * complete, cancel and create change state at Pi, and a retry after a lost answer could act twice.
 * Recovery after such a failure is a `get` (or `incomplete`) followed by a decision; see the README.
 * Paying a Pioneer end to end (the Stellar transaction included) is in `a2u.ts`.
 */
import { type CallOptions, InvalidArgumentError } from '@authbridge/core';
import { pathSegment, requireString, type ServerRequest } from './server-api.js';
import { PiIncompleteServerPaymentsSchema, type PiPayment, PiPaymentSchema } from './wire.js';

/** What `payments.create` sends: an app-to-user (A2U) payment. */
export interface PiCreatePaymentInput {
  /** In Pi; Pi rejects 0 and negative amounts with `invalid_amount`. */
  amount: number;
  /** Shown to the recipient. */
  memo: string;
  /** Your own data, echoed back on the payment. */
  metadata: Record<string, unknown>;
  /** The recipient's app-scoped uid (`AuthResult.subject`). */
  uid: string;
}

/** The payment calls of a {@link PiProvider}. */
export interface PiPayments {
  /**
   * Reads a payment (`GET /v2/payments/{id}`). Safe to retry; the only call to use after a failed write.
   *
   * Errors: `ERR_INVALID_ARGUMENT` (malformed id), `ERR_CONFIG` (key rejected), `ERR_PROVIDER_NOT_FOUND` (`payment_not_found`,
   * also for another app's payment), `ERR_PROVIDER_*`, `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`,
   * `ERR_UNEXPECTED_RESPONSE`.
   *
   * @example
   * ```ts
   * const payment = await piApp.payments.get(paymentId);
   * if (payment.amount !== order.price) throw new Error('amount mismatch');
   * ```
   */
  get(paymentId: string, options?: CallOptions): Promise<PiPayment>;
  /**
   * Approves a user-to-app payment (`POST .../approve`), letting the Pioneer sign it. Never retried.
   *
   * Errors: as `get`, plus `ERR_PROVIDER_BAD_REQUEST` (a 400) with `providerCode` `already_approved`,
   * `already_completed` or `cancelled_payment`, and `ERR_PROVIDER_FORBIDDEN` (a 403) with `forbidden`
   * (an app-to-user payment, approved on creation); the payment is attached ({@link paymentOf}). The
   * `code` follows the HTTP status, Pi's own code is in `providerCode`.
   *
   * @example
   * ```ts
   * await piApp.payments.approve(paymentId);
   * ```
   */
  approve(paymentId: string, options?: CallOptions): Promise<PiPayment>;
  /**
   * Completes a payment with its blockchain txid (`POST .../complete`). Deliver only after this
   * resolves. Never retried.
   *
   * Errors: as `get`, plus `ERR_PROVIDER_BAD_REQUEST` with `providerCode` `already_completed`,
   * `cancelled_payment`, `missing_txid`, `missing_param`, `not_verified`, `txid_mismatch` or
   * `verification_failed` (see {@link verificationErrorOf}).
   *
   * @example
   * ```ts
   * const done = await piApp.payments.complete(paymentId, txid);
   * if (done.status.developer_completed) await deliver(done.metadata);
   * ```
   */
  complete(paymentId: string, txid: string, options?: CallOptions): Promise<PiPayment>;
  /**
   * Cancels a payment that has no blockchain transaction (`POST .../cancel`). Never retried.
   *
   * Errors: as `get`, plus `ERR_PROVIDER_BAD_REQUEST` (a 400) with `providerCode` `already_completed`,
   * `cancelled_payment` (payment attached) or `payment_tx_present` (complete it instead), and
   * `ERR_PROVIDER_FORBIDDEN` (a 403) with `forbidden` (payment attached). The `code` follows the HTTP
   * status, Pi's own code is in `providerCode`.
   *
   * @example
   * ```ts
   * await piApp.payments.cancel(payment.identifier);
   * ```
   */
  cancel(paymentId: string, options?: CallOptions): Promise<PiPayment>;
  /**
   * Creates an app-to-user payment (`POST /v2/payments`), already approved. `a2u.pay` does this and
   * the rest (transaction, completion); use `create` alone when you sign elsewhere. Never retried.
   *
   * Errors: `ERR_INVALID_ARGUMENT` (bad input), `ERR_CONFIG` (a 401 other than `missing_scope`: usually
   * the key, though Pi has been reported refusing create alone with a key that works elsewhere; Pi's
   * code in `providerCode`), `ERR_PROVIDER_UNAUTHORIZED` (`missing_scope`),
   * `ERR_PROVIDER_NOT_FOUND` (`user_not_found`), `ERR_PROVIDER_BAD_REQUEST` (`ongoing_payment_found`
   * with the blocking payment attached, `invalid_amount`, `altered_amount`, `missing_wallet`, ...),
   * `ERR_PROVIDER_RATE_LIMITED` (`too_many_payments`, `too_many_cancelled_payments`), `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`,
   * `ERR_UNEXPECTED_RESPONSE`.
   *
   * @example
   * ```ts
   * const payment = await piApp.payments.create({ amount: 1, memo: 'Refund', metadata: { orderId: 7 }, uid });
   * await db.savePayment(payment.identifier);
   * ```
   */
  create(input: PiCreatePaymentInput, options?: CallOptions): Promise<PiPayment>;
  /**
   * The app's unfinished app-to-user payments (`GET /v2/payments/incomplete_server_payments`), as an
   * array (pi-backend 0.1.3 returned the wrapper object instead). Safe to retry.
   *
   * `transaction: null` does not prove that no chain transaction exists: Pi has been seen reporting
   * null for a payment whose transaction was on chain, and a cancel followed by a new payment could
   * then pay twice. `a2u.recover()` settles this list safely (it looks for the transaction by hash and
   * memo, and cancels only what can no longer land); use it rather than cancelling by hand.
   *
   * Errors: `ERR_CONFIG` (key rejected), `ERR_PROVIDER_*`, `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`,
   * `ERR_UNEXPECTED_RESPONSE`.
   *
   * @example
   * ```ts
   * const open = await piApp.payments.incomplete();
   * if (open.length > 0) await piApp.a2u.recover(); // complete, resubmit or cancel, each safely
   * ```
   */
  incomplete(options?: CallOptions): Promise<PiPayment[]>;
}

function assertCreateInput(input: PiCreatePaymentInput): void {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidArgumentError('The Pi payment to create must be an object.', { provider: 'pi' });
  }
  if (typeof input.amount !== 'number' || !Number.isFinite(input.amount)) {
    throw new InvalidArgumentError('The Pi payment amount must be a finite number.', { provider: 'pi' });
  }
  if (typeof input.memo !== 'string') {
    throw new InvalidArgumentError('The Pi payment memo must be a string.', { provider: 'pi' });
  }
  if (typeof input.metadata !== 'object' || input.metadata === null || Array.isArray(input.metadata)) {
    throw new InvalidArgumentError('The Pi payment metadata must be an object.', { provider: 'pi' });
  }
  requireString('payment uid', input.uid);
}

/** Builds the payment calls on a Key-authenticated request function. */
export function createPayments(request: ServerRequest): PiPayments {
  const action = async (paymentId: string, name: 'approve' | 'cancel', signal?: AbortSignal) =>
    request({
      method: 'POST',
      path: `v2/payments/${pathSegment('payment id', paymentId)}/${name}`,
      json: {},
      schema: PiPaymentSchema,
      retry: false,
      signal,
    });
  return {
    get: async (paymentId, options) =>
      request({
        method: 'GET',
        path: `v2/payments/${pathSegment('payment id', paymentId)}`,
        schema: PiPaymentSchema,
        signal: options?.signal,
      }),
    approve: async (paymentId, options) => action(paymentId, 'approve', options?.signal),
    cancel: async (paymentId, options) => action(paymentId, 'cancel', options?.signal),
    complete: async (paymentId, txid, options) =>
      request({
        method: 'POST',
        path: `v2/payments/${pathSegment('payment id', paymentId)}/complete`,
        json: { txid: requireString('txid', txid) },
        schema: PiPaymentSchema,
        retry: false,
        signal: options?.signal,
      }),
    create: async (input, options) => {
      assertCreateInput(input);
      const { amount, memo, metadata, uid } = input;
      return request({
        method: 'POST',
        path: 'v2/payments',
        json: { payment: { amount, memo, metadata, uid } },
        schema: PiPaymentSchema,
        retry: false,
        signal: options?.signal,
      });
    },
    incomplete: async (options) => {
      const body = await request({
        method: 'GET',
        path: 'v2/payments/incomplete_server_payments',
        schema: PiIncompleteServerPaymentsSchema,
        signal: options?.signal,
      });
      return body.incomplete_server_payments;
    },
  };
}
