import { type Emulator, startEmulator } from '@authbridge/emulator';
import { rejectionOf as failure } from '@authbridge/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPiError, paymentOf, verificationErrorOf } from './errors.js';
import { type PiProvider, pi } from './pi.js';
import type { PiPayment } from './wire.js';

interface PiFixtures {
  apiKey: string;
  apps: Record<string, { apiKey: string; walletAddress: string }>;
  users: Record<string, { uid: string; username: string; accessToken: string; walletAddress?: string }>;
}

let emulator: Emulator;
let fx: PiFixtures;
let app: PiProvider;
let otherApp: PiProvider;
const alice = () => fx.users.alice!;

beforeAll(async () => {
  emulator = await startEmulator({
    providers: ['pi'],
    providerOptions: { pi: { a2uDailyLimit: 4, a2uCancelledDailyLimit: 2, notificationDailyQuota: 3 } },
  });
  fx = emulator.fixtures.pi as PiFixtures;
  const http = { baseUrl: emulator.urls.pi!, timeout: 2000, retry: { baseDelay: 5, backoffLimit: 20 } };
  app = pi({ apiKey: fx.apiKey, ...http });
  otherApp = pi({ apiKey: fx.apps.otherApp!.apiKey, ...http });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

/** A client whose app-wide policy retries POST: only the writes' own `retry: false` keeps them single. */
const retryingPosts = () =>
  pi({
    apiKey: fx.apiKey,
    baseUrl: emulator.urls.pi!,
    timeout: 2000,
    retry: { methods: ['GET', 'POST'], limit: 2, baseDelay: 5, backoffLimit: 20 },
  });

/** Calls an emulator route directly (the Pioneer's side, or a raw request the SDK would never send). */
async function raw(path: string, init: { method?: string; body?: unknown; auth?: string } = {}) {
  const response = await fetch(`${emulator.urls.pi}${path}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...(init.auth ? { authorization: init.auth } : {}) },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The Pioneer creates a U2A payment with Pi.createPayment. */
async function pioneerPays(amount = 3.14, token = alice().accessToken): Promise<PiPayment> {
  const { status, body } = await raw('/_emulator/payments', {
    auth: `Bearer ${token}`,
    body: { amount, memo: 'A coffee', metadata: { orderId: 7 } },
  });
  expect(status).toBe(200);
  return body as unknown as PiPayment;
}

/** A wallet signs and submits the chain transaction of a payment. */
async function submitTx(
  paymentId: string,
  overrides: { memo?: string; amount?: number } = {},
): Promise<string> {
  const { status, body } = await raw(`/_emulator/payments/${paymentId}/transaction`, { body: overrides });
  expect(status).toBe(200);
  return body.txid as string;
}

const mintToken = async (body: Record<string, unknown>) =>
  (await raw('/_emulator/tokens', { body })).body as {
    accessToken: string;
    valid_until: { timestamp: number };
  };

describe('verify against the emulator', () => {
  it('returns the uid, username and scopes from /v2/me', async () => {
    const result = await app.verify(alice().accessToken);
    expect(result.subject).toBe(alice().uid);
    expect(result.username).toBe('alice');
    expect(result.claims.scopes).toEqual(['username', 'payments', 'wallet_address', 'in_app_notifications']);
    expect(result.expiresAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it('omits username for a Pioneer who did not grant the username scope', async () => {
    const result = await app.verify(fx.users.carol!.accessToken);
    expect(result.subject).toBe(fx.users.carol!.uid);
    expect(result.username).toBeUndefined();
  });

  it('takes expiresAt from valid_until of a minted token', async () => {
    const minted = await mintToken({ username: 'bob', ttlSec: 120, scopes: ['payments'] });
    const result = await app.verify(minted.accessToken);
    expect(result.expiresAt!.getTime()).toBe(minted.valid_until.timestamp * 1000);
    expect(result.claims.scopes).toEqual(['payments']);
  });

  it('rejects a token once the emulator clock passes its expiry, and a revoked token', async () => {
    const minted = await mintToken({ username: 'alice', ttlSec: 60 });
    emulator.clock.advance(61_000);
    expect((await failure(app.verify(minted.accessToken))).code).toBe('ERR_CREDENTIAL_REJECTED');
    const other = await mintToken({ username: 'alice' });
    await raw('/_emulator/tokens/revoke', { body: { accessToken: other.accessToken } });
    expect((await failure(app.verify(other.accessToken))).code).toBe('ERR_CREDENTIAL_REJECTED');
  });

  it('with the cache, a repeat verify sends no second request', async () => {
    const cached = pi({ apiKey: fx.apiKey, baseUrl: emulator.urls.pi!, cache: { ttlMs: 5000 } });
    await cached.verify(alice().accessToken);
    await cached.verify(alice().accessToken);
    expect(emulator.requests.filter((r) => r.subPath === '/v2/me')).toHaveLength(1);
  });
});

describe('U2A: the Pioneer pays the app', () => {
  it('runs approve, transaction and complete; repeats answer with the payment attached', async () => {
    const created = await pioneerPays();
    expect(created.direction).toBe('user_to_app');
    expect(created.identifier).toMatch(/^[A-Za-z0-9]{28}$/);
    expect((await app.payments.get(created.identifier)).amount).toBe(3.14);
    const approved = await app.payments.approve(created.identifier);
    expect(approved.status.developer_approved).toBe(true);

    const again = await failure(app.payments.approve(created.identifier));
    expect(again.providerCode).toBe('already_approved');
    expect(paymentOf(again)?.status.developer_approved).toBe(true);

    const txid = await submitTx(created.identifier);
    expect(txid).toMatch(/^[0-9a-f]{64}$/);
    const completed = await app.payments.complete(created.identifier, txid);
    expect(completed.status).toMatchObject({ developer_completed: true, transaction_verified: true });
    expect(completed.transaction?.txid).toBe(txid);
    const link = await fetch(completed.transaction!._link);
    expect(((await link.json()) as { memo: string }).memo).toBe(created.identifier);

    const twice = await failure(app.payments.complete(created.identifier, txid));
    expect(twice.code).toBe('ERR_PROVIDER_BAD_REQUEST');
    expect(twice.providerCode).toBe('already_completed');
    expect(paymentOf(twice)?.transaction?.txid).toBe(txid);
    expect((await failure(app.payments.cancel(created.identifier))).providerCode).toBe('already_completed');
    expect((await failure(app.payments.approve(created.identifier))).providerCode).toBe('already_completed');
  });

  it('never retries approve, even under a policy that retries POST: a dropped connection reaches the emulator once', async () => {
    const created = await pioneerPays();
    emulator.injectFault({
      provider: 'pi',
      path: `/v2/payments/${created.identifier}/approve`,
      times: 1,
      fault: { drop: true },
    });
    expect((await failure(retryingPosts().payments.approve(created.identifier))).code).toBe('ERR_NETWORK');
    expect(emulator.requests.filter((r) => r.subPath.endsWith('/approve'))).toHaveLength(1);
    // The safe recovery: read the payment, then decide.
    expect((await app.payments.get(created.identifier)).status.developer_approved).toBe(false);
  });

  it('the app may cancel an unapproved payment (spec §6.3: created → cancelled)', async () => {
    const created = await pioneerPays();
    const cancelled = await app.payments.cancel(created.identifier);
    expect(cancelled.status).toMatchObject({ cancelled: true, developer_approved: false });
    const twice = await failure(app.payments.cancel(created.identifier));
    expect(twice.providerCode).toBe('cancelled_payment');
    expect((await failure(app.payments.approve(created.identifier))).providerCode).toBe('cancelled_payment');
  });

  it('Pi cancels an unapproved payment after the approval timeout', async () => {
    const created = await pioneerPays();
    // The emulator clock also follows real time, so the first check keeps a wide margin.
    emulator.clock.advance(30_000);
    expect((await app.payments.get(created.identifier)).status.cancelled).toBe(false);
    emulator.clock.advance(30_000);
    expect((await app.payments.get(created.identifier)).status.cancelled).toBe(true);
    expect((await failure(app.payments.approve(created.identifier))).providerCode).toBe('cancelled_payment');
    expect((await failure(app.payments.complete(created.identifier, 'f'.repeat(64)))).providerCode).toBe(
      'cancelled_payment',
    );
  });

  it('cancels an approved payment without a transaction, then refuses to cancel it twice', async () => {
    const created = await pioneerPays();
    await app.payments.approve(created.identifier);
    expect((await app.payments.cancel(created.identifier)).status.cancelled).toBe(true);
    const twice = await failure(app.payments.cancel(created.identifier));
    expect(twice.providerCode).toBe('cancelled_payment');
    expect(paymentOf(twice)?.status.cancelled).toBe(true);
  });

  it('a wrong memo fails verification; cancel is refused once a tx is linked; a second tx is refused', async () => {
    const created = await pioneerPays();
    await app.payments.approve(created.identifier);
    const wrong = await submitTx(created.identifier, { memo: 'not-the-identifier' });
    const mismatch = await failure(app.payments.complete(created.identifier, wrong));
    expect(mismatch.providerCode).toBe('verification_failed');
    expect(verificationErrorOf(mismatch)).toBe('tx_memo_payment_identifier_mismatch');
    expect((await failure(app.payments.cancel(created.identifier))).providerCode).toBe('payment_tx_present');
    const second = await submitTx(created.identifier);
    const linked = await failure(app.payments.complete(created.identifier, second));
    expect(verificationErrorOf(linked)).toBe('payment_already_linked_with_a_tx');
    expect((await failure(app.payments.complete(created.identifier, 'e'.repeat(64)))).providerCode).toBe(
      'txid_mismatch',
    );
  });

  it('a transaction of the wrong amount is not_verified', async () => {
    const created = await pioneerPays();
    await app.payments.approve(created.identifier);
    const txid = await submitTx(created.identifier, { amount: 0.5 });
    expect((await failure(app.payments.complete(created.identifier, txid))).providerCode).toBe(
      'not_verified',
    );
  });

  it('a new payment replaces an open one without a tx, and is refused while one has a tx', async () => {
    const first = await pioneerPays();
    await pioneerPays();
    expect((await app.payments.get(first.identifier)).status.cancelled).toBe(true);
    const third = await pioneerPays();
    await app.payments.approve(third.identifier);
    await submitTx(third.identifier);
    const { status, body } = await raw('/_emulator/payments', {
      auth: `Bearer ${alice().accessToken}`,
      body: { amount: 1 },
    });
    expect(status).toBe(409);
    expect(body.error).toBe('ongoing_payment_found');
  });

  it('a payment the Pioneer cancelled is cancelled_payment for approve and complete', async () => {
    const created = await pioneerPays();
    expect((await raw(`/_emulator/payments/${created.identifier}/user_cancel`)).status).toBe(200);
    const payment = await app.payments.get(created.identifier);
    expect(payment.status).toMatchObject({ user_cancelled: true, cancelled: false });
    const error = await failure(app.payments.approve(created.identifier));
    expect(error.providerCode).toBe('cancelled_payment');
    expect(paymentOf(error)?.status.user_cancelled).toBe(true);
  });

  it('a wallet cannot submit a transaction for a completed or cancelled payment', async () => {
    const completed = await pioneerPays();
    await app.payments.approve(completed.identifier);
    await app.payments.complete(completed.identifier, await submitTx(completed.identifier));
    const late = await raw(`/_emulator/payments/${completed.identifier}/transaction`, { body: {} });
    expect(late).toMatchObject({ status: 400, body: { error: 'already_completed' } });
    expect((late.body.payment as PiPayment).status.developer_completed).toBe(true);

    const cancelled = await pioneerPays();
    await app.payments.approve(cancelled.identifier);
    await app.payments.cancel(cancelled.identifier);
    const refused = await raw(`/_emulator/payments/${cancelled.identifier}/transaction`, { body: {} });
    expect(refused).toMatchObject({ status: 400, body: { error: 'cancelled_payment' } });
    expect((refused.body.payment as PiPayment).transaction).toBeNull();

    const a2u = await app.payments.create({ amount: 1, memo: 'Refund', metadata: {}, uid: alice().uid });
    await app.payments.complete(a2u.identifier, await submitTx(a2u.identifier));
    const again = await raw(`/_emulator/payments/${a2u.identifier}/transaction`, { body: {} });
    expect(again.body.error).toBe('already_completed');
    const ledger = await fetch(
      `${emulator.urls.pi}/_emulator/horizon/accounts/${alice().walletAddress}/transactions`,
    ).then((r) => r.json() as Promise<{ _embedded: { records: { memo: string }[] } }>);
    expect(ledger._embedded.records.filter((tx) => tx.memo === a2u.identifier)).toHaveLength(1);
  });

  it('missing_txid and missing_param answer requests the SDK itself never sends', async () => {
    const created = await pioneerPays();
    const path = `/v2/payments/${created.identifier}/complete`;
    expect((await raw(path, { auth: `Key ${fx.apiKey}`, body: {} })).body.error).toBe('missing_txid');
    expect((await raw(path, { auth: `Key ${fx.apiKey}`, body: 'not json' })).body.error).toBe(
      'missing_param',
    );
  });
});

describe('per-app key isolation and authorization', () => {
  it("another app's key gets payment_not_found and an empty incomplete list", async () => {
    const created = await pioneerPays();
    const error = await failure(otherApp.payments.get(created.identifier));
    expect(error.code).toBe('ERR_PROVIDER_NOT_FOUND');
    expect(error.providerCode).toBe('payment_not_found');
    await app.payments.create({ amount: 1, memo: 'Refund', metadata: {}, uid: alice().uid });
    expect(await otherApp.payments.incomplete()).toEqual([]);
    expect(await app.payments.incomplete()).toHaveLength(1);
  });

  it('an unknown key is ERR_CONFIG without the key in the error; a Bearer token is refused on payments', async () => {
    const wrongKey = 'not-a-registered-server-key-123';
    const wrong = pi({ apiKey: wrongKey, baseUrl: emulator.urls.pi! });
    const error = await failure(wrong.payments.incomplete());
    expect(error.code).toBe('ERR_CONFIG');
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(wrongKey);
    const bearer = await raw('/v2/payments/incomplete_server_payments', {
      method: 'GET',
      auth: `Bearer ${alice().accessToken}`,
    });
    expect(bearer.status).toBe(401);
  });
});

describe('A2U: the app pays a Pioneer', () => {
  const refund = () => ({ amount: 1.5, memo: 'Refund', metadata: { orderId: 9 }, uid: alice().uid });

  it('create, incomplete, ongoing_payment_found, transaction, complete', async () => {
    const created = await app.payments.create(refund());
    expect(created).toMatchObject({
      direction: 'app_to_user',
      to_address: alice().walletAddress,
      transaction: null,
    });
    expect(created.status.developer_approved).toBe(true);
    expect((await app.payments.incomplete()).map((p) => p.identifier)).toEqual([created.identifier]);

    const blocked = await failure(app.payments.create(refund()));
    expect(blocked.providerCode).toBe('ongoing_payment_found');
    expect(paymentOf(blocked)?.identifier).toBe(created.identifier);
    expect((await failure(app.payments.approve(created.identifier))).providerCode).toBe('forbidden');

    const txid = await submitTx(created.identifier);
    const completed = await app.payments.complete(created.identifier, txid);
    expect(completed.status.developer_completed).toBe(true);
    expect(await app.payments.incomplete()).toEqual([]);
  });

  /**
   * How long after a payment's creation a transaction of the app's for it can still land: the window
   * in which the app submits, plus the time bound it sets on the transaction.
   */
  const LANDING_WINDOW_MS = 10 * 60_000;

  interface HorizonPage {
    _embedded: { records: { hash: string; memo?: string; successful: boolean; created_at: string }[] };
    _links?: { next?: { href: string } };
  }

  /**
   * The app wallet's successful tx whose memo is the payment identifier, newest first, paging back
   * until past the payment's creation (less a minute of clock skew). A failed lookup throws: it must
   * never read as "no transaction".
   */
  // Small pages, so that finding a payment's tx means following Horizon's links.
  const HORIZON_PAGE = 2;
  let pagesRead = 0;
  async function findTxByMemo(payment: PiPayment): Promise<string | undefined> {
    const since = Date.parse(payment.created_at) - 60_000;
    let url: string | undefined =
      `${emulator.urls.pi}/_emulator/horizon/accounts/${payment.from_address}/transactions?order=desc&limit=${HORIZON_PAGE}`;
    while (url) {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`Horizon answered ${response.status}`);
      const page = (await response.json()) as HorizonPage;
      pagesRead += 1;
      const { records } = page._embedded;
      const tx = records.find((r) => r.successful && r.memo === payment.identifier);
      if (tx) return tx.hash;
      const oldest = records.at(-1);
      if (!oldest || Date.parse(oldest.created_at) < since) return undefined;
      // Horizon always links the next page, empty past the last record.
      url = page._links?.next?.href;
    }
    return undefined;
  }

  /**
   * The recovery the README prescribes: Pi's txid, else the app's own record, else the chain; cancel
   * only once the payment's transactions can no longer land (judged before the lookup, so none can
   * land after the lookup missed it), otherwise leave the payment for a later run.
   */
  async function recover(stored: Map<string, string>, now = Date.now()) {
    const done = { completed: [] as string[], cancelled: [] as string[], waiting: [] as string[] };
    for (const p of await app.payments.incomplete()) {
      const settled = now > Date.parse(p.created_at) + LANDING_WINDOW_MS;
      const txid = p.transaction?.txid ?? stored.get(p.identifier) ?? (await findTxByMemo(p));
      if (txid) {
        await app.payments.complete(p.identifier, txid);
        done.completed.push(p.identifier);
      } else if (settled) {
        await app.payments.cancel(p.identifier);
        done.cancelled.push(p.identifier);
      } else {
        done.waiting.push(p.identifier);
      }
    }
    return done;
  }

  /** A moment when no transaction of the app's for `payment` can still land. */
  const pastTimeBounds = (payment: PiPayment) => Date.parse(payment.created_at) + LANDING_WINDOW_MS + 1;

  /** A transaction that pays Alice (the app's refunds), not one she sent. */
  const isRefund = (record: unknown) =>
    (record as { operations: { to: string }[] }).operations[0]?.to === alice().walletAddress;

  const paymentsToAlice = async () =>
    (await (
      await fetch(`${emulator.urls.pi}/_emulator/horizon/accounts/${alice().walletAddress}/transactions`)
    ).json()) as {
      _embedded: { records: unknown[] };
    };

  it('recovers an unfinished payment without a tx anywhere by cancelling it, once its time bounds passed', async () => {
    const created = await app.payments.create(refund());
    expect(await recover(new Map())).toEqual({ completed: [], cancelled: [], waiting: [created.identifier] });
    expect((await app.payments.incomplete()).map((p) => p.identifier)).toEqual([created.identifier]);
    expect(await recover(new Map(), pastTimeBounds(created))).toEqual({
      completed: [],
      cancelled: [created.identifier],
      waiting: [],
    });
    expect(await app.payments.incomplete()).toEqual([]);
    expect((await app.payments.create(refund())).status.developer_approved).toBe(true);
  });

  it('a payment left waiting is completed when its tx lands before its time bounds pass', async () => {
    const created = await app.payments.create(refund());
    expect((await recover(new Map())).waiting).toEqual([created.identifier]);
    const txid = await submitTx(created.identifier); // an earlier run's transaction lands late
    expect(await recover(new Map(), pastTimeBounds(created))).toEqual({
      completed: [created.identifier],
      cancelled: [],
      waiting: [],
    });
    expect((await app.payments.get(created.identifier)).transaction?.txid).toBe(txid);
  });

  it('reproduces I-1: Pi reports transaction null for an A2U payment whose tx is on chain', async () => {
    const created = await app.payments.create(refund());
    await submitTx(created.identifier);
    expect((await app.payments.incomplete())[0]?.transaction).toBeNull();
    const blocked = await failure(app.payments.create(refund()));
    expect(blocked.providerCode).toBe('ongoing_payment_found');
    expect(paymentOf(blocked)?.transaction).toBeNull();
    expect((await app.payments.get(created.identifier)).transaction).toBeNull();
    // Cancelling on transaction: null alone succeeds, and a new payment pays the Pioneer twice.
    await app.payments.cancel(created.identifier);
    const second = await app.payments.create(refund());
    await submitTx(second.identifier);
    expect((await paymentsToAlice())._embedded.records).toHaveLength(2);
  });

  it('recovers an I-1 payment by finding its tx on chain by memo and completing, never cancelling', async () => {
    const created = await app.payments.create(refund());
    await submitTx(created.identifier); // the process dies before it stores the txid
    const blocked = await failure(app.payments.create(refund()));
    expect(paymentOf(blocked)?.transaction).toBeNull();

    // Newer transactions of the app wallet (Pioneers paying the app) push it off Horizon's first page.
    for (let i = 0; i < 3; i++) {
      const paid = await pioneerPays(1);
      await app.payments.approve(paid.identifier);
      await app.payments.complete(paid.identifier, await submitTx(paid.identifier));
    }
    pagesRead = 0;
    // Past its time bounds, so only the chain lookup keeps it from being cancelled.
    expect(await recover(new Map(), pastTimeBounds(created))).toEqual({
      completed: [created.identifier],
      cancelled: [],
      waiting: [],
    });
    const payment = await app.payments.get(created.identifier);
    expect(payment.status).toMatchObject({
      developer_completed: true,
      transaction_verified: true,
      cancelled: false,
    });
    expect(pagesRead).toBeGreaterThanOrEqual(2);
    expect(await app.payments.incomplete()).toEqual([]);
    await app.payments.create(refund());
    expect((await paymentsToAlice())._embedded.records.filter(isRefund)).toHaveLength(1);
  });

  it('recovers an I-1 payment with the txid the app stored', async () => {
    const created = await app.payments.create(refund());
    const txid = await submitTx(created.identifier);
    expect(await recover(new Map([[created.identifier, txid]]))).toEqual({
      completed: [created.identifier],
      cancelled: [],
      waiting: [],
    });
    expect((await app.payments.get(created.identifier)).transaction?.txid).toBe(txid);
  });

  it.each([
    [
      'bob (no wallet_address scope)',
      () => ({ uid: fx.users.bob!.uid }),
      'missing_scope',
      'ERR_PROVIDER_UNAUTHORIZED',
    ],
    ['an unknown uid', () => ({ uid: 'no-such-uid' }), 'user_not_found', 'ERR_PROVIDER_NOT_FOUND'],
    ['carol (no wallet)', () => ({ uid: fx.users.carol!.uid }), 'missing_wallet', 'ERR_PROVIDER_BAD_REQUEST'],
    [
      'dave (invalid address)',
      () => ({ uid: fx.users.dave!.uid }),
      'invalid_address',
      'ERR_PROVIDER_BAD_REQUEST',
    ],
    ['amount 0', () => ({ amount: 0 }), 'invalid_amount', 'ERR_PROVIDER_BAD_REQUEST'],
    [
      'an amount with 8 decimals',
      () => ({ amount: 0.12345678 }),
      'altered_amount',
      'ERR_PROVIDER_BAD_REQUEST',
    ],
  ])('create for %s fails with %s', async (_name, patch, piCode, code) => {
    const error = await failure(app.payments.create({ ...refund(), ...patch() }));
    expect(error.code).toBe(code);
    expect(error.providerCode).toBe(piCode);
    expect(isPiError(error, piCode)).toBe(true);
  });

  it('a mainnet app without A2U gets feature_not_available', async () => {
    const mainnet = pi({ apiKey: fx.apps.mainnetApp!.apiKey, baseUrl: emulator.urls.pi! });
    expect((await failure(mainnet.payments.create(refund()))).providerCode).toBe('feature_not_available');
  });

  it('invalid_metadata and invalid_arguments answer bodies the SDK never sends', async () => {
    const auth = `Key ${fx.apiKey}`;
    expect(
      (await raw('/v2/payments', { auth, body: { payment: { ...refund(), metadata: 'x' } } })).body.error,
    ).toBe('invalid_metadata');
    expect((await raw('/v2/payments', { auth, body: refund() })).body.error).toBe('invalid_arguments');
  });

  it('too_many_cancelled_payments after the daily cancel limit, too_many_payments after the daily limit', async () => {
    for (let i = 0; i < 2; i++) {
      const p = await app.payments.create(refund());
      await app.payments.cancel(p.identifier);
    }
    const cancelled = await failure(app.payments.create(refund()));
    expect(cancelled.code).toBe('ERR_PROVIDER_RATE_LIMITED');
    expect(cancelled.providerCode).toBe('too_many_cancelled_payments');
    emulator.reset();
    for (let i = 0; i < 4; i++) {
      const p = await app.payments.create(refund());
      await app.payments.complete(p.identifier, await submitTx(p.identifier));
    }
    expect((await failure(app.payments.create(refund()))).providerCode).toBe('too_many_payments');
    emulator.clock.advance(24 * 60 * 60 * 1000 + 1);
    expect((await app.payments.create(refund())).direction).toBe('app_to_user');
  });

  it('keeps unknown_error from an injected 500, and is never retried, even under a policy that retries POST', async () => {
    emulator.injectFault({
      provider: 'pi',
      path: '/v2/payments',
      method: 'POST',
      fault: { status: 500, body: { error: 'unknown_error', error_message: 'Something went wrong' } },
    });
    const error = await failure(retryingPosts().payments.create(refund()));
    expect(error.code).toBe('ERR_PROVIDER_SERVER');
    expect(error.providerCode).toBe('unknown_error');
    expect(emulator.requests.filter((r) => r.subPath === '/v2/payments')).toHaveLength(1);
  });

  it('a non-JSON answer to get is ERR_UNEXPECTED_RESPONSE', async () => {
    const p = await app.payments.create(refund());
    emulator.injectFault({ provider: 'pi', path: `/v2/payments/${p.identifier}`, fault: { nonJson: true } });
    expect((await failure(app.payments.get(p.identifier))).code).toBe('ERR_UNEXPECTED_RESPONSE');
  });
});

describe('rewarded ads', () => {
  it.each(['granted', 'revoked', 'failed', null])('reports a %s ad', async (status) => {
    const { body } = await raw('/_emulator/ads', { body: { status } });
    const ad = await app.ads.status(body.adId as string);
    expect(ad.mediator_ack_status).toBe(status);
    expect(ad.mediator_granted_at !== null).toBe(status === 'granted' || status === 'revoked');
  });

  it("is ERR_PROVIDER_NOT_FOUND for an unknown ad and for another app's ad", async () => {
    expect((await failure(app.ads.status('unknownAd'))).code).toBe('ERR_PROVIDER_NOT_FOUND');
    const { body } = await raw('/_emulator/ads', { body: { app: 'otherApp' } });
    expect((await failure(app.ads.status(body.adId as string))).code).toBe('ERR_PROVIDER_NOT_FOUND');
    expect((await otherApp.ads.status(body.adId as string)).mediator_ack_status).toBe('granted');
  });
});

describe('in-app notifications', () => {
  const note = (uid: string, subroute = '/orders/7') => ({
    uid,
    title: 'Shipped',
    body: 'On its way',
    subroute,
  });

  it('delivers to Pioneers with the scope and silently skips the others', async () => {
    const delivered = await app.notifications.send([note(alice().uid), note(fx.users.bob!.uid)]);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ user_uid: alice().uid, subroute: '/orders/7', seen_at: null });
  });

  it('refuses over 256 (400) and a subroute without a leading slash (422)', async () => {
    const many = Array.from({ length: 257 }, () => note(alice().uid));
    expect((await failure(app.notifications.send(many))).status).toBe(400);
    const bad = await failure(app.notifications.send([note(alice().uid, 'orders')]));
    expect(bad.code).toBe('ERR_PROVIDER_BAD_REQUEST');
    expect(bad.status).toBe(422);
  });

  it('enforces the daily quota per Pioneer with a 403 that names them', async () => {
    await app.notifications.send([note(alice().uid), note(alice().uid), note(alice().uid)]);
    const error = await failure(app.notifications.send([note(alice().uid)]));
    expect(error.code).toBe('ERR_PROVIDER_FORBIDDEN');
    expect(error.message).toContain(alice().uid);
    emulator.clock.advance(24 * 60 * 60 * 1000 + 1);
    expect(await app.notifications.send([note(alice().uid)])).toHaveLength(1);
  });
});
