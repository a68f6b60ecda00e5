/**
 * The Key-authenticated payment routes and the state machine of spec pi.md §6.3:
 * created → approved (U2A; A2U starts here) → tx linked → completed, with cancel allowed from created
 * or approved until a tx is linked. Each app sees only its own payments (another app's id is `payment_not_found`).
 */
import type { Context, Hono } from 'hono';
import type { EmulatorEnv } from '../types.js';
import { HORIZON_PATHS } from './horizon.js';
import { isAddress, newAddress, newPaymentId, type PaymentRecord, type PiEmulatorApp } from './state.js';
import { appFromKey, DAY_MS, isObject, isoAt, jsonBody, type PiWorld, piError } from './world.js';

/** Pi cancels a U2A payment nobody approved in time; applied lazily whenever a payment is read. */
export function expireUnapproved(world: PiWorld, record: PaymentRecord): void {
  const { status, direction } = record.dto;
  if (direction !== 'user_to_app' || status.developer_approved || status.cancelled || status.user_cancelled)
    return;
  if (world.context.now() - record.createdAtMs >= world.settings.approvalTimeoutMs) {
    status.cancelled = true;
    record.cancelledAtMs = world.context.now();
  }
}

const isOpen = (record: PaymentRecord): boolean =>
  !record.dto.status.developer_completed && !record.dto.status.cancelled && !record.dto.status.user_cancelled;

/** The app's payment `id`, or the 404 of an unknown (or another app's) payment. */
function findPayment(c: Context<EmulatorEnv>, world: PiWorld, app: PiEmulatorApp): PaymentRecord | Response {
  const record = world.payments.get(c.req.param('id') ?? '');
  if (!record || record.appId !== app.id) {
    return piError(c, 404, 'payment_not_found', 'Payment not found.');
  }
  expireUnapproved(world, record);
  return record;
}

/** Replies with the error of a payment that is already finished, or `undefined` when it is open. */
export function finished(c: Context<EmulatorEnv>, record: PaymentRecord): Response | undefined {
  const { dto } = record;
  if (dto.status.developer_completed) {
    return piError(c, 400, 'already_completed', 'The payment is already completed.', { payment: dto });
  }
  if (dto.status.cancelled || dto.status.user_cancelled) {
    return piError(c, 400, 'cancelled_payment', 'The payment was cancelled.', { payment: dto });
  }
  return undefined;
}

/** A Pi amount: positive, and representable on chain (at most 7 decimals). */
function amountProblem(amount: unknown): 'invalid_amount' | 'altered_amount' | undefined {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) return 'invalid_amount';
  return Math.abs(Math.round(amount * 1e7) - amount * 1e7) > 1e-6 ? 'altered_amount' : undefined;
}

export function mountPayments(app: Hono<EmulatorEnv>, world: PiWorld): void {
  const now = () => world.context.now();

  app.get('/v2/payments/incomplete_server_payments', (c) => {
    const piApp = appFromKey(c, world);
    if (piApp instanceof Response) return piApp;
    const open = [...world.payments.values()].filter(
      (r) => r.appId === piApp.id && r.dto.direction === 'app_to_user' && isOpen(r),
    );
    return c.json({ incomplete_server_payments: open.map((r) => r.dto) });
  });

  app.get('/v2/payments/:id', (c) => {
    const piApp = appFromKey(c, world);
    if (piApp instanceof Response) return piApp;
    const record = findPayment(c, world, piApp);
    return record instanceof Response ? record : c.json(record.dto);
  });

  app.post('/v2/payments/:id/approve', (c) => {
    const piApp = appFromKey(c, world);
    if (piApp instanceof Response) return piApp;
    const record = findPayment(c, world, piApp);
    if (record instanceof Response) return record;
    const { dto } = record;
    if (dto.direction === 'app_to_user') {
      return piError(c, 403, 'forbidden', 'App-to-user payments are approved on creation.', { payment: dto });
    }
    const done = finished(c, record);
    if (done) return done;
    // Repeats (the Pi SDK re-sends onReadyForServerApproval) get an error carrying the payment.
    if (dto.status.developer_approved) {
      return piError(c, 400, 'already_approved', 'The payment is already approved.', { payment: dto });
    }
    dto.status.developer_approved = true;
    return c.json(dto);
  });

  app.post('/v2/payments/:id/complete', async (c) => {
    const piApp = appFromKey(c, world);
    if (piApp instanceof Response) return piApp;
    const record = findPayment(c, world, piApp);
    if (record instanceof Response) return record;
    const body = await jsonBody(c);
    if (!isObject(body)) return piError(c, 400, 'missing_param', 'The request body must be a JSON object.');
    const txid = body.txid;
    if (typeof txid !== 'string' || txid === '')
      return piError(c, 400, 'missing_txid', 'The txid is missing.');
    const done = finished(c, record);
    if (done) return done;
    const { dto } = record;
    const tx = world.ledger.get(txid);
    if (dto.transaction && dto.transaction.txid !== txid) {
      if (tx?.memo === dto.identifier) {
        return piError(c, 400, 'verification_failed', undefined, {
          verification_error: 'payment_already_linked_with_a_tx',
        });
      }
      return piError(
        c,
        400,
        'txid_mismatch',
        'The txid does not match the transaction linked to the payment.',
      );
    }
    if (!tx)
      return piError(c, 400, 'not_verified', 'The transaction could not be found on the blockchain yet.');
    if (tx.memo !== dto.identifier) {
      return piError(c, 400, 'verification_failed', undefined, {
        verification_error: 'tx_memo_payment_identifier_mismatch',
      });
    }
    if (!dto.transaction) linkTransaction(world, record, txid);
    if (!dto.status.transaction_verified) {
      return piError(
        c,
        400,
        'not_verified',
        'The transaction does not match the payment amount or recipient.',
      );
    }
    dto.status.developer_completed = true;
    return c.json(dto);
  });

  app.post('/v2/payments/:id/cancel', (c) => {
    const piApp = appFromKey(c, world);
    if (piApp instanceof Response) return piApp;
    const record = findPayment(c, world, piApp);
    if (record instanceof Response) return record;
    const done = finished(c, record);
    if (done) return done;
    const { dto } = record;
    if (dto.transaction) {
      return piError(
        c,
        400,
        'payment_tx_present',
        'The payment cannot be cancelled: a blockchain transaction is recorded.',
      );
    }
    // Spec §6.3: cancel works from created (an app refusing a U2A payment instead of approving it)
    // and from approved, as long as no transaction is linked.
    dto.status.cancelled = true;
    record.cancelledAtMs = now();
    if (dto.direction === 'app_to_user') world.cancellations.push({ appId: piApp.id, atMs: now() });
    return c.json(dto);
  });

  app.post('/v2/payments', async (c) => {
    const piApp = appFromKey(c, world);
    if (piApp instanceof Response) return piApp;
    const body = await jsonBody(c);
    const input = isObject(body) ? body.payment : undefined;
    if (!isObject(input))
      return piError(c, 400, 'invalid_arguments', 'The body must be { "payment": { ... } }.');
    const badAmount = amountProblem(input.amount);
    if (badAmount)
      return piError(c, 400, badAmount, 'The amount must be a positive number with at most 7 decimals.');
    if (typeof input.memo !== 'string')
      return piError(c, 400, 'invalid_arguments', 'The memo must be a string.');
    if (!isObject(input.metadata))
      return piError(c, 400, 'invalid_metadata', 'The metadata must be an object.');
    if (typeof input.uid !== 'string')
      return piError(c, 400, 'invalid_arguments', 'The uid must be a string.');
    if (!piApp.a2u)
      return piError(c, 400, 'feature_not_available', 'App-to-user payments are not available for this app.');
    const user = world.users.find((u) => u.uid === input.uid);
    if (!user)
      return piError(c, 404, 'user_not_found', 'User with uid was not found. Please check the uid again.');
    if (!user.scopes.includes('wallet_address')) {
      return piError(c, 401, 'missing_scope', 'User hasn\'t authorized "wallet_address" scope for this app.');
    }
    if (!user.walletAddress) return piError(c, 400, 'missing_wallet', 'The user has no wallet yet.');
    if (!isAddress(user.walletAddress))
      return piError(c, 400, 'invalid_address', "The user's wallet address is invalid.");
    const mine = [...world.payments.values()].filter(
      (r) => r.appId === piApp.id && r.dto.direction === 'app_to_user',
    );
    const ongoing = mine.find(isOpen);
    if (ongoing) {
      return piError(
        c,
        400,
        'ongoing_payment_found',
        'You need to complete the ongoing payment first to create a new one.',
        {
          payment: ongoing.dto,
        },
      );
    }
    const since = now() - DAY_MS;
    if (mine.filter((r) => r.createdAtMs > since).length >= world.settings.a2uDailyLimit) {
      return piError(c, 429, 'too_many_payments', 'The app created too many payments in the last 24 hours.');
    }
    const cancelled = world.cancellations.filter((x) => x.appId === piApp.id && x.atMs > since).length;
    if (cancelled >= world.settings.a2uCancelledDailyLimit) {
      return piError(
        c,
        429,
        'too_many_cancelled_payments',
        'The app cancelled too many payments in the last 24 hours.',
      );
    }
    const record = newPayment(world, piApp, {
      uid: user.uid,
      amount: input.amount as number,
      memo: input.memo,
      metadata: input.metadata,
      direction: 'app_to_user',
      from: piApp.walletAddress,
      to: user.walletAddress,
    });
    return c.json(record.dto);
  });
}

/** Stores a new payment; A2U payments start approved. */
export function newPayment(
  world: PiWorld,
  app: PiEmulatorApp,
  input: {
    uid: string;
    amount: number;
    memo: string;
    metadata: Record<string, unknown>;
    direction: 'user_to_app' | 'app_to_user';
    from: string | undefined;
    to: string;
  },
): PaymentRecord {
  const at = world.context.now();
  const record: PaymentRecord = {
    appId: app.id,
    createdAtMs: at,
    dto: {
      identifier: newPaymentId(),
      user_uid: input.uid,
      amount: input.amount,
      memo: input.memo,
      metadata: input.metadata,
      from_address: input.from ?? newAddress(),
      to_address: input.to,
      direction: input.direction,
      created_at: isoAt(at),
      network: app.network,
      status: {
        developer_approved: input.direction === 'app_to_user',
        transaction_verified: false,
        developer_completed: false,
        cancelled: false,
        user_cancelled: false,
      },
      transaction: null,
    },
  };
  world.payments.set(record.dto.identifier, record);
  return record;
}

/** Links a ledger transaction to a payment; Pi verifies memo, amount and recipient on the spot. */
export function linkTransaction(world: PiWorld, record: PaymentRecord, txid: string): void {
  const tx = world.ledger.get(txid);
  if (!tx) return;
  const { dto } = record;
  const verified =
    tx.successful && tx.memo === dto.identifier && tx.amount === dto.amount && tx.to === dto.to_address;
  dto.transaction = {
    txid,
    verified,
    _link: `${world.context.baseUrl()}${HORIZON_PATHS[dto.network]}/transactions/${txid}`,
  };
  dto.status.transaction_verified = verified;
}
