/**
 * Pi's Horizon (the chain API of a Stellar-protocol network) through core's HTTP layer: the few routes
 * an app-to-user payment needs, every answer parsed, and Horizon's rejections turned into typed
 * errors whose `providerCode` is Horizon's result code (`tx_bad_seq`, `op_underfunded`, ...).
 *
 * Submission is retried on a timeout, a dropped connection or a 5xx: it always resends the same
 * envelope, which Horizon recognises by its hash (one transaction whatever the number of copies), so a
 * retry can never pay twice. A submission that still gets no answer has an unknown outcome: look the
 * hash up, as `a2u.recover` does.
 */
import {
  AuthBridgeError,
  type AuthBridgeErrorCode,
  createHttpClient,
  type HttpClient,
  type HttpOptions,
  isAuthBridgeError,
  type ParsedProviderError,
  type RetryOptions,
} from '@authbridge/core';
import * as v from 'valibot';
import { VERSION } from './version.js';

/** The networks a Pi app can live on; the name is also the network passphrase. */
export type PiNetwork = 'Pi Network' | 'Pi Testnet';

/** Pi's Horizon of each network (spec §1). */
export const PI_HORIZON_URLS: Record<PiNetwork, string> = {
  'Pi Network': 'https://api.mainnet.minepi.com',
  'Pi Testnet': 'https://api.testnet.minepi.com',
};

const HASH = /^[0-9a-f]{64}$/;
const Hash = v.pipe(v.string(), v.regex(HASH));
const Integer = v.pipe(v.string(), v.regex(/^[0-9]{1,19}$/));

const RootSchema = v.object({
  history_latest_ledger_closed_at: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  network_passphrase: v.optional(v.string()),
});
const AccountSchema = v.object({ sequence: Integer });
const FeeStatsSchema = v.object({ last_ledger_base_fee: Integer });
const SubmittedSchema = v.object({ hash: Hash });

/** A transaction as Horizon reports it: enough to tell whether, and how, it landed. */
export const HorizonTransactionSchema = v.object({
  hash: Hash,
  successful: v.boolean(),
  source_account: v.optional(v.string()),
  memo: v.optional(v.string()),
  memo_type: v.optional(v.string()),
  created_at: v.pipe(v.string(), v.isoTimestamp()),
  paging_token: v.optional(v.string()),
});
export type HorizonTransaction = v.InferOutput<typeof HorizonTransactionSchema>;

const PageSchema = v.object({
  _embedded: v.object({ records: v.array(HorizonTransactionSchema) }),
});

const ProblemSchema = v.object({
  title: v.optional(v.string()),
  extras: v.optional(
    v.object({
      result_codes: v.optional(
        v.object({
          transaction: v.optional(v.string()),
          operations: v.optional(v.array(v.string())),
        }),
      ),
    }),
  ),
});

/** Horizon's result codes of a refused or failed transaction, kept in the error's `data`. */
export interface HorizonResultCodes {
  transaction?: string;
  operations?: string[];
}

const CODE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Reads Horizon's problem body: the result code that says what went wrong (an operation's, for a
 * `tx_failed`) becomes `providerCode`; all codes go to `data.resultCodes`.
 */
export function parseHorizonError({ body }: { body: unknown }): ParsedProviderError | undefined {
  const parsed = v.safeParse(ProblemSchema, body);
  if (!parsed.success) return undefined;
  const raw = parsed.output.extras?.result_codes;
  const transaction = raw?.transaction && CODE.test(raw.transaction) ? raw.transaction : undefined;
  const operations = raw?.operations?.filter((code) => CODE.test(code)).slice(0, 100);
  const failedOp = operations?.find((code) => code !== 'op_success');
  const providerCode = transaction === 'tx_failed' && failedOp ? failedOp : transaction;
  const title = parsed.output.title?.slice(0, 200);
  const codes = [transaction, ...(operations ?? [])].filter(Boolean).join(', ');
  return {
    providerCode,
    message: codes ? `${title ?? 'Horizon refused the transaction'} (${codes})` : title,
    data: raw ? { resultCodes: { transaction, operations } satisfies HorizonResultCodes } : undefined,
  };
}

/**
 * What each Horizon result code means for an app-to-user payment: the authbridge code it becomes, and
 * whether the same envelope may still land (so a later `recover` resubmits it).
 */
const HORIZON_CODES: Record<string, { code: AuthBridgeErrorCode; retryable: boolean; advice: string }> = {
  tx_bad_seq: {
    code: 'ERR_PROVIDER_CONFLICT',
    retryable: false,
    advice:
      'another transaction of the app wallet used this sequence number, so this envelope can never land; run a2u.recover() or a2u.submit() again, which builds a new one once the old one is proven dead. Use one A2U payment at a time per wallet.',
  },
  tx_too_late: {
    code: 'ERR_PROVIDER_CONFLICT',
    retryable: false,
    advice:
      "the envelope's time bounds have passed, so it can never land; a2u.submit() builds a new one, a2u.recover() cancels the payment.",
  },
  tx_too_early: {
    code: 'ERR_PROVIDER_BAD_REQUEST',
    retryable: true,
    advice:
      "the ledger is behind the envelope's minimum time (a clock far off); the same envelope can still land: run a2u.recover() later.",
  },
  tx_insufficient_fee: {
    code: 'ERR_PROVIDER_RATE_LIMITED',
    retryable: true,
    advice:
      'the network charges more than the fee Horizon advertised (surge pricing); the same envelope can still land: run a2u.recover() later.',
  },
  op_underfunded: {
    code: 'ERR_PROVIDER_BAD_REQUEST',
    retryable: false,
    advice:
      'the app wallet cannot cover the amount and fee; the transaction failed on the ledger (fee charged, nothing paid). Fund the wallet, then call a2u.submit() again (a new envelope), or cancel the payment.',
  },
  op_no_destination: {
    code: 'ERR_PROVIDER_NOT_FOUND',
    retryable: false,
    advice:
      "the Pioneer's wallet does not exist on chain; the transaction failed on the ledger (fee charged, nothing paid). Cancel the payment (a2u.recover() does), or retry once the wallet is activated.",
  },
  tx_bad_auth: {
    code: 'ERR_CONFIG',
    retryable: false,
    advice:
      "the app wallet's signature was refused: the seed does not control the wallet, or the network passphrase is wrong.",
  },
};

/** Re-types a Horizon rejection by its result code; other errors pass through. */
export function horizonRejection(error: unknown): unknown {
  if (!isAuthBridgeError(error) || error.provider !== 'pi' || !error.providerCode) return error;
  const meaning = HORIZON_CODES[error.providerCode];
  if (!meaning) return error;
  return new AuthBridgeError(
    meaning.code,
    `Horizon refused the payment transaction (${error.providerCode}): ${meaning.advice}`,
    {
      provider: 'pi',
      status: error.status,
      providerCode: error.providerCode,
      retryable: meaning.retryable,
      data: error.data,
      cause: error,
    },
  );
}

/**
 * Horizon's result codes carried by an `a2u` error (all of them; `providerCode` holds the decisive one).
 *
 * Throws nothing.
 *
 * @example
 * ```ts
 * const codes = resultCodesOf(error); // { transaction: 'tx_failed', operations: ['op_underfunded'] }
 * if (codes?.operations?.includes('op_underfunded')) await alertOps('fund the Pi app wallet');
 * ```
 */
export function resultCodesOf(error: unknown): HorizonResultCodes | undefined {
  if (!isAuthBridgeError(error)) return undefined;
  return (error.data as { resultCodes?: HorizonResultCodes } | undefined)?.resultCodes;
}

/** Options of {@link createHorizon}. */
export interface HorizonOptions extends Omit<HttpOptions, 'baseUrl' | 'headers'> {
  url: string;
  /** Secrets to keep out of every error and event (the wallet seed, though it is never sent). */
  secretValues: string[];
  /** Per-attempt timeout of a submission, which Horizon may hold up to 30 s. Default 35000. */
  submitTimeout?: number;
}

/** The Horizon calls of an app-to-user payment. */
export interface Horizon {
  readonly url: string;
  /** The close time (ms) of the latest ledger and the network passphrase Horizon reports. */
  root(signal?: AbortSignal): Promise<{ closedAtMs: number | undefined; passphrase: string | undefined }>;
  /** The account's current sequence number; `undefined` when it does not exist. */
  sequenceOf(account: string, signal?: AbortSignal): Promise<string | undefined>;
  /** The base fee per operation, in stroops (`fee_stats.last_ledger_base_fee`). */
  baseFee(signal?: AbortSignal): Promise<number>;
  /** Submits a signed envelope (base64 XDR) and resolves to the hash Horizon accepted. */
  submit(envelope: string, signal?: AbortSignal): Promise<string>;
  /** The transaction with `hash`, or `undefined` when the ledger has none. */
  transaction(hash: string, signal?: AbortSignal): Promise<HorizonTransaction | undefined>;
  /** One page of `account`'s transactions, newest first, before `cursor`. */
  transactionsOf(
    account: string,
    page: { cursor?: string; limit: number },
    signal?: AbortSignal,
  ): Promise<HorizonTransaction[]>;
}

const SUBMIT_RETRY: RetryOptions = {
  methods: ['POST'],
  statusCodes: [500, 502, 503, 504],
  limit: 2,
  retryOnTimeout: true,
};

/**
 * A Horizon client on core's HTTP layer. It sends no Pi API key (Horizon is another host).
 *
 * Errors of every call: `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_PROVIDER_*`,
 * `ERR_UNEXPECTED_RESPONSE`; `submit` also the codes of {@link horizonRejection}.
 *
 * @example
 * ```ts
 * const horizon = createHorizon({ url: PI_HORIZON_URLS['Pi Testnet'], secretValues: [] });
 * const fee = await horizon.baseFee();
 * ```
 */
export function createHorizon(options: HorizonOptions): Horizon {
  const { url, secretValues, submitTimeout = 35_000, ...http } = options;
  const client: HttpClient = createHttpClient({
    ...http,
    provider: 'pi',
    baseUrl: url,
    defaultBaseUrl: url,
    userAgent: `@authbridge/pi/${VERSION}`,
    secretValues,
    parseError: parseHorizonError,
  });
  const notFound = (error: unknown) => isAuthBridgeError(error, 'ERR_PROVIDER_NOT_FOUND');
  return {
    url: client.baseUrl,
    root: async (signal) => {
      const body = await client.request({ method: 'GET', path: '', schema: RootSchema, signal });
      const closedAt = body.history_latest_ledger_closed_at;
      return {
        closedAtMs: closedAt === undefined ? undefined : Date.parse(closedAt),
        passphrase: body.network_passphrase,
      };
    },
    sequenceOf: async (account, signal) => {
      try {
        const body = await client.request({
          method: 'GET',
          path: `accounts/${account}`,
          schema: AccountSchema,
          signal,
        });
        return body.sequence;
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    baseFee: async (signal) => {
      const body = await client.request({ method: 'GET', path: 'fee_stats', schema: FeeStatsSchema, signal });
      return Number(body.last_ledger_base_fee);
    },
    submit: async (envelope, signal) => {
      try {
        const body = await client.request({
          method: 'POST',
          path: 'transactions',
          form: { tx: envelope },
          schema: SubmittedSchema,
          retry: http.retry === false ? false : { ...http.retry, ...SUBMIT_RETRY },
          timeout: submitTimeout,
          signal,
        });
        return body.hash;
      } catch (error) {
        throw horizonRejection(error);
      }
    },
    transaction: async (hash, signal) => {
      try {
        return await client.request({
          method: 'GET',
          path: `transactions/${hash}`,
          schema: HorizonTransactionSchema,
          signal,
        });
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    transactionsOf: async (account, page, signal) => {
      const body = await client.request({
        method: 'GET',
        path: `accounts/${account}/transactions`,
        searchParams: { order: 'desc', limit: page.limit, cursor: page.cursor },
        schema: PageSchema,
        signal,
      });
      return body._embedded.records;
    },
  };
}
