/**
 * A minimal EVM JSON-RPC client over core's HTTP layer (timeouts, typed errors, redaction): the two
 * calls contract-wallet checks need, `eth_call` with and without a `to`.
 */
import {
  type CallOptions,
  createHttpClient,
  type HttpClient,
  type HttpOptions,
  UnexpectedResponseError,
} from '@authbridge/core';
import * as v from 'valibot';
import { misconfigured, WALLET_PROVIDER } from './errors.js';
import { VERSION } from './version.js';

/** The answer of an `eth_call`: the returned data, or a revert. */
export type EthCallResult = { reverted: false; data: string } | { reverted: true };

/** What contract-wallet checks need from a node. */
export interface EvmRpc {
  /** `eth_call` at the latest block. A revert is an answer; any other failure throws. */
  call(transaction: { to?: string; data: string }, options?: CallOptions): Promise<EthCallResult>;
}

/** Options of {@link createEvmRpc}. */
export interface EvmRpcOptions extends Omit<HttpOptions, 'baseUrl'> {
  /** The node's JSON-RPC URL (`http:` or `https:`). Its path and query are treated as secret (API keys). */
  url: string;
}

const RpcAnswer = v.object({
  jsonrpc: v.literal('2.0'),
  id: v.union([v.number(), v.string(), v.null()]),
  result: v.optional(v.pipe(v.string(), v.regex(/^0x(?:[0-9a-fA-F]{2})*$/))),
  error: v.optional(v.object({ code: v.number(), message: v.string() })),
});

let nextId = 1;

function isRevert(error: { code: number; message: string }): boolean {
  // EIP-1474 gives reverts code 3; geth, ganache and others answer -32000 with "revert" in the text.
  return error.code === 3 || /revert/i.test(error.message);
}

/**
 * A JSON-RPC client for one node. `eth_call` is read-only, so it is not retried unless the app's
 * `retry` says so; every attempt has the HTTP layer's timeout, and anything but a result or a revert
 * fails closed.
 *
 * Errors (from `call`): `ERR_TIMEOUT`, `ERR_NETWORK`, `ERR_ABORTED`, `ERR_PROVIDER_*` for an HTTP error
 * status, `ERR_UNEXPECTED_RESPONSE` for an answer that is not JSON-RPC or a JSON-RPC error that is not a
 * revert. `ERR_CONFIG` (at creation) for a URL that is not http(s).
 *
 * @example
 * ```ts
 * const rpc = createEvmRpc({ url: 'https://mainnet.example/rpc', timeout: 5000 });
 * await rpc.call({ to: wallet, data });
 * ```
 */
export function createEvmRpc(options: EvmRpcOptions): EvmRpc {
  const { url: raw, ...http } = options;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL('invalid:');
  }
  // The URL stays out of the message: its path often holds an API key.
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    misconfigured('The RPC URL is not an http(s) URL.');
  const slash = url.pathname.lastIndexOf('/');
  const base = `${url.origin}${url.pathname.slice(0, slash + 1)}`;
  const path = `${url.pathname.slice(slash + 1)}${url.search}`;
  const secret = `${url.pathname}${url.search}`.length > 1 ? [path, url.search.slice(1)] : [];
  const client: HttpClient = createHttpClient({
    retry: false,
    ...http,
    provider: WALLET_PROVIDER,
    defaultBaseUrl: base,
    userAgent: `@authbridge/wallet/${VERSION}`,
    secretValues: secret.filter((s) => s.length >= 6),
  });
  return {
    async call(transaction, callOptions = {}) {
      const id = nextId++;
      const answer = await client.request({
        method: 'POST',
        path,
        json: { jsonrpc: '2.0', id, method: 'eth_call', params: [transaction, 'latest'] },
        schema: RpcAnswer,
        signal: callOptions.signal,
      });
      if (answer.error) {
        if (isRevert(answer.error)) return { reverted: true };
        throw new UnexpectedResponseError('The node answered eth_call with an error.', {
          provider: WALLET_PROVIDER,
          providerCode: String(answer.error.code),
          details: answer.error.message.slice(0, 200),
        });
      }
      if (answer.result === undefined || answer.id !== id) {
        throw new UnexpectedResponseError('The node answered eth_call without a result for this call.', {
          provider: WALLET_PROVIDER,
        });
      }
      return { reverted: false, data: answer.result };
    },
  };
}
