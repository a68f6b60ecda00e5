/**
 * The payment transaction as Pi requires it, and the checks a recorded envelope passes before it is
 * resubmitted. Keys are generated here, never live ones.
 */
import { isAuthBridgeError } from '@authbridge/core';
import { Keypair, Networks, Transaction, TransactionBuilder } from '@stellar/stellar-base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountOf, assertPayable, readSignedPayment, signPayment } from './stellar.js';
import type { PiPayment } from './wire.js';

const app = Keypair.random();
const pioneer = Keypair.random();
const payment = (extra: Partial<PiPayment> = {}): PiPayment => ({
  identifier: 'jGCjzZqgg78B6Pf1wzYHFSBTqNIv',
  user_uid: 'uid',
  amount: 1.5,
  memo: 'Refund',
  metadata: {},
  from_address: app.publicKey(),
  to_address: pioneer.publicKey(),
  direction: 'app_to_user',
  created_at: '2026-01-15T12:00:00.000Z',
  network: 'Pi Testnet',
  status: {
    developer_approved: true,
    transaction_verified: false,
    developer_completed: false,
    cancelled: false,
    user_cancelled: false,
  },
  transaction: null,
  ...extra,
});
const sign = (p = payment(), keypair = app) =>
  signPayment({ payment: p, keypair, sequence: '4294967296', fee: 100_000, maxTime: 1_768_478_580 });
const unexpected = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return isAuthBridgeError(error, 'ERR_UNEXPECTED_RESPONSE');
  }
  return false;
};

describe('signPayment', () => {
  it('one native payment to to_address for the amount, memo the identifier, fee, time bounds, next sequence', () => {
    const signed = sign();
    const tx = new Transaction(signed.envelope, 'Pi Testnet');
    expect(tx.source).toBe(app.publicKey());
    expect(tx.sequence).toBe('4294967297');
    expect(tx.fee).toBe('100000');
    expect(tx.timeBounds).toEqual({ minTime: '0', maxTime: '1768478580' });
    expect(tx.memo.type).toBe('text');
    expect(String(tx.memo.value)).toBe('jGCjzZqgg78B6Pf1wzYHFSBTqNIv');
    expect(tx.operations).toEqual([
      expect.objectContaining({ type: 'payment', destination: pioneer.publicKey(), amount: '1.5000000' }),
    ]);
    expect(signed).toMatchObject({
      hash: tx.hash().toString('hex'),
      sequence: 4294967297n,
      maxTime: 1768478580,
    });
  });

  it("signs for the payment's network passphrase: 'Pi Testnet' and 'Pi Network', never Stellar's", () => {
    for (const network of ['Pi Testnet', 'Pi Network'] as const) {
      const signed = sign(payment({ network }));
      const ours = new Transaction(signed.envelope, network);
      const signature = ours.signatures[0]?.signature() as Buffer;
      expect(app.verify(ours.hash(), signature)).toBe(true);
      const stellar = new Transaction(signed.envelope, Networks.PUBLIC);
      expect(app.verify(stellar.hash(), signature)).toBe(false);
    }
  });

  it('refuses a payment Pi should never send: unknown network, bad address, long identifier', () => {
    expect(
      unexpected(() => sign(payment({ network: 'Public Global Stellar Network ; September 2015' }))),
    ).toBe(true);
    expect(unexpected(() => assertPayable(payment({ network: undefined })))).toBe(true);
    expect(unexpected(() => assertPayable(payment({ to_address: 'GNOTANADDRESS' })))).toBe(true);
    expect(unexpected(() => assertPayable(payment({ identifier: 'x'.repeat(29) })))).toBe(true);
    expect(unexpected(() => assertPayable(payment({ amount: 0 })))).toBe(true);
  });
});

describe('amountOf (property)', () => {
  it('is exact to 7 decimals, or refuses', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double(),
          fc.integer({ min: 1, max: 10 ** 9 }).map((n) => n / 1e7),
        ),
        (amount) => {
          const p = payment({ amount });
          if (unexpected(() => amountOf(p))) {
            expect(!(amount > 0) || Number(amount.toFixed(7)) !== amount || amount > 922_337_203_685).toBe(
              true,
            );
            return;
          }
          const text = amountOf(p);
          expect(text).toMatch(/^[0-9]+(\.[0-9]{1,7})?$/);
          expect(Number(text)).toBe(amount);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('readSignedPayment', () => {
  it('reads back what signPayment recorded', () => {
    const signed = sign();
    expect(readSignedPayment(signed.envelope, payment(), app.publicKey())).toEqual(signed);
  });

  it("refuses an envelope that is not this payment's transaction from this wallet", () => {
    const signed = sign();
    expect(
      unexpected(() => readSignedPayment(signed.envelope, payment({ amount: 2 }), app.publicKey())),
    ).toBe(true);
    expect(
      unexpected(() =>
        readSignedPayment(signed.envelope, payment({ to_address: app.publicKey() }), app.publicKey()),
      ),
    ).toBe(true);
    expect(
      unexpected(() =>
        readSignedPayment(
          signed.envelope,
          payment({ identifier: 'aOtherPaymentIdentifier00000' }),
          app.publicKey(),
        ),
      ),
    ).toBe(true);
    expect(unexpected(() => readSignedPayment(signed.envelope, payment(), pioneer.publicKey()))).toBe(true);
    expect(unexpected(() => readSignedPayment('A'.repeat(5000), payment(), app.publicKey()))).toBe(true);
    const fromOther = sign(payment(), pioneer);
    expect(unexpected(() => readSignedPayment(fromOther.envelope, payment(), app.publicKey()))).toBe(true);
  });

  it('throws only ERR_UNEXPECTED_RESPONSE on any string (property)', () => {
    const valid = sign().envelope;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.base64String({ maxLength: 400 }),
          // A valid envelope with one character changed.
          fc
            .nat({ max: valid.length - 1 })
            .chain((i) =>
              fc.constantFrom('A', 'B', '/', '+').map((c) => valid.slice(0, i) + c + valid.slice(i + 1)),
            ),
        ),
        (envelope) => {
          try {
            const read = readSignedPayment(envelope, payment(), app.publicKey());
            // Only an envelope that still decodes to exactly this payment passes.
            const tx = TransactionBuilder.fromXDR(envelope, 'Pi Testnet') as Transaction;
            expect(tx.source).toBe(app.publicKey());
            expect(read.hash).toBe(tx.hash().toString('hex'));
          } catch (error) {
            expect(isAuthBridgeError(error, 'ERR_UNEXPECTED_RESPONSE')).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
