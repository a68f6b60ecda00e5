/**
 * The Stellar transaction of an app-to-user payment, as Pi verifies it (spec §6.2): one native
 * `payment` operation from the app wallet to the payment's `to_address` for its amount, the payment
 * identifier as a text memo, time bounds, and the network passphrase of the payment's network.
 * Built and signed with `@stellar/stellar-base`; recorded envelopes are decoded and checked against
 * the payment again before they are resubmitted, so a store can never make us send something else.
 */

import { UnexpectedResponseError } from '@authbridge/core';
import {
  Account,
  Asset,
  FeeBumpTransaction,
  type Keypair,
  Memo,
  Operation,
  StrKey,
  TransactionBuilder,
} from '@stellar/stellar-base';
import type { PiNetwork } from './horizon.js';
import type { PiPayment } from './wire.js';

/** A signed payment transaction: what is recorded before it is submitted. */
export interface SignedPayment {
  /** The transaction hash: the txid Pi completes with. */
  hash: string;
  /** The signed envelope, base64 XDR: resubmitted as is. */
  envelope: string;
  /** Its sequence number. */
  sequence: bigint;
  /** The end of its time bounds, unix seconds: after the ledger passes it, it can never land. */
  maxTime: number;
}

// Below the largest amount a Stellar int64 of stroops holds (922337203685.4775807).
const MAX_AMOUNT = 922_337_203_685;
// A one-operation payment envelope is about 300 base64 characters.
const MAX_ENVELOPE_CHARS = 4096;
const NETWORKS: readonly string[] = ['Pi Network', 'Pi Testnet'] satisfies PiNetwork[];

const unexpected = (message: string) => new UnexpectedResponseError(message, { provider: 'pi' });

/** The payment's network, checked: it is the passphrase the transaction is signed for. */
export function networkOf(payment: PiPayment): PiNetwork {
  if (payment.network === undefined || !NETWORKS.includes(payment.network)) {
    throw unexpected("Pi sent a payment whose network is neither 'Pi Network' nor 'Pi Testnet'.");
  }
  return payment.network as PiNetwork;
}

/** The payment's amount as Stellar's decimal string (at most 7 decimals), checked. */
export function amountOf(payment: PiPayment): string {
  const { amount } = payment;
  const text = amount > 0 && amount <= MAX_AMOUNT ? amount.toFixed(7) : '';
  if (text === '' || Number(text) !== amount) {
    throw unexpected('Pi sent a payment amount that is not a positive number with at most 7 decimals.');
  }
  return text.replace(/\.?0+$/, '');
}

/** The checks every payment passes before a transaction is built for it or resubmitted. */
export function assertPayable(payment: PiPayment): void {
  networkOf(payment);
  amountOf(payment);
  if (!StrKey.isValidEd25519PublicKey(payment.to_address)) {
    throw unexpected('Pi sent a payment whose to_address is not a Stellar account id.');
  }
  // A text memo holds 28 bytes: Pi's identifiers are 28 alphanumerics.
  if (!/^[A-Za-z0-9]{1,28}$/.test(payment.identifier)) {
    throw unexpected('Pi sent a payment identifier that does not fit a text memo.');
  }
}

/** Builds and signs the payment's transaction on sequence `current + 1`. */
export function signPayment(input: {
  payment: PiPayment;
  keypair: Keypair;
  sequence: string;
  fee: number;
  maxTime: number;
}): SignedPayment {
  const { payment, keypair } = input;
  const account = new Account(keypair.publicKey(), input.sequence);
  const tx = new TransactionBuilder(account, {
    fee: String(input.fee),
    networkPassphrase: networkOf(payment),
    timebounds: { minTime: 0, maxTime: input.maxTime },
  })
    .addOperation(
      Operation.payment({
        destination: payment.to_address,
        asset: Asset.native(),
        amount: amountOf(payment),
      }),
    )
    .addMemo(Memo.text(payment.identifier))
    .build();
  tx.sign(keypair);
  return readSignedPayment(tx.toEnvelope().toXDR('base64'), payment, keypair.publicKey());
}

/**
 * Decodes a recorded envelope and checks that it is this payment's transaction from `wallet`: one
 * native payment of the amount to `to_address`, memo the identifier, signed for the payment's network.
 * Throws `ERR_UNEXPECTED_RESPONSE` otherwise (a store that holds something else is not trusted).
 */
export function readSignedPayment(envelope: string, payment: PiPayment, wallet: string): SignedPayment {
  if (envelope.length > MAX_ENVELOPE_CHARS) {
    throw unexpected(
      `The recorded transaction of payment ${payment.identifier} is too long to be a payment.`,
    );
  }
  let tx: ReturnType<typeof TransactionBuilder.fromXDR>;
  try {
    tx = TransactionBuilder.fromXDR(envelope, networkOf(payment));
  } catch {
    throw unexpected(`The recorded transaction of payment ${payment.identifier} does not decode.`);
  }
  const op = tx instanceof FeeBumpTransaction ? undefined : tx.operations[0];
  const matches =
    !(tx instanceof FeeBumpTransaction) &&
    tx.source === wallet &&
    tx.operations.length === 1 &&
    op?.type === 'payment' &&
    op.asset.isNative() &&
    op.destination === payment.to_address &&
    Number(op.amount) === payment.amount &&
    tx.memo.type === 'text' &&
    String(tx.memo.value) === payment.identifier &&
    tx.timeBounds !== undefined;
  if (!matches || tx instanceof FeeBumpTransaction || !tx.timeBounds) {
    throw unexpected(`The recorded transaction of payment ${payment.identifier} is not that payment's.`);
  }
  return {
    hash: tx.hash().toString('hex'),
    envelope,
    sequence: BigInt(tx.sequence),
    maxTime: Number(tx.timeBounds.maxTime),
  };
}
