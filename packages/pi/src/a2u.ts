/**
 * App-to-user payments end to end (spec §6.2): create, build and sign the Stellar transaction, record
 * it, submit it to Pi's Horizon, complete. Crash-safe by construction:
 *
 * - The signed envelope is recorded (`setIfAbsent`, one winner among concurrent callers) before it is
 *   submitted; what is submitted is always what the store holds, so no envelope we do not know of
 *   can land.
 * - While a recorded envelope may still land, it is resubmitted as is (same hash: Horizon counts it
 *   once). A new one is built only when the old one provably cannot land: its time bounds passed the
 *   ledger's close time (read before the lookup), it failed on the ledger, or the wallet's sequence
 *   moved past it; and never while its hash is unknown to Horizon for another reason.
 * - Each replacement is a new generation key (`<id>:1`, `<id>:2`...), written with `setIfAbsent`: two
 *   processes that both see an envelope dead still agree on a single successor.
 * - `recover` settles every payment Pi lists as incomplete: complete what landed, resubmit what can
 *   still land, pay what never had a transaction, cancel what can no longer land.
 */
import {
  AuthBridgeError,
  type CallOptions,
  ConfigurationError,
  checkSecret,
  type HttpOptions,
  isAuthBridgeError,
  type KeyValueStore,
} from '@authbridge/core';
import { Keypair, StrKey } from '@stellar/stellar-base';
import { isPiError, paymentOf } from './errors.js';
import { createHorizon, type Horizon, PI_HORIZON_URLS, type PiNetwork } from './horizon.js';
import type { PiCreatePaymentInput, PiPayments } from './payments.js';
import { assertPayable, networkOf, readSignedPayment, type SignedPayment, signPayment } from './stellar.js';
import type { PiPayment } from './wire.js';

/** Options of the app wallet, which pays Pioneers (`pi({ wallet })`). */
export interface PiWalletOptions {
  /** The app wallet's secret seed (`S...`, 56 characters). A secret: keep it server-side. */
  seed: string;
  /**
   * Where each signed transaction is recorded before it is submitted. Crash safety is as durable as
   * this store: use Redis (`@authbridge/redis`) or another shared, persistent store in production;
   * `createMemoryStore()` survives no restart.
   */
  store: KeyValueStore;
  /** Key prefix in the store. Default `authbridge:pi:a2u:`. */
  prefix?: string;
  /** How long a record is kept, in ms. Default 30 days: far past any time bound. */
  recordTtlMs?: number;
  /** Horizon per network. Default Pi's: `https://api.mainnet.minepi.com`, `https://api.testnet.minepi.com`. */
  horizonUrls?: Partial<Record<PiNetwork, string>>;
  /** How long a transaction may take to land, in s: its time bounds end this long after the last ledger. Default 180. */
  timeBoundsSec?: number;
  /** The highest fee per operation the app pays, in stroops. Default 1000000 (0.1 Pi; Pi's fee is 0.01). */
  maxFeeStroops?: number;
  /** Per-attempt timeout of a submission in ms (Horizon may hold one up to 30 s). Default 35000. */
  submitTimeout?: number;
}

/** What `recover` did with one incomplete payment. */
export interface PiRecovery {
  paymentId: string;
  /**
   * `completed`: its transaction landed and Pi completed it (deliver). `cancelled`: no transaction of
   * it can land any more, and Pi cancelled it. `unresolved`: an error stopped it (see `error`); nothing
   * unsafe was done, run `recover` again later.
   */
  outcome: 'completed' | 'cancelled' | 'unresolved';
  /** The txid, when completed. */
  txid?: string;
  /** The payment as Pi returned it last, when Pi answered. */
  payment?: PiPayment;
  error?: AuthBridgeError;
}

/** App-to-user payments of a {@link PiProvider} (needs `pi({ wallet })`). */
export interface PiA2U {
  /**
   * Pays a Pioneer: creates the payment, submits its transaction (recorded first) and completes it.
   * Resolves to the completed payment. After any failure, the payment is safe to hand to `recover`.
   *
   * Errors: those of `payments.create`; of `submit`; of `payments.complete` (`not_verified` when
   * Pi has not seen the transaction yet: `recover` completes it later).
   *
   * @example
   * ```ts
   * const paid = await piApp.a2u.pay({ amount: 1, memo: 'Refund', metadata: { orderId: 7 }, uid });
   * await db.markRefunded(7, paid.transaction?.txid);
   * ```
   */
  pay(input: PiCreatePaymentInput, options?: CallOptions): Promise<PiPayment>;
  /**
   * Gets the transaction of an existing app-to-user payment on the ledger and resolves to its txid:
   * the one Pi already linked, one of ours that landed, our recorded envelope resubmitted, or a new
   * one (recorded, then submitted) when none can land. Does not complete: call `payments.complete`.
   *
   * Errors: `ERR_CONFIG` (no wallet, the seed is not the payment's `from_address`, Horizon of another
   * network, `tx_bad_auth`), `ERR_INVALID_ARGUMENT` (not an app-to-user payment), `ERR_PROVIDER_CONFLICT`
   * (`cancelled_payment`; `tx_bad_seq` or `tx_too_late` three times in a row), `ERR_PROVIDER_BAD_REQUEST`
   * (`tx_too_early`, `op_underfunded`), `ERR_PROVIDER_RATE_LIMITED` (`tx_insufficient_fee`, a fee above
   * `maxFeeStroops`), `ERR_PROVIDER_NOT_FOUND` (`op_no_destination`, `payment_not_found`), `ERR_STORE`,
   * `ERR_NETWORK` / `ERR_TIMEOUT` (outcome unknown: `recover` looks the hash up), `ERR_ABORTED`,
   * `ERR_UNEXPECTED_RESPONSE`.
   *
   * @example
   * ```ts
   * const txid = await piApp.a2u.submit(paymentId);
   * await piApp.payments.complete(paymentId, txid);
   * ```
   */
  submit(paymentId: string, options?: CallOptions): Promise<string>;
  /**
   * Settles every payment in Pi's `incomplete_server_payments`, one at a time: completes it when a
   * transaction of it landed (Pi's txid, our records by hash, the wallet's history by memo),
   * resubmits our recorded envelope while it can still land, builds and submits one when it never had
   * one, and cancels it only once none can land. Call it at start-up and from a periodic job. Never
   * throws for one payment: its error is in its {@link PiRecovery}.
   *
   * Errors: `ERR_CONFIG` (no wallet), and those of `payments.incomplete` (listing failed).
   *
   * @example
   * ```ts
   * for (const r of await piApp.a2u.recover()) {
   *   if (r.outcome === 'completed') await deliver(r.payment);
   *   else if (r.outcome === 'unresolved') log.warn({ paymentId: r.paymentId, code: r.error?.code });
   * }
   * ```
   */
  recover(options?: CallOptions): Promise<PiRecovery[]>;
}

const DEFAULT_PREFIX = 'authbridge:pi:a2u:';
const DEFAULT_RECORD_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Successive envelopes one payment may get; each needs its predecessor proven dead. */
const MAX_GENERATIONS = 16;
/** Tries of one `submit` or recovery: a rejection for sequence or time is re-inspected, then retried. */
const MAX_TRIES = 3;
/** Horizon's largest page, and how far back the memo search reads. */
const PAGE = 200;
const MAX_PAGES = 25;
/** Clock skew allowed between Pi's `created_at` and the ledger's close times. */
const SKEW_MS = 60_000;
/** Stellar's minimum base fee. */
const MIN_FEE = 100;

/** What an inspection of a payment's transactions found. */
type Verdict =
  | { kind: 'landed'; hash: string }
  | { kind: 'alive'; record: SignedPayment }
  | { kind: 'dead'; generation: number; chain: Chain }
  | { kind: 'none'; chain: Chain };

/** What the ledger said before the lookups: its last close time and the wallet's sequence number. */
interface Chain {
  ledgerSec: number;
  sequence: string | undefined;
}

interface Wallet {
  keypair: Keypair;
  address: string;
  store: KeyValueStore;
  prefix: string;
  ttlMs: number;
  timeBoundsSec: number;
  maxFee: number;
  horizon(network: PiNetwork): Horizon;
}

const noWallet = () =>
  new ConfigurationError('Paying Pioneers needs the app wallet: pi({ apiKey, wallet: { seed, store } }).', {
    provider: 'pi',
  });

/** Checks the wallet options and binds them; `undefined` when the app has no wallet. */
export function createWallet(
  options: PiWalletOptions | undefined,
  http: Omit<HttpOptions, 'baseUrl' | 'headers'>,
  secrets: string[],
): Wallet | undefined {
  if (options === undefined) return undefined;
  const { seed, store } = options;
  if (typeof seed !== 'string' || !StrKey.isValidEd25519SecretSeed(seed)) {
    throw new ConfigurationError(
      "wallet.seed must be the app wallet's secret seed: 'S' and 55 base32 characters (Developer Portal, wallet).",
      { provider: 'pi' },
    );
  }
  // Remembered, so that every error built from now on hides it, whatever path it took.
  checkSecret(seed, { provider: 'pi', name: 'wallet.seed' });
  const methods = ['setIfAbsent', 'get'] as const;
  if (typeof store !== 'object' || store === null || methods.some((m) => typeof store[m] !== 'function')) {
    throw new ConfigurationError(
      'wallet.store must be a KeyValueStore (createMemoryStore(), @authbridge/redis): signed transactions are recorded there before they are submitted.',
      { provider: 'pi' },
    );
  }
  const positive = (name: string, value: number | undefined, fallback: number) => {
    const chosen = value ?? fallback;
    if (!Number.isInteger(chosen) || chosen <= 0) {
      throw new ConfigurationError(`wallet.${name} must be a positive integer.`, { provider: 'pi' });
    }
    return chosen;
  };
  const keypair = Keypair.fromSecret(seed);
  const secretValues = [...secrets, seed];
  const horizons = new Map<PiNetwork, Horizon>();
  const urls = { ...PI_HORIZON_URLS, ...options.horizonUrls };
  const submitTimeout = positive('submitTimeout', options.submitTimeout, 35_000);
  // Checked now, so that a bad URL is a start-up error rather than a payment's.
  for (const network of Object.keys(urls) as PiNetwork[]) {
    horizons.set(network, createHorizon({ ...http, url: urls[network], secretValues, submitTimeout }));
  }
  return {
    keypair,
    address: keypair.publicKey(),
    store,
    prefix: options.prefix ?? DEFAULT_PREFIX,
    ttlMs: positive('recordTtlMs', options.recordTtlMs, DEFAULT_RECORD_TTL_MS),
    timeBoundsSec: positive('timeBoundsSec', options.timeBoundsSec, 180),
    maxFee: positive('maxFeeStroops', options.maxFeeStroops, 1_000_000),
    horizon: (network) => horizons.get(network) as Horizon,
  };
}

const hasCode = (error: unknown, ...codes: string[]) =>
  isAuthBridgeError(error) && error.providerCode !== undefined && codes.includes(error.providerCode);

/** Builds the A2U calls on the payment calls and the app wallet. */
export function createA2U(payments: PiPayments, wallet: Wallet | undefined, now: () => number): PiA2U {
  const need = (): Wallet => {
    if (!wallet) throw noWallet();
    return wallet;
  };

  const recordKey = (w: Wallet, paymentId: string, generation: number) =>
    `${w.prefix}${paymentId}:${generation}`;

  /** The payment's recorded envelopes, oldest first, each checked against the payment. */
  async function records(w: Wallet, payment: PiPayment): Promise<SignedPayment[]> {
    const found: SignedPayment[] = [];
    for (let generation = 0; generation < MAX_GENERATIONS; generation += 1) {
      const raw = await w.store.get(recordKey(w, payment.identifier, generation));
      if (raw === undefined) break;
      let envelope: unknown;
      try {
        envelope = (JSON.parse(raw) as { envelope?: unknown }).envelope;
      } catch {
        envelope = undefined;
      }
      found.push(readSignedPayment(typeof envelope === 'string' ? envelope : '', payment, w.address));
    }
    return found;
  }

  /** The hash of a successful transaction of the wallet whose memo is the payment id, if any. */
  async function findByMemo(w: Wallet, horizon: Horizon, payment: PiPayment, signal?: AbortSignal) {
    const since = Date.parse(payment.created_at) - SKEW_MS;
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const batch = await horizon.transactionsOf(w.address, { cursor, limit: PAGE }, signal);
      const hit = batch.find(
        (tx) => tx.successful && tx.source_account === w.address && tx.memo === payment.identifier,
      );
      if (hit) return hit.hash;
      const oldest = batch.at(-1);
      if (!oldest || batch.length < PAGE || Date.parse(oldest.created_at) < since) return undefined;
      cursor = oldest.paging_token;
      if (cursor === undefined) break;
    }
    // The history could not be read back to the payment's creation: nothing proves it was never paid.
    throw new AuthBridgeError(
      'ERR_PROVIDER_CONFLICT',
      `Payment ${payment.identifier} has no recorded transaction and the app wallet's history on Horizon could not be searched back to its creation; settle it by hand.`,
      { provider: 'pi' },
    );
  }

  /**
   * Whether one of the payment's transactions landed (a recorded hash, or any transaction of the
   * wallet with the payment's memo, should a record have been lost), and whether the newest recorded
   * one can still land. The ledger's time and the wallet's sequence are read first: whatever lands
   * after that, the lookups see, and a new envelope is built on that same sequence, so it and any
   * envelope the lookups missed cannot both land.
   */
  async function inspect(
    w: Wallet,
    horizon: Horizon,
    payment: PiPayment,
    signal?: AbortSignal,
  ): Promise<Verdict> {
    const network = networkOf(payment);
    const root = await horizon.root(signal);
    if (root.passphrase !== undefined && root.passphrase !== network) {
      throw new ConfigurationError(
        `The Horizon at ${horizon.url} serves '${root.passphrase}', but the payment is on '${network}': check wallet.horizonUrls.`,
        { provider: 'pi' },
      );
    }
    const chain: Chain = {
      ledgerSec: Math.floor((root.closedAtMs ?? now()) / 1000),
      sequence: await horizon.sequenceOf(w.address, signal),
    };
    const mine = await records(w, payment);
    const current = mine.at(-1);
    let failedOnLedger = false;
    for (const record of mine) {
      const tx = await horizon.transaction(record.hash, signal);
      if (tx?.successful) return { kind: 'landed', hash: record.hash };
      if (record === current) failedOnLedger = tx !== undefined;
    }
    const byMemo = await findByMemo(w, horizon, payment, signal);
    if (byMemo) return { kind: 'landed', hash: byMemo };
    if (!current) return { kind: 'none', chain };
    const dead =
      failedOnLedger ||
      chain.ledgerSec > current.maxTime ||
      (chain.sequence !== undefined && BigInt(chain.sequence) >= current.sequence);
    return dead ? { kind: 'dead', generation: mine.length, chain } : { kind: 'alive', record: current };
  }

  /** A new signed transaction for the payment, on the sequence and ledger time `inspect` read. */
  async function build(w: Wallet, horizon: Horizon, payment: PiPayment, chain: Chain, signal?: AbortSignal) {
    if (chain.sequence === undefined) {
      throw new ConfigurationError(
        `The app wallet ${w.address} does not exist on '${networkOf(payment)}': fund it first.`,
        { provider: 'pi' },
      );
    }
    const fee = Math.max(await horizon.baseFee(signal), MIN_FEE);
    if (fee > w.maxFee) {
      throw new AuthBridgeError(
        'ERR_PROVIDER_RATE_LIMITED',
        `Horizon asks a fee of ${fee} stroops per operation, above wallet.maxFeeStroops (${w.maxFee}); try again later.`,
        { provider: 'pi', retryable: true },
      );
    }
    return signPayment({
      payment,
      keypair: w.keypair,
      sequence: chain.sequence,
      fee,
      maxTime: chain.ledgerSec + w.timeBoundsSec,
    });
  }

  /**
   * Gets a transaction of the payment on the ledger (`{ hash }`), or, in recovery, cancels the
   * payment once none can land (`{ cancelled }`).
   */
  async function settle(payment: PiPayment, mode: 'submit', signal?: AbortSignal): Promise<{ hash: string }>;
  async function settle(
    payment: PiPayment,
    mode: 'recover',
    signal?: AbortSignal,
  ): Promise<{ hash: string } | { cancelled: PiPayment }>;
  async function settle(
    payment: PiPayment,
    mode: 'submit' | 'recover',
    signal?: AbortSignal,
  ): Promise<{ hash: string } | { cancelled: PiPayment }> {
    const w = need();
    const horizon = w.horizon(networkOf(payment));
    for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
      const verdict = await inspect(w, horizon, payment, signal);
      if (verdict.kind === 'landed') return { hash: verdict.hash };
      let record: SignedPayment;
      if (verdict.kind === 'alive') {
        record = verdict.record;
      } else if (verdict.kind === 'dead' && mode === 'recover') {
        return cancel(payment.identifier, signal);
      } else {
        const generation = verdict.kind === 'dead' ? verdict.generation : 0;
        if (generation >= MAX_GENERATIONS) break;
        record = await build(w, horizon, payment, verdict.chain, signal);
        const key = recordKey(w, payment.identifier, generation);
        const stored = await w.store.setIfAbsent(key, JSON.stringify({ envelope: record.envelope }), w.ttlMs);
        // Another process recorded its own envelope first: inspect again and go on with that one.
        if (!stored) continue;
      }
      try {
        await horizon.submit(record.envelope, signal);
        return { hash: record.hash };
      } catch (error) {
        // Sequence or time refused: perhaps it landed meanwhile, perhaps it is dead. Inspect again.
        if (hasCode(error, 'tx_bad_seq', 'tx_too_late') && attempt + 1 < MAX_TRIES) continue;
        throw error;
      }
    }
    throw new AuthBridgeError(
      'ERR_PROVIDER_CONFLICT',
      `Payment ${payment.identifier} could not get a transaction on the ledger: its transactions kept being refused for sequence or time. Another payment may be using the app wallet; run a2u.recover() later.`,
      { provider: 'pi' },
    );
  }

  /** Cancels; when Pi says a transaction is linked after all, completes with Pi's txid instead. */
  async function cancel(paymentId: string, signal?: AbortSignal) {
    try {
      return { cancelled: await payments.cancel(paymentId, { signal }) };
    } catch (error) {
      if (!isPiError(error, 'payment_tx_present')) throw error;
      const txid = (await payments.get(paymentId, { signal })).transaction?.txid;
      if (!txid) throw error;
      return { hash: txid };
    }
  }

  /** Checks that the payment is ours to pay: app-to-user, from our wallet, well-formed. */
  function assertOurs(payment: PiPayment): void {
    const w = need();
    if (payment.direction !== undefined && payment.direction !== 'app_to_user') {
      throw new AuthBridgeError(
        'ERR_INVALID_ARGUMENT',
        `Payment ${payment.identifier} is not an app-to-user payment.`,
        {
          provider: 'pi',
        },
      );
    }
    if (payment.from_address !== undefined && payment.from_address !== w.address) {
      throw new ConfigurationError(
        `Payment ${payment.identifier} is paid from ${payment.from_address}, but wallet.seed is the seed of ${w.address}: use the seed of this app's wallet.`,
        { provider: 'pi' },
      );
    }
    assertPayable(payment);
  }

  function assertOpen(payment: PiPayment): void {
    const { status } = payment;
    if (status.cancelled || status.user_cancelled) {
      throw new AuthBridgeError('ERR_PROVIDER_CONFLICT', `Payment ${payment.identifier} is cancelled.`, {
        provider: 'pi',
        providerCode: 'cancelled_payment',
      });
    }
  }

  /** Completes with `txid`; a completion that already happened (a lost answer) reads as done. */
  async function complete(paymentId: string, txid: string, signal?: AbortSignal): Promise<PiPayment> {
    try {
      return await payments.complete(paymentId, txid, { signal });
    } catch (error) {
      if (!isPiError(error, 'already_completed')) throw error;
      const done = paymentOf(error) ?? (await payments.get(paymentId, { signal }));
      if (done.transaction?.txid !== txid) throw error;
      return done;
    }
  }

  async function submitPayment(payment: PiPayment, signal?: AbortSignal): Promise<string> {
    assertOurs(payment);
    if (payment.transaction?.txid) return payment.transaction.txid;
    assertOpen(payment);
    return (await settle(payment, 'submit', signal)).hash;
  }

  async function recoverOne(payment: PiPayment, signal?: AbortSignal): Promise<PiRecovery> {
    const paymentId = payment.identifier;
    assertOurs(payment);
    const linked = payment.transaction?.txid;
    const settled = linked ? { hash: linked } : await settle(payment, 'recover', signal);
    if ('cancelled' in settled) return { paymentId, outcome: 'cancelled', payment: settled.cancelled };
    const done = await complete(paymentId, settled.hash, signal);
    return { paymentId, outcome: 'completed', txid: settled.hash, payment: done };
  }

  return {
    pay: async (input, options) => {
      need();
      const payment = await payments.create(input, options);
      const txid = await submitPayment(payment, options?.signal);
      return complete(payment.identifier, txid, options?.signal);
    },
    submit: async (paymentId, options) => {
      need();
      return submitPayment(await payments.get(paymentId, options), options?.signal);
    },
    recover: async (options) => {
      need();
      const results: PiRecovery[] = [];
      for (const payment of await payments.incomplete(options)) {
        try {
          results.push(await recoverOne(payment, options?.signal));
        } catch (error) {
          if (!isAuthBridgeError(error)) throw error;
          results.push({ paymentId: payment.identifier, outcome: 'unresolved', error });
        }
      }
      return results;
    },
  };
}
