/**
 * The emulator's Horizon (Pi's chain API, a Stellar Horizon): one per network, at `/horizon/testnet`
 * (passphrase `Pi Testnet`) and `/horizon/mainnet` (`Pi Network`), both over the world's ledger.
 *
 * Routes, in Horizon's shapes: `GET /` (root, with the latest ledger's close time), `GET /accounts/:id`
 * (sequence, native balance, signer), `GET /fee_stats`, `POST /transactions` (form field `tx`),
 * `GET /transactions/:hash` and `GET /accounts/:id/transactions`. Errors use Horizon's problem shape,
 * with `extras.result_codes` on a rejected transaction. Every answer has a `Date` header from the
 * emulator's clock, which the Stellar SDK reads for its time bounds.
 *
 * `POST /transactions` does what stellar-core and Horizon do, in their order: decode the envelope
 * (`transaction_malformed`), answer a transaction it already holds with its recorded result (Horizon
 * looks a hash up before submitting, so the same envelope twice is one payment), then check the
 * source account (`tx_no_source_account`), time bounds (`tx_too_early`, `tx_too_late`), fee
 * (`tx_insufficient_fee`), sequence (`tx_bad_seq`) and signature (`tx_bad_auth`); a transaction that
 * passes is applied: fee charged, sequence used, then each payment checked for its destination
 * (`op_no_destination`), amount (`op_malformed`) and funds (`op_underfunded`). A failed operation
 * leaves the transaction on the ledger as failed (`successful: false`, fee kept), as on Stellar.
 */
import {
  Asset,
  FeeBumpTransaction,
  Keypair,
  StrKey,
  type Transaction,
  TransactionBuilder,
  xdr,
} from '@stellar/stellar-base';
import type { Context, Hono } from 'hono';
import type { EmulatorEnv } from '../types.js';
import type { LedgerTx, PiNetworkName } from './state.js';
import { isoAt, type PiWorld } from './world.js';

/** The Horizon path of each network, under the Pi base URL. */
export const HORIZON_PATHS: Record<PiNetworkName, string> = {
  'Pi Testnet': '/horizon/testnet',
  'Pi Network': '/horizon/mainnet',
};

// A submitted envelope is base64 XDR; a payment transaction is a few hundred bytes.
const MAX_ENVELOPE_CHARS = 20_000;
const STROOPS_PER_PI = 10_000_000n;
const PROBLEM = 'https://stellar.org/horizon-errors/';

type Ctx = Context<EmulatorEnv>;

/** Horizon's problem body. */
function problem(
  c: Ctx,
  status: number,
  type: string,
  title: string,
  detail: string,
  extras?: Record<string, unknown>,
): Response {
  return c.json(
    { type: `${PROBLEM}${type}`, title, status, detail, ...(extras ? { extras } : {}) },
    status as 400,
  );
}

const notFound = (c: Ctx) =>
  problem(
    c,
    404,
    'not_found',
    'Resource Missing',
    'The resource at the url requested was not found. This usually occurs for one of two reasons: The url requested is not valid, or no data in our database could be found with the parameters provided.',
  );

/** Stroops as Horizon's 7-decimal amount string. */
function amountOf(stroops: bigint): string {
  const whole = stroops / STROOPS_PER_PI;
  const fraction = (stroops % STROOPS_PER_PI).toString().padStart(7, '0');
  return `${whole}.${fraction}`;
}

/** Horizon's account resource. */
function accountResource(world: PiWorld, id: string) {
  const account = world.accounts.get(id);
  if (!account) return undefined;
  return {
    id,
    account_id: id,
    sequence: account.sequence.toString(),
    sequence_ledger: 0,
    sequence_time: '0',
    subentry_count: 0,
    last_modified_ledger: world.ledgerNumber,
    thresholds: { low_threshold: 0, med_threshold: 0, high_threshold: 0 },
    flags: {
      auth_required: false,
      auth_revocable: false,
      auth_immutable: false,
      auth_clawback_enabled: false,
    },
    balances: [
      {
        balance: amountOf(account.balance),
        buying_liabilities: '0.0000000',
        selling_liabilities: '0.0000000',
        asset_type: 'native',
      },
    ],
    signers: [{ weight: 1, key: id, type: 'ed25519_public_key' }],
    data: {},
    num_sponsoring: 0,
    num_sponsored: 0,
    paging_token: id,
  };
}

/** Horizon's transaction resource (the emulator's Pioneer-signed stand-ins have no envelope). */
export function transactionResource(tx: LedgerTx, pagingToken: string) {
  const s = tx.submitted;
  return {
    id: tx.txid,
    paging_token: pagingToken,
    successful: tx.successful,
    hash: tx.txid,
    ledger: s?.ledger ?? 1,
    created_at: isoAt(tx.createdAtMs),
    source_account: tx.from,
    source_account_sequence: s?.sequence ?? '0',
    fee_account: tx.from,
    fee_charged: s?.fee ?? '100000',
    max_fee: s?.fee ?? '100000',
    operation_count: 1,
    envelope_xdr: s?.envelopeXdr ?? '',
    result_xdr: s?.resultXdr ?? '',
    memo_type: 'text',
    memo: tx.memo,
    signatures: s?.signatures ?? [],
    ...(s
      ? {
          valid_after: isoAt(Number(s.minTime) * 1000),
          ...(s.maxTime === '0' ? {} : { valid_before: isoAt(Number(s.maxTime) * 1000) }),
          preconditions: { timebounds: { min_time: s.minTime, max_time: s.maxTime } },
        }
      : {}),
  };
}

/** The transaction result XDR Horizon returns: success, a failed operation, or a rejection. */
function resultXdr(fee: bigint, result: xdr.TransactionResultResult): string {
  return new xdr.TransactionResult({
    feeCharged: xdr.Int64.fromString(fee.toString()),
    result,
    ext: new xdr.TransactionResultExt(0),
  }).toXDR('base64');
}

const paymentResult = (code: 'success' | 'op_no_destination' | 'op_underfunded' | 'op_malformed') => {
  const inner =
    code === 'success'
      ? xdr.PaymentResult.paymentSuccess()
      : code === 'op_no_destination'
        ? xdr.PaymentResult.paymentNoDestination()
        : code === 'op_underfunded'
          ? xdr.PaymentResult.paymentUnderfunded()
          : xdr.PaymentResult.paymentMalformed();
  return xdr.OperationResult.opInner(xdr.OperationResultTr.payment(inner));
};

const REJECTIONS = {
  tx_no_source_account: () => xdr.TransactionResultResult.txNoAccount(),
  tx_too_early: () => xdr.TransactionResultResult.txTooEarly(),
  tx_too_late: () => xdr.TransactionResultResult.txTooLate(),
  tx_insufficient_fee: () => xdr.TransactionResultResult.txInsufficientFee(),
  tx_bad_seq: () => xdr.TransactionResultResult.txBadSeq(),
  tx_bad_auth: () => xdr.TransactionResultResult.txBadAuth(),
} as const;

/** Horizon's 400 for a transaction stellar-core refused (nothing applied) or applied as failed. */
function failed(c: Ctx, envelope: string, result: string, transaction: string, operations?: string[]) {
  return problem(
    c,
    400,
    'transaction_failed',
    'Transaction Failed',
    'The transaction failed when submitted to the stellar network. The `extras.result_codes` field on this response contains further details.',
    {
      envelope_xdr: envelope,
      result_xdr: result,
      result_codes: { transaction, ...(operations ? { operations } : {}) },
    },
  );
}

/** Mounts the Horizon of `network` under its path. */
export function mountHorizon(app: Hono<EmulatorEnv>, world: PiWorld, network: PiNetworkName): void {
  const base = HORIZON_PATHS[network];
  const now = () => world.context.now();
  const seconds = () => BigInt(Math.floor(now() / 1000));

  // Horizon dates every answer; the Stellar SDK takes the server's time from it.
  app.use(`${base}/*`, async (c, next) => {
    await next();
    c.res.headers.set('date', new Date(now()).toUTCString());
  });

  const root = (c: Ctx) => {
    const closedAt = isoAt(now());
    return c.json({
      _links: {
        account: { href: `${world.context.baseUrl()}${base}/accounts/{account_id}`, templated: true },
        fee_stats: { href: `${world.context.baseUrl()}${base}/fee_stats` },
        transactions: { href: `${world.context.baseUrl()}${base}/transactions{?cursor,limit,order}` },
      },
      horizon_version: 'authbridge-emulator',
      core_version: 'authbridge-emulator',
      ingest_latest_ledger: world.ledgerNumber,
      history_latest_ledger: world.ledgerNumber,
      history_latest_ledger_closed_at: closedAt,
      history_elder_ledger: 1,
      core_latest_ledger: world.ledgerNumber,
      network_passphrase: network,
      current_protocol_version: 19,
      supported_protocol_version: 19,
      core_supported_protocol_version: 19,
    });
  };
  app.get(base, root);
  app.get(`${base}/`, root);

  app.get(`${base}/fee_stats`, (c) => {
    const fee = String(world.settings.baseFeeStroops);
    const spread = Object.fromEntries(
      ['max', 'min', 'mode', 'p10', 'p20', 'p30', 'p40', 'p50', 'p60', 'p70', 'p80', 'p90', 'p95', 'p99'].map(
        (k) => [k, fee],
      ),
    );
    return c.json({
      last_ledger: String(world.ledgerNumber),
      last_ledger_base_fee: fee,
      ledger_capacity_usage: '0.01',
      fee_charged: spread,
      max_fee: spread,
    });
  });

  app.get(`${base}/accounts/:id`, (c) => {
    const resource = accountResource(world, c.req.param('id'));
    return resource ? c.json(resource) : notFound(c);
  });

  app.get(`${base}/transactions/:hash`, (c) => {
    const hash = c.req.param('hash');
    const tx = world.ledger.get(hash);
    if (!tx || (tx.network ?? network) !== network) {
      if (!/^[0-9a-f]{64}$/.test(hash)) {
        return problem(
          c,
          400,
          'bad_request',
          'Bad Request',
          'The request you sent was invalid in some way.',
          {
            invalid_field: 'tx_id',
            reason: 'Transaction hash must be a hex-encoded, lowercase SHA-256 hash',
          },
        );
      }
      return notFound(c);
    }
    return c.json(transactionResource(tx, pagingToken(world, hash)));
  });

  app.get(`${base}/accounts/:id/transactions`, (c) =>
    accountTransactions(
      c,
      world,
      c.req.param('id'),
      (tx) => transactionResource(tx.tx, String(tx.token)),
      network,
    ),
  );

  app.post(`${base}/transactions`, async (c) => {
    const text = await c.req.text();
    const envelope = new URLSearchParams(text).get('tx') ?? '';
    if (envelope === '' || envelope.length > MAX_ENVELOPE_CHARS) {
      return problem(
        c,
        400,
        'transaction_malformed',
        'Transaction Malformed',
        'Horizon could not decode the transaction envelope in this request.',
        { envelope_xdr: envelope.slice(0, 200) },
      );
    }
    let tx: Transaction;
    try {
      const decoded = TransactionBuilder.fromXDR(envelope, network);
      if (decoded instanceof FeeBumpTransaction) throw new Error('fee bump');
      tx = decoded;
    } catch {
      return problem(
        c,
        400,
        'transaction_malformed',
        'Transaction Malformed',
        'Horizon could not decode the transaction envelope in this request.',
        { envelope_xdr: envelope },
      );
    }
    const hash = tx.hash().toString('hex');
    const known = world.ledger.get(hash);
    if (known?.submitted) {
      return known.successful
        ? c.json(submitted(known))
        : failed(
            c,
            known.submitted.envelopeXdr,
            known.submitted.resultXdr,
            'tx_failed',
            known.submitted.operationCodes,
          );
    }
    const fee = BigInt(tx.fee);
    const reject = (code: keyof typeof REJECTIONS) =>
      failed(c, envelope, resultXdr(0n, REJECTIONS[code]()), code);
    const source = world.accounts.get(tx.source);
    if (!source) return reject('tx_no_source_account');
    const minTime = BigInt(tx.timeBounds?.minTime ?? '0');
    const maxTime = BigInt(tx.timeBounds?.maxTime ?? '0');
    if (seconds() < minTime) return reject('tx_too_early');
    if (maxTime !== 0n && seconds() > maxTime) return reject('tx_too_late');
    if (fee < BigInt(world.settings.baseFeeStroops) * BigInt(tx.operations.length))
      return reject('tx_insufficient_fee');
    if (BigInt(tx.sequence) !== source.sequence + 1n) return reject('tx_bad_seq');
    const signer = Keypair.fromPublicKey(tx.source);
    const signed = tx.signatures.some((s) => signer.verify(tx.hash(), s.signature()));
    if (!signed) return reject('tx_bad_auth');

    // Applied: the fee is charged and the sequence used whatever the operations do.
    source.sequence = BigInt(tx.sequence);
    source.balance -= fee < source.balance ? fee : source.balance;
    world.ledgerNumber += 1;
    const codes = applyOperations(world, tx);
    const successful = codes.every((code) => code === 'success');
    const result = successful
      ? xdr.TransactionResultResult.txSuccess(codes.map(() => paymentResult('success')))
      : xdr.TransactionResultResult.txFailed(codes.map((code) => paymentResult(code)));
    const first = tx.operations[0];
    const memo = tx.memo.type === 'text' ? (tx.memo.value?.toString() ?? '') : '';
    const entry: LedgerTx = {
      txid: hash,
      memo,
      amount: first?.type === 'payment' ? Number(first.amount) : 0,
      from: tx.source,
      to: first?.type === 'payment' ? first.destination : '',
      createdAtMs: now(),
      successful,
      network,
      submitted: {
        ledger: world.ledgerNumber,
        sequence: tx.sequence,
        fee: fee.toString(),
        envelopeXdr: envelope,
        resultXdr: resultXdr(fee, result),
        minTime: minTime.toString(),
        maxTime: maxTime.toString(),
        signatures: tx.signatures.map((s) => s.signature().toString('base64')),
        operationCodes: codes.map((code) => (code === 'success' ? 'op_success' : code)),
      },
    };
    world.ledger.set(hash, entry);
    if (!successful && entry.submitted) {
      return failed(c, envelope, entry.submitted.resultXdr, 'tx_failed', entry.submitted.operationCodes);
    }
    return c.json(submitted(entry));
  });
}

/** Runs the operations of an applied transaction; only native payments are supported. */
function applyOperations(
  world: PiWorld,
  tx: Transaction,
): ('success' | 'op_no_destination' | 'op_underfunded' | 'op_malformed')[] {
  const source = world.accounts.get(tx.source);
  const planned = tx.operations.map((op) => {
    if (
      op.type !== 'payment' ||
      !Asset.native().equals(op.asset) ||
      !StrKey.isValidEd25519PublicKey(op.destination)
    ) {
      return 'op_malformed' as const;
    }
    const stroops = BigInt(Math.round(Number(op.amount) * 1e7));
    if (stroops <= 0n) return 'op_malformed' as const;
    if (!world.accounts.has(op.destination)) return 'op_no_destination' as const;
    return stroops;
  });
  const total = planned.reduce<bigint>((sum, p) => (typeof p === 'bigint' ? sum + p : sum), 0n);
  const anyFailed = planned.some((p) => typeof p === 'string');
  const underfunded = !source || source.balance < total;
  if (anyFailed || underfunded) {
    return planned.map((p) => (typeof p === 'string' ? p : underfunded ? 'op_underfunded' : 'success'));
  }
  tx.operations.forEach((op, index) => {
    const stroops = planned[index] as bigint;
    if (op.type !== 'payment' || !source) return;
    source.balance -= stroops;
    const destination = world.accounts.get(op.destination);
    if (destination) destination.balance += stroops;
  });
  return planned.map(() => 'success' as const);
}

/** Horizon's answer to a successful submission. */
function submitted(tx: LedgerTx) {
  const s = tx.submitted;
  return {
    id: tx.txid,
    hash: tx.txid,
    successful: true,
    ledger: s?.ledger,
    envelope_xdr: s?.envelopeXdr,
    result_xdr: s?.resultXdr,
    result_meta_xdr: '',
    fee_charged: s?.fee,
  };
}

/** A ledger record's paging token: its place in the ledger, which only grows. */
function pagingToken(world: PiWorld, hash: string): string {
  return String([...world.ledger.keys()].indexOf(hash) + 1);
}

/**
 * Horizon's `GET /accounts/{id}/transactions`: ascending by default, `order=desc`, `limit` (default
 * 10, at most 200), `cursor` (a record's `paging_token`), and `_links.next` to the following page
 * (empty past the last record). `network` limits it to one network's transactions.
 */
export function accountTransactions(
  c: Ctx,
  world: PiWorld,
  account: string,
  render: (entry: { tx: LedgerTx; token: number }) => unknown,
  network?: PiNetworkName,
): Response {
  const order = c.req.query('order') === 'desc' ? 'desc' : 'asc';
  const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 10) || 10, 1), 200);
  const cursorParam = c.req.query('cursor');
  const cursor = cursorParam === undefined || cursorParam === '' ? undefined : Number(cursorParam);
  if (cursor !== undefined && !Number.isInteger(cursor)) {
    return c.json({ status: 400, title: 'Bad Request', detail: 'cursor must be a paging_token' }, 400);
  }
  const mine = [...world.ledger.values()]
    .map((tx, index) => ({ tx, token: index + 1 }))
    .filter(
      ({ tx }) =>
        (tx.from === account || tx.to === account) && (!network || (tx.network ?? network) === network),
    );
  if (order === 'desc') mine.reverse();
  const after = mine.filter(
    ({ token }) => cursor === undefined || (order === 'asc' ? token > cursor : token < cursor),
  );
  const page = after.slice(0, limit);
  const next = new URL(c.req.url);
  const last = page.at(-1);
  next.searchParams.set('order', order);
  next.searchParams.set('limit', String(limit));
  next.searchParams.set(
    'cursor',
    String(last ? last.token : (cursor ?? (order === 'asc' ? 0 : Number.MAX_SAFE_INTEGER))),
  );
  return c.json({
    _links: { next: { href: next.toString() } },
    _embedded: { records: page.map(render) },
  });
}
