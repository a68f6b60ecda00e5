/**
 * NFT gating (`validateTokenOwnership` of the official SDKs), on ethers. A separate entry point,
 * `@authbridge/magic/token-ownership`, so that apps that only validate logins never load ethers.
 */
import {
  AbortedError,
  ConfigurationError,
  createRedactor,
  DEFAULT_TIMEOUT_MS,
  isAuthBridgeError,
  NetworkError,
  replaceUrls,
  TimeoutError,
} from '@authbridge/core';
import { Contract, FetchRequest, JsonRpcProvider } from 'ethers';
import type { MagicAdmin, TokenValidateOptions } from './admin.js';

/** Options of {@link validateTokenOwnership}. */
export interface TokenOwnershipOptions extends Pick<TokenValidateOptions, 'signal' | 'now'> {
  didToken: string;
  contractAddress: string;
  contractType: 'ERC721' | 'ERC1155';
  /**
   * A JSON-RPC endpoint of the chain the contract lives on. Often carries a key (Infura, Alchemy):
   * it never appears in an error.
   */
  rpcUrl: string;
  /** The whole RPC exchange must finish within this many ms. Default 10000. */
  timeout?: number;
  /** Required for ERC1155. */
  tokenId?: string | bigint;
}

/** The outcome, in the shape of the official SDKs (`error_code` camelCased). */
export interface TokenOwnershipResult {
  valid: boolean;
  errorCode: '' | 'UNAUTHORIZED' | 'NO_OWNERSHIP';
  message: string;
}

const ABI = {
  ERC721: ['function balanceOf(address owner) view returns (uint256)'],
  ERC1155: ['function balanceOf(address account, uint256 id) view returns (uint256)'],
};

/**
 * Validates the DID token, then checks on chain that its issuer holds a token of the contract.
 *
 * With a `replayStore` on the admin client, the check does not use the token up (`consume: false`):
 * a token already used to sign in can still be checked for ownership, and checking one does not
 * stop it from signing in.
 *
 * As in the official SDKs, a malformed or expired DID token gives `{ valid: false, errorCode:
 * 'UNAUTHORIZED' }`; every other validation failure is thrown (`ERR_CREDENTIAL_*`, and the
 * client-id lookup's `ERR_PROVIDER_*`, `ERR_NETWORK`, `ERR_TIMEOUT`). Also `ERR_CONFIG` (ERC1155
 * without `tokenId`, a bad timeout or rpcUrl), `ERR_NETWORK` when the RPC call fails, `ERR_TIMEOUT`
 * when it takes longer than `timeout`, `ERR_ABORTED` when `signal` aborts. The RPC URL, any URL and
 * the ethers error itself are kept out of every error: `details` holds a redacted short message.
 *
 * @example
 * ```ts
 * const { valid } = await validateTokenOwnership(magicAdmin, {
 *   didToken, contractAddress: '0xabc…', contractType: 'ERC721', rpcUrl: 'https://rpc.example',
 * });
 * ```
 */
export async function validateTokenOwnership(
  admin: MagicAdmin,
  options: TokenOwnershipOptions,
): Promise<TokenOwnershipResult> {
  if (options.contractType === 'ERC1155' && options.tokenId === undefined) {
    throw new ConfigurationError('magic: ERC1155 requires a tokenId.', { provider: 'magic' });
  }
  let owner: string;
  try {
    // Not a login: the token is neither used up nor refused for having been used to sign in.
    owner = (
      await admin.token.validate(options.didToken, {
        signal: options.signal,
        now: options.now,
        consume: false,
      })
    ).publicAddress;
  } catch (error) {
    if (isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED', 'ERR_CREDENTIAL_EXPIRED')) {
      return { valid: false, errorCode: 'UNAUTHORIZED', message: `Invalid DID token: ${error.providerCode}` };
    }
    throw error;
  }
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 2_147_483_647) {
    throw new ConfigurationError('magic: the token-ownership timeout must be a positive number of ms.', {
      provider: 'magic',
    });
  }
  const redact = rpcRedactor(options.rpcUrl);
  let provider: JsonRpcProvider;
  try {
    const request = new FetchRequest(options.rpcUrl);
    request.timeout = timeout;
    provider = new JsonRpcProvider(request, undefined, { staticNetwork: true });
  } catch (error) {
    throw new ConfigurationError('magic: the token-ownership rpcUrl is not a usable URL.', {
      provider: 'magic',
      details: describe(error, redact),
    });
  }
  let stop: (error: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  const timer = setTimeout(
    () =>
      stop(
        new TimeoutError(`magic: the token-ownership RPC call timed out after ${timeout} ms.`, {
          provider: 'magic',
        }),
      ),
    timeout,
  );
  const onAbort = () =>
    stop(new AbortedError('magic: the token-ownership RPC call was aborted.', { provider: 'magic' }));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  try {
    const contract = new Contract(options.contractAddress, ABI[options.contractType], provider);
    const args = options.contractType === 'ERC1155' ? [owner, options.tokenId] : [owner];
    const call = contract.getFunction('balanceOf').staticCall(...args) as Promise<bigint>;
    call.catch(() => {}); // settled below or abandoned on timeout/abort
    const balance = await Promise.race([call, stopped]);
    return balance > 0n
      ? { valid: true, errorCode: '', message: '' }
      : { valid: false, errorCode: 'NO_OWNERSHIP', message: 'User does not own this token.' };
  } catch (error) {
    if (isAuthBridgeError(error)) throw error;
    // No cause: ethers errors carry the request URL (and so the RPC key) in several properties.
    if ((error as { code?: unknown }).code === 'TIMEOUT') {
      throw new TimeoutError(`magic: the token-ownership RPC call timed out after ${timeout} ms.`, {
        provider: 'magic',
        details: describe(error, redact),
      });
    }
    throw new NetworkError('magic: the token-ownership RPC call failed.', {
      provider: 'magic',
      details: describe(error, redact),
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    provider.destroy();
  }
}

/** `code(value)`, or `value` itself when it has a lone surrogate or a bad escape (a URIError). */
function tryCode(code: (value: string) => string, value: string): string {
  try {
    return code(value);
  } catch {
    return value;
  }
}

/**
 * Hides the RPC URL, its parts that may be a key (path segments, query values, credentials) and
 * any other URL from a text.
 */
function rpcRedactor(rpcUrl: string): (text: string) => string {
  const values = [rpcUrl, tryCode(encodeURI, rpcUrl)];
  try {
    const url = new URL(rpcUrl);
    values.push(url.href, url.host + url.pathname, url.pathname, url.search, url.username, url.password);
    for (const part of url.pathname.split('/')) values.push(part, tryCode(decodeURIComponent, part));
    for (const value of url.searchParams.values()) values.push(value, tryCode(encodeURIComponent, value));
  } catch {
    // Not a URL: the exact string is hidden all the same.
  }
  const redactor = createRedactor({ secretValues: values });
  return (text) => redactor.text(replaceUrls(text, '[REDACTED URL]'));
}

/** A short, redacted description of an ethers error: its short message and code, never the URL. */
function describe(error: unknown, redact: (text: string) => string): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { shortMessage, code } = error as { shortMessage?: unknown; code?: unknown };
  const text = typeof shortMessage === 'string' && shortMessage ? shortMessage : error.message;
  const described = typeof code === 'string' ? `${text} (${code})` : text;
  return redact(described).slice(0, 200);
}
