/**
 * The emulator's Horizon against the official Stellar SDK's Horizon client, unchanged, over real HTTP:
 * what an app using `@stellar/stellar-sdk` sees, and each of stellar-core's refusals.
 */
import { Asset, Horizon, Keypair, Memo, Operation, TransactionBuilder } from '@stellar/stellar-sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../server.js';

interface Fixtures {
  horizonPaths: Record<'Pi Testnet' | 'Pi Network', string>;
  apps: Record<string, { walletAddress: string; walletSeed: string }>;
  users: Record<string, { walletAddress?: string }>;
}

let emulator: Emulator;
let fx: Fixtures;
let server: Horizon.Server;
let horizonUrl: string;
const NETWORK = 'Pi Testnet';
const wallet = () => Keypair.fromSecret(fx.apps.app?.walletSeed ?? '');
const alice = () => fx.users.alice?.walletAddress ?? '';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

beforeAll(async () => {
  emulator = await startEmulator({ providers: ['pi'] });
  fx = emulator.fixtures.pi as Fixtures;
  horizonUrl = `${emulator.urls.pi}${fx.horizonPaths[NETWORK]}`;
  server = new Horizon.Server(horizonUrl, { allowHttp: true });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.clearFaults();
  emulator.clock.reset();
});

interface Build {
  amount?: string;
  destination?: string;
  fee?: string;
  memo?: string;
  timebounds?: { minTime: number; maxTime: number };
  signer?: Keypair;
  sequenceOffset?: number;
}

async function build(options: Build = {}) {
  const account = await server.loadAccount(wallet().publicKey());
  for (let i = 0; i < (options.sequenceOffset ?? 0); i += 1) account.incrementSequenceNumber();
  const tx = new TransactionBuilder(account, {
    fee: options.fee ?? String(await server.fetchBaseFee()),
    networkPassphrase: NETWORK,
    timebounds: options.timebounds ?? (await server.fetchTimebounds(180)),
  })
    .addOperation(
      Operation.payment({
        destination: options.destination ?? alice(),
        asset: Asset.native(),
        amount: options.amount ?? '1.5',
      }),
    )
    .addMemo(Memo.text(options.memo ?? 'aPaymentIdentifierOf28Chars0'))
    .build();
  tx.sign(options.signer ?? wallet());
  return tx;
}

/** The result codes of a refused submission, from the SDK's error. */
async function refusal(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => {
      throw new Error('the submission succeeded');
    },
    (e: unknown) => e,
  )) as { response?: { status: number; data: { extras?: { result_codes?: unknown } } } };
  return { status: error.response?.status, codes: error.response?.data.extras?.result_codes };
}

const balanceOf = async (id: string) =>
  (await server.loadAccount(id)).balances.find((b) => b.asset_type === 'native')?.balance;

describe("the emulator's Horizon through @stellar/stellar-sdk", () => {
  it('loads accounts, reads the fee and the root, submits a payment and finds it by hash', async () => {
    const account = await server.loadAccount(wallet().publicKey());
    expect(account.sequenceNumber()).toBe(String(1n << 32n));
    expect(await balanceOf(alice())).toBe('1000.0000000');
    expect(await server.fetchBaseFee()).toBe(100_000);
    const root = await server.root();
    expect(root.network_passphrase).toBe(NETWORK);

    const tx = await build();
    const result = await server.submitTransaction(tx);
    expect(result.hash).toBe(hex(tx.hash()));
    expect(result.successful).toBe(true);
    const found = await server.transactions().transaction(result.hash).call();
    expect(found).toMatchObject({
      hash: result.hash,
      memo: 'aPaymentIdentifierOf28Chars0',
      successful: true,
    });
    expect(await balanceOf(alice())).toBe('1001.5000000');
    // 1.5 paid plus the 0.01 fee.
    expect(await balanceOf(wallet().publicKey())).toBe('998.4900000');
    expect((await server.loadAccount(wallet().publicKey())).sequenceNumber()).toBe(String((1n << 32n) + 1n));
    const mine = await server.transactions().forAccount(alice()).call();
    expect(mine.records.map((r) => r.hash)).toEqual([result.hash]);
  });

  it('takes the time bounds from the Date header, set by the emulator clock', async () => {
    emulator.clock.advance(3_600_000);
    // The SDK keeps the server time of the last answer it read, per host.
    await server.root();
    const bounds = await server.fetchTimebounds(180);
    expect(Math.abs(bounds.maxTime - Math.floor(emulator.clock.now() / 1000) - 180)).toBeLessThanOrEqual(2);
  });

  it('the same envelope twice is one payment, answered with the same hash', async () => {
    const tx = await build();
    const first = await server.submitTransaction(tx);
    const again = await server.submitTransaction(tx);
    expect(again.hash).toBe(first.hash);
    expect(await balanceOf(alice())).toBe('1001.5000000');
  });

  it('tx_bad_seq: a used or skipped sequence number, nothing applied', async () => {
    await server.submitTransaction(await build());
    const stale = await build();
    await server.submitTransaction(await build({ amount: '2' }));
    expect(await refusal(server.submitTransaction(stale))).toEqual({
      status: 400,
      codes: { transaction: 'tx_bad_seq' },
    });
    expect(await refusal(server.submitTransaction(await build({ sequenceOffset: 1 })))).toMatchObject({
      codes: { transaction: 'tx_bad_seq' },
    });
    expect(await balanceOf(alice())).toBe('1003.5000000');
  });

  it('tx_too_early and tx_too_late follow the emulator clock', async () => {
    const nowSec = Math.floor(emulator.clock.now() / 1000);
    const early = await build({ timebounds: { minTime: nowSec + 600, maxTime: nowSec + 900 } });
    expect((await refusal(server.submitTransaction(early))).codes).toEqual({ transaction: 'tx_too_early' });
    const late = await build({ timebounds: { minTime: 0, maxTime: nowSec + 60 } });
    emulator.clock.advance(61_000);
    expect((await refusal(server.submitTransaction(late))).codes).toEqual({ transaction: 'tx_too_late' });
    expect(await balanceOf(alice())).toBe('1000.0000000');
  });

  it('tx_insufficient_fee below the base fee of fee_stats', async () => {
    const cheap = await build({ fee: '100' });
    expect((await refusal(server.submitTransaction(cheap))).codes).toEqual({
      transaction: 'tx_insufficient_fee',
    });
  });

  it('tx_bad_auth when the app wallet did not sign', async () => {
    const forged = await build({ signer: Keypair.random() });
    expect((await refusal(server.submitTransaction(forged))).codes).toEqual({ transaction: 'tx_bad_auth' });
  });

  it('op_underfunded and op_no_destination fail on the ledger: fee charged, sequence used', async () => {
    await fetch(`${emulator.urls.pi}/_emulator/horizon/accounts/${wallet().publicKey()}`, {
      method: 'POST',
      body: JSON.stringify({ balance: 1 }),
    });
    const poor = await build({ amount: '5' });
    expect((await refusal(server.submitTransaction(poor))).codes).toEqual({
      transaction: 'tx_failed',
      operations: ['op_underfunded'],
    });
    const recorded = await server.transactions().transaction(hex(poor.hash())).call();
    expect(recorded.successful).toBe(false);
    expect(await balanceOf(wallet().publicKey())).toBe('0.9900000');
    // Resubmitting the failed envelope answers its recorded failure, and charges nothing more.
    expect((await refusal(server.submitTransaction(poor))).codes).toMatchObject({ transaction: 'tx_failed' });
    expect(await balanceOf(wallet().publicKey())).toBe('0.9900000');

    const nobody = Keypair.random().publicKey();
    expect(
      (await refusal(server.submitTransaction(await build({ amount: '0.1', destination: nobody })))).codes,
    ).toEqual({
      transaction: 'tx_failed',
      operations: ['op_no_destination'],
    });
    expect((await server.loadAccount(wallet().publicKey())).sequenceNumber()).toBe(String((1n << 32n) + 2n));
  });

  it('an unknown account and an unknown transaction are 404 in Horizon shape; garbage is transaction_malformed', async () => {
    const missing = await fetch(`${horizonUrl}/accounts/${Keypair.random().publicKey()}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, title: 'Resource Missing' });
    expect((await fetch(`${horizonUrl}/transactions/${'0'.repeat(64)}`)).status).toBe(404);
    const garbage = await fetch(`${horizonUrl}/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'tx=bm90IGFuIGVudmVsb3Bl',
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({
      type: 'https://stellar.org/horizon-errors/transaction_malformed',
    });
  });

  it('an envelope signed for the other network does not decode to a valid signature', async () => {
    const mainnet = new Horizon.Server(`${emulator.urls.pi}${fx.horizonPaths['Pi Network']}`, {
      allowHttp: true,
    });
    const tx = await build();
    expect((await refusal(mainnet.submitTransaction(tx))).codes).toEqual({ transaction: 'tx_bad_auth' });
  });

  it('fault injection reaches the Horizon routes', async () => {
    emulator.injectFault({
      provider: 'pi',
      method: 'GET',
      path: '/horizon/testnet/fee_stats',
      times: 1,
      fault: { status: 503 },
    });
    await expect(server.fetchBaseFee()).rejects.toThrow();
    expect(await server.fetchBaseFee()).toBe(100_000);
  });

  it('any posted body is answered in Horizon shape, never a 500; mutations of one envelope pay at most once (property)', async () => {
    const valid = (await build()).toEnvelope().toXDR('base64');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }).map((tx) => `tx=${encodeURIComponent(tx)}`),
          fc.base64String({ maxLength: 400 }).map((tx) => `tx=${encodeURIComponent(tx)}`),
          fc
            .nat({ max: valid.length - 1 })
            .map(
              (i) =>
                `tx=${encodeURIComponent(`${valid.slice(0, i)}${valid[i] === 'A' ? 'B' : 'A'}${valid.slice(i + 1)}`)}`,
            ),
          fc.string({ maxLength: 100 }),
        ),
        async (body) => {
          const response = await fetch(`${horizonUrl}/transactions`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
          });
          const json = (await response.json()) as { status?: number; successful?: boolean };
          expect([200, 400]).toContain(response.status);
          if (response.status === 400) expect(json.status).toBe(400);
        },
      ),
      { numRuns: 150 },
    );
    // A mutation of the signature hint keeps the hash and the signature valid: still one payment.
    expect(Number(await balanceOf(alice()))).toBeLessThanOrEqual(1001.5);
  });
});
