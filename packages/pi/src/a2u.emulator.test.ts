/**
 * App-to-user payments through `@authbridge/pi` against the emulator's Pi API and Horizon, over real
 * HTTP: the whole flow, a crash at every step followed by recovery, and each Horizon refusal.
 */
import { createMemoryStore, type HttpEvent, isAuthBridgeError, type KeyValueStore } from '@authbridge/core';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { rejectionOf as failure } from '@authbridge/test-utils';
import { Keypair } from '@stellar/stellar-base';
import { Horizon } from '@stellar/stellar-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PiWalletOptions } from './a2u.js';
import { resultCodesOf } from './horizon.js';
import { type PiProvider, pi } from './pi.js';
import { signPayment } from './stellar.js';

interface Fixtures {
  apiKey: string;
  horizonPaths: Record<'Pi Testnet' | 'Pi Network', string>;
  apps: Record<string, { apiKey: string; walletAddress: string; walletSeed: string }>;
  users: Record<string, { uid: string; walletAddress: string }>;
}

let emulator: Emulator;
let fx: Fixtures;
let horizonUrl: string;
let sdk: Horizon.Server;
const seed = () => fx.apps.app?.walletSeed ?? '';
const wallet = () => fx.apps.app?.walletAddress ?? '';
const alice = () => fx.users.alice!;
const refund = (amount = 1.5) => ({ amount, memo: 'Refund', metadata: { orderId: 9 }, uid: alice().uid });

beforeAll(async () => {
  emulator = await startEmulator({ providers: ['pi'] });
  fx = emulator.fixtures.pi as Fixtures;
  horizonUrl = `${emulator.urls.pi}${fx.horizonPaths['Pi Testnet']}`;
  sdk = new Horizon.Server(horizonUrl, { allowHttp: true });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.clearFaults();
  emulator.clock.reset();
});

/** Thrown to stand for the process dying at that point. */
class Crash extends Error {}

/** One app process: its own clients, the shared durable store, and optional wrappers. */
function app(
  store: KeyValueStore,
  extra: { fetch?: typeof fetch; wallet?: Partial<PiWalletOptions>; hooks?: PiProviderHooks } = {},
): PiProvider {
  return pi({
    apiKey: fx.apiKey,
    baseUrl: emulator.urls.pi!,
    timeout: 2000,
    retry: { baseDelay: 5, backoffLimit: 20 },
    fetch: extra.fetch,
    hooks: extra.hooks,
    wallet: {
      seed: seed(),
      store,
      horizonUrls: { 'Pi Testnet': horizonUrl },
      submitTimeout: 2000,
      ...extra.wallet,
    },
  });
}
type PiProviderHooks = NonNullable<Parameters<typeof pi>[0]['hooks']>;

/** Alice's native balance in stroops, read with the official SDK. */
async function aliceStroops(): Promise<bigint> {
  const account = await sdk.loadAccount(alice().walletAddress);
  const native = account.balances.find((b) => b.asset_type === 'native')?.balance ?? '0';
  return BigInt(native.replace('.', ''));
}

/** The ledger's successful transactions that pay `paymentId`, read with the official SDK. */
async function landed(paymentId: string) {
  const page = await sdk.transactions().forAccount(alice().walletAddress).limit(200).call();
  return page.records.filter((tx) => tx.memo === paymentId && tx.successful);
}

/** The memo of the one successful payment to Alice on the ledger: there must be exactly one. */
async function onlyPaymentToAlice(): Promise<string> {
  const page = await sdk.transactions().forAccount(alice().walletAddress).limit(200).call();
  const paid = page.records.filter((tx) => tx.successful);
  expect(paid).toHaveLength(1);
  return paid[0]?.memo ?? '';
}

const horizonSubmit = (r: { method: string; subPath: string }) =>
  r.method === 'POST' && r.subPath === '/horizon/testnet/transactions';

describe('a2u.pay against the emulator', () => {
  it('creates, submits and completes: the Pioneer is paid once, the txid is the hash on the ledger', async () => {
    const before = await aliceStroops();
    const paid = await app(createMemoryStore()).a2u.pay(refund());
    expect(paid.status.developer_completed).toBe(true);
    expect(paid.status.transaction_verified).toBe(true);
    const txs = await landed(paid.identifier);
    expect(txs).toHaveLength(1);
    expect(paid.transaction?.txid).toBe(txs[0]?.hash);
    expect((await aliceStroops()) - before).toBe(15_000_000n);
    // The transaction is what Pi requires: from the app wallet, memo the identifier, Pi's base fee.
    const tx = await sdk.transactions().transaction(txs[0]!.hash).call();
    expect(tx).toMatchObject({ source_account: wallet(), memo_type: 'text', fee_charged: '100000' });
    const maxTime = Number(tx.preconditions?.timebounds?.max_time);
    expect(maxTime * 1000).toBeGreaterThan(emulator.clock.now());
    expect(maxTime * 1000).toBeLessThanOrEqual(emulator.clock.now() + 181_000);
    expect(await app(createMemoryStore()).payments.incomplete()).toEqual([]);
  });

  it('submit of an existing payment resolves to the txid; a second submit resubmits nothing new', async () => {
    const store = createMemoryStore();
    const piApp = app(store);
    const created = await piApp.payments.create(refund());
    const txid = await piApp.a2u.submit(created.identifier);
    expect(await piApp.a2u.submit(created.identifier)).toBe(txid);
    expect(emulator.requests.filter(horizonSubmit)).toHaveLength(1);
    const done = await piApp.payments.complete(created.identifier, txid);
    expect(done.status.developer_completed).toBe(true);
    expect(await piApp.a2u.submit(created.identifier)).toBe(txid);
    expect(await landed(created.identifier)).toHaveLength(1);
  });

  it('two processes submitting the same payment at once record one envelope and pay once', async () => {
    const store = createMemoryStore();
    const created = await app(store).payments.create(refund());
    const [a, b] = await Promise.all([
      app(store).a2u.submit(created.identifier),
      app(store).a2u.submit(created.identifier),
    ]);
    expect(a).toBe(b);
    expect(await landed(created.identifier)).toHaveLength(1);
    expect(await store.get(`authbridge:pi:a2u:${created.identifier}:1`)).toBeUndefined();
  });

  it('never lets the seed reach an error, a hook event or a request', async () => {
    const events: HttpEvent[] = [];
    const record = (e: HttpEvent) => events.push(e);
    const hooks = { onRequest: record, onResponse: record, onError: record, onRetry: record };
    const store = createMemoryStore();
    await app(store, { hooks }).a2u.pay(refund());
    emulator.injectFault({
      provider: 'pi',
      method: 'POST',
      path: '/horizon/testnet/transactions',
      fault: { drop: true },
    });
    const created = await app(store).payments.create(refund(2));
    const error = await failure(app(store, { hooks }).a2u.submit(created.identifier));
    expect(error.code).toBe('ERR_NETWORK');
    const seen = JSON.stringify({ events, error, message: error.message, cause: String(error.cause) });
    expect(events.length).toBeGreaterThan(5);
    expect(seen).not.toContain(seed());
    expect(JSON.stringify(emulator.requests)).not.toContain(seed());
  });

  it('refuses a wallet whose seed is not the payment’s from_address, before touching Horizon', async () => {
    const store = createMemoryStore();
    const created = await app(store).payments.create(refund());
    const other = app(store, { wallet: { seed: fx.apps.otherApp!.walletSeed } });
    const error = await failure(other.a2u.submit(created.identifier));
    expect(error.code).toBe('ERR_CONFIG');
    expect(emulator.requests.some((r) => r.subPath.startsWith('/horizon/'))).toBe(false);
  });

  it('checks the options: a malformed seed and a missing store are ERR_CONFIG without the seed', () => {
    const bad = `${seed().slice(0, -1)}A`;
    const error = (() => {
      try {
        pi({ apiKey: fx.apiKey, wallet: { seed: bad, store: createMemoryStore() } });
      } catch (e) {
        return e;
      }
    })();
    expect(isAuthBridgeError(error, 'ERR_CONFIG')).toBe(true);
    expect(String((error as Error).message)).not.toContain(bad);
    expect(() => pi({ apiKey: fx.apiKey, wallet: { seed: seed() } as PiWalletOptions })).toThrow(/store/);
    return expect(pi({ apiKey: fx.apiKey }).a2u.recover()).rejects.toMatchObject({ code: 'ERR_CONFIG' });
  });
});

/** Where the first process dies. */
const STEPS = [
  'after create',
  'after record',
  'while sending the submission',
  'submission answer lost',
  'after Horizon accepted',
  'before complete',
  'complete answer lost',
] as const;
type Step = (typeof STEPS)[number];

/**
 * A process that dies at `step`: the fetch and the store it is given throw {@link Crash} there. The
 * `submission answer lost` step stalls Horizon's answer past the client's timeout instead.
 */
function crashingApp(store: KeyValueStore, step: Step | undefined): PiProvider {
  const path = (input: Parameters<typeof fetch>[0]) =>
    new URL(input instanceof Request ? input.url : String(input)).pathname;
  const method = (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    (input instanceof Request ? input.method : (init?.method ?? 'GET')).toUpperCase();
  const crashingFetch: typeof fetch = async (input, init) => {
    const p = path(input);
    const post = method(input, init) === 'POST';
    const submission = post && p.endsWith('/horizon/testnet/transactions');
    const completion = post && p.endsWith('/complete');
    if (step === 'while sending the submission' && submission) throw new Crash();
    if (step === 'before complete' && completion) throw new Crash();
    const response = await fetch(input, init);
    if (step === 'after create' && post && p.endsWith('/v2/payments')) throw new Crash();
    if (step === 'after Horizon accepted' && submission && response.ok) throw new Crash();
    if (step === 'complete answer lost' && completion) throw new Crash();
    return response;
  };
  const crashingStore: KeyValueStore = {
    ...store,
    get: (key) => store.get(key),
    set: (key, value, ttl) => store.set(key, value, ttl),
    consume: (key) => store.consume(key),
    delete: (key) => store.delete(key),
    setIfAbsent: async (key, value, ttl) => {
      const stored = await store.setIfAbsent(key, value, ttl);
      if (step === 'after record') throw new Crash();
      return stored;
    },
  };
  if (step === 'submission answer lost') {
    emulator.injectFault({
      provider: 'pi',
      method: 'POST',
      path: '/horizon/testnet/transactions',
      times: 3,
      fault: { stallBodyMs: 1500 },
    });
  }
  return app(crashingStore, { fetch: crashingFetch, wallet: { submitTimeout: 300 } });
}

/** Runs `call`, swallowing the crash (or the error the crash caused) of a dying process. */
async function dies(call: Promise<unknown>): Promise<void> {
  await call.then(
    () => undefined,
    () => undefined,
  );
  emulator.clearFaults();
}

describe('crash at every step, then recovery', () => {
  for (const step of STEPS) {
    it(`crash ${step}: recovery pays the Pioneer exactly once and completes the payment`, async () => {
      const store = createMemoryStore();
      const before = await aliceStroops();
      const dying = crashingApp(store, step);
      await expect(dying.a2u.pay(refund())).rejects.toBeDefined();
      emulator.clearFaults();
      const incomplete = await app(store).payments.incomplete();
      const results = await app(store).a2u.recover();
      const paymentId = await onlyPaymentToAlice();
      // A completion whose answer was lost did happen: nothing is left for recovery.
      expect(results).toEqual(
        step === 'complete answer lost' ? [] : [expect.objectContaining({ paymentId, outcome: 'completed' })],
      );
      expect(incomplete.map((p) => p.identifier)).toEqual(step === 'complete answer lost' ? [] : [paymentId]);
      const payment = await app(store).payments.get(paymentId);
      expect(payment.status.developer_completed).toBe(true);
      expect((await aliceStroops()) - before).toBe(15_000_000n);
      // Recovering again changes nothing.
      expect(await app(store).a2u.recover()).toEqual([]);
      expect(await landed(payment.identifier)).toHaveLength(1);
    });
  }

  // 42 runs against the emulator, each a few round trips: minutes on a loaded machine, not seconds.
  it('a crash in the first run and another in the recovery, at every pair of steps, still pays once', async () => {
    for (const first of STEPS) {
      for (const second of STEPS.filter((s) => s !== 'after create')) {
        emulator.reset();
        emulator.clearFaults();
        const store = createMemoryStore();
        const before = await aliceStroops();
        await dies(crashingApp(store, first).a2u.pay(refund()));
        await dies(crashingApp(store, second).a2u.recover());
        await app(store).a2u.recover();
        const paymentId = await onlyPaymentToAlice();
        const payment = await app(store).payments.get(paymentId);
        expect({ first, second, completed: payment.status.developer_completed }).toEqual({
          first,
          second,
          completed: true,
        });
        expect((await aliceStroops()) - before).toBe(15_000_000n);
      }
    }
  }, 180_000);

  it('crash after record, time bounds passed: recovery cancels, the Pioneer is not paid', async () => {
    const store = createMemoryStore();
    const before = await aliceStroops();
    await dies(crashingApp(store, 'after record').a2u.pay(refund()));
    const [created] = await app(store).payments.incomplete();
    emulator.clock.advance(181_000);
    const results = await app(store).a2u.recover();
    expect(results).toEqual([
      expect.objectContaining({ paymentId: created?.identifier, outcome: 'cancelled' }),
    ]);
    expect(results[0]?.payment?.status.cancelled).toBe(true);
    expect(await landed(created?.identifier ?? '')).toHaveLength(0);
    expect(await aliceStroops()).toBe(before);
    // The recorded envelope was never sent: not by the dying process, not by recovery.
    expect(emulator.requests.filter(horizonSubmit)).toHaveLength(0);
  });

  it('a payment Pi has linked to a transaction is completed with that txid, never cancelled or paid again', async () => {
    const store = createMemoryStore();
    const piApp = app(store);
    const created = await piApp.payments.create(refund());
    // Another signer paid the wrong amount; completing with it links it unverified.
    const wrong = await fetch(`${emulator.urls.pi}/_emulator/payments/${created.identifier}/transaction`, {
      method: 'POST',
      body: JSON.stringify({ amount: 9 }),
    }).then((r) => r.json() as Promise<{ txid: string }>);
    expect((await failure(piApp.payments.complete(created.identifier, wrong.txid))).providerCode).toBe(
      'not_verified',
    );
    emulator.clock.advance(3_600_000);
    const [result] = await piApp.a2u.recover();
    expect(result).toMatchObject({
      paymentId: created.identifier,
      outcome: 'unresolved',
      error: { providerCode: 'not_verified' },
    });
    expect(emulator.requests.some((r) => r.subPath.endsWith('/cancel'))).toBe(false);
    expect(emulator.requests.filter(horizonSubmit)).toHaveLength(0);
    expect(await piApp.a2u.submit(created.identifier)).toBe(wrong.txid);
  });

  it('a store that lost its record: recovery finds the landed transaction by memo and completes, paying once', async () => {
    const before = await aliceStroops();
    await dies(crashingApp(createMemoryStore(), 'after Horizon accepted').a2u.pay(refund()));
    const [result] = await app(createMemoryStore()).a2u.recover();
    expect(result).toMatchObject({ outcome: 'completed' });
    expect(await onlyPaymentToAlice()).toBe(result?.paymentId);
    expect((await aliceStroops()) - before).toBe(15_000_000n);
  });

  it('a record that is not the envelope that landed does not make recovery cancel a paid payment', async () => {
    const store = createMemoryStore();
    await dies(crashingApp(createMemoryStore(), 'after Horizon accepted').a2u.pay(refund()));
    const [created] = await app(store).payments.incomplete();
    // This store holds another signed envelope of the payment, on the sequence the landed one used.
    const account = await sdk.loadAccount(wallet());
    const other = signPayment({
      payment: created!,
      keypair: Keypair.fromSecret(seed()),
      sequence: (BigInt(account.sequenceNumber()) - 1n).toString(),
      fee: 200_000,
      maxTime: Math.floor(emulator.clock.now() / 1000) + 180,
    });
    await store.setIfAbsent(
      `authbridge:pi:a2u:${created!.identifier}:0`,
      JSON.stringify({ envelope: other.envelope }),
      60_000,
    );
    const [result] = await app(store).a2u.recover();
    expect(result).toMatchObject({ paymentId: created!.identifier, outcome: 'completed' });
    expect(result?.txid).not.toBe(other.hash);
    expect(await landed(created!.identifier)).toHaveLength(1);
  });

  it('an envelope that may still land is resubmitted, never replaced, until its time bounds pass', async () => {
    const store = createMemoryStore();
    // Horizon advertises a fee below the network's: the envelope is refused, but stays valid.
    emulator.injectFault({
      provider: 'pi',
      method: 'GET',
      path: '/horizon/testnet/fee_stats',
      fault: { status: 200, body: { last_ledger_base_fee: '100' } },
    });
    const error = await failure(app(store).a2u.pay(refund()));
    expect(error).toMatchObject({
      code: 'ERR_PROVIDER_RATE_LIMITED',
      providerCode: 'tx_insufficient_fee',
      retryable: true,
    });
    emulator.clearFaults();
    const [created] = await app(store).payments.incomplete();
    const first = await app(store).a2u.recover();
    expect(first[0]).toMatchObject({ outcome: 'unresolved', error: { providerCode: 'tx_insufficient_fee' } });
    const bodies = emulator.requests.filter(horizonSubmit).map((r) => r.body);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    emulator.clock.advance(181_000);
    const second = await app(store).a2u.recover();
    expect(second[0]).toMatchObject({ paymentId: created?.identifier, outcome: 'cancelled' });
    expect(emulator.requests.filter(horizonSubmit)).toHaveLength(2);
  });
});

describe('Horizon errors, each from a real condition on the emulated ledger', () => {
  /** A fetch that runs `before` ahead of each Horizon submission, `times` times. */
  const beforeSubmit = (before: () => Promise<unknown>, times = Number.POSITIVE_INFINITY): typeof fetch => {
    let left = times;
    return async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/horizon/testnet/transactions') && left > 0) {
        left -= 1;
        await before();
      }
      return fetch(input, init);
    };
  };
  const setAccount = (account: string, body: Record<string, unknown>) =>
    fetch(`${emulator.urls.pi}/_emulator/horizon/accounts/${account}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
  /** Another transaction of the wallet takes the sequence number the envelope was built on. */
  const bumpSequence = async () => {
    const account = await sdk.loadAccount(wallet());
    await setAccount(wallet(), { sequence: (BigInt(account.sequenceNumber()) + 1n).toString() });
  };

  it('tx_bad_seq once: the dead envelope is proven dead and replaced; paid once', async () => {
    const store = createMemoryStore();
    const paid = await app(store, { fetch: beforeSubmit(bumpSequence, 1) }).a2u.pay(refund());
    expect(paid.status.developer_completed).toBe(true);
    expect(await landed(paid.identifier)).toHaveLength(1);
    expect(await store.get(`authbridge:pi:a2u:${paid.identifier}:1`)).toBeDefined();
  });

  it('tx_bad_seq every time: ERR_PROVIDER_CONFLICT after three envelopes, none landed', async () => {
    const store = createMemoryStore();
    const error = await failure(app(store, { fetch: beforeSubmit(bumpSequence) }).a2u.pay(refund()));
    expect(error).toMatchObject({
      code: 'ERR_PROVIDER_CONFLICT',
      providerCode: 'tx_bad_seq',
      retryable: false,
    });
    expect(resultCodesOf(error)).toEqual({ transaction: 'tx_bad_seq' });
    expect(emulator.requests.filter(horizonSubmit)).toHaveLength(3);
  });

  it('tx_too_late: submit replaces the expired envelope; recover would cancel', async () => {
    const store = createMemoryStore();
    const advance = async () => emulator.clock.advance(181_000);
    const paid = await app(store, { fetch: beforeSubmit(advance, 1) }).a2u.pay(refund());
    expect(paid.status.developer_completed).toBe(true);
    expect(await landed(paid.identifier)).toHaveLength(1);
    const again = await failure(app(store, { fetch: beforeSubmit(advance) }).a2u.pay(refund()));
    expect(again).toMatchObject({ code: 'ERR_PROVIDER_CONFLICT', providerCode: 'tx_too_late' });
  });

  it('tx_too_early (Horizon says so): ERR_PROVIDER_BAD_REQUEST, retryable, envelope kept', async () => {
    const store = createMemoryStore();
    emulator.injectFault({
      provider: 'pi',
      method: 'POST',
      path: '/horizon/testnet/transactions',
      times: 1,
      fault: {
        status: 400,
        body: {
          type: 'https://stellar.org/horizon-errors/transaction_failed',
          title: 'Transaction Failed',
          status: 400,
          extras: { result_codes: { transaction: 'tx_too_early' } },
        },
      },
    });
    const error = await failure(app(store).a2u.pay(refund()));
    expect(error).toMatchObject({
      code: 'ERR_PROVIDER_BAD_REQUEST',
      providerCode: 'tx_too_early',
      retryable: true,
    });
    const [result] = await app(store).a2u.recover();
    expect(result?.outcome).toBe('completed');
    const bodies = emulator.requests.filter(horizonSubmit).map((r) => r.body);
    expect(new Set(bodies).size).toBe(1);
  });

  it('op_underfunded: failed on the ledger, fee charged; after funding, a new envelope pays once', async () => {
    const store = createMemoryStore();
    await setAccount(wallet(), { balance: 1 });
    const error = await failure(app(store).a2u.pay(refund()));
    expect(error).toMatchObject({
      code: 'ERR_PROVIDER_BAD_REQUEST',
      providerCode: 'op_underfunded',
      retryable: false,
    });
    expect(resultCodesOf(error)).toEqual({ transaction: 'tx_failed', operations: ['op_underfunded'] });
    await setAccount(wallet(), { balance: 100 });
    const [created] = await app(store).payments.incomplete();
    const txid = await app(store).a2u.submit(created!.identifier);
    await app(store).payments.complete(created!.identifier, txid);
    expect(await landed(created!.identifier)).toHaveLength(1);
  });

  it('op_no_destination: ERR_PROVIDER_NOT_FOUND; recovery cancels the payment that can never land', async () => {
    const store = createMemoryStore();
    await setAccount(alice().walletAddress, { balance: null });
    const error = await failure(app(store).a2u.pay(refund()));
    expect(error).toMatchObject({ code: 'ERR_PROVIDER_NOT_FOUND', providerCode: 'op_no_destination' });
    const [result] = await app(store).a2u.recover();
    expect(result?.outcome).toBe('cancelled');
  });

  it('a dropped connection: retried with the same envelope, then ERR_NETWORK; recovery completes it', async () => {
    const store = createMemoryStore();
    emulator.injectFault({
      provider: 'pi',
      method: 'POST',
      path: '/horizon/testnet/transactions',
      fault: { drop: true },
    });
    const error = await failure(app(store).a2u.pay(refund()));
    expect(error).toMatchObject({ code: 'ERR_NETWORK', retryable: true });
    const sent = emulator.requests.filter(horizonSubmit).map((r) => r.body);
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(1);
    emulator.clearFaults();
    const [result] = await app(store).a2u.recover();
    expect(result?.outcome).toBe('completed');
    expect(await landed(result!.paymentId)).toHaveLength(1);
  });

  it('Horizon 504 (its own wait ran out): the same envelope again; the ledger counts it once', async () => {
    const store = createMemoryStore();
    emulator.injectFault({
      provider: 'pi',
      method: 'POST',
      path: '/horizon/testnet/transactions',
      times: 1,
      fault: {
        status: 504,
        body: { type: 'https://stellar.org/horizon-errors/timeout', title: 'Timeout', status: 504 },
      },
    });
    const paid = await app(store).a2u.pay(refund());
    expect(paid.status.developer_completed).toBe(true);
    expect(emulator.requests.filter(horizonSubmit)).toHaveLength(2);
    expect(await landed(paid.identifier)).toHaveLength(1);
  });
});
