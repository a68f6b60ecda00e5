/**
 * The exact text a wallet signs to log in with Picket (spec §3.2). Picket rebuilds the same string
 * on its side, so a single byte of difference fails the login.
 */
import { ConfigurationError } from '@authbridge/core';
import { serializeSiweMessage } from '@authbridge/wallet';

/** The chain families whose SIWE wording Picket rewrites. */
export type ChainType = 'ethereum' | 'solana' | 'flow';

/** The SIWE context the browser sends with `/auth` (spec §2.2). */
export interface AuthContext {
  /** The page's host, with the port if any (`location.host`). */
  domain: string;
  /** The page's origin (`location.origin`). */
  uri: string;
  /** The chain id from `GET /chains/{chain}`; must be non-zero. */
  chainId: number;
  /** ISO-8601 time the message was made (`new Date().toISOString()`). */
  issuedAt: string;
  chainType: ChainType;
  /** BCP-47 locale that selected the statement. */
  locale?: string;
}

/** Input of {@link createSigningMessage}: the nonce reply, the wallet, and for SIWE the context. */
export interface SigningMessageInput extends Partial<Omit<AuthContext, 'locale'>> {
  /** `simple` (the default) or `siwe`, as `POST /auth/nonce` said. */
  format?: string;
  nonce: string;
  statement: string;
  walletAddress: string;
}

const WORDING: Record<ChainType, string> = { ethereum: 'Ethereum', solana: 'Solana', flow: 'Flow' };

function fail(message: string): never {
  throw new ConfigurationError(message, { provider: 'picket' });
}

// A CR or LF inside a one-line field would let it forge the lines after it (a second `Nonce:`).
function assertOneLine(name: string, value: string): void {
  if (/[\r\n]/.test(value)) fail(`'${name}' must not contain a line break.`);
}

function createSiweMessage(input: SigningMessageInput): string {
  const { nonce, statement, walletAddress, domain, uri, chainId, issuedAt } = input;
  for (const [name, value] of [
    ['statement', statement],
    ['domain', domain],
    ['uri', uri],
    ['issuedAt', issuedAt],
  ] as const) {
    if (!value) fail(`'${name}' is required to create a SIWE signing message`);
    assertOneLine(name, value);
  }
  // siwe@1.1.6 rejects a missing chain id, and 0 is falsy there too: Picket never accepted it.
  if (!chainId) fail(`'chainId' is required to create a SIWE signing message`);
  if (!Number.isSafeInteger(chainId) || chainId < 0) fail(`'chainId' must be a positive integer.`);
  const chainType = input.chainType ?? 'ethereum';
  const wording = WORDING[chainType];
  if (!wording) fail(`'chainType' must be ethereum, solana or flow.`);
  // The EIP-4361 layout is @authbridge/wallet's; Picket's own checks above keep the address as sent.
  const text = serializeSiweMessage({
    domain: domain as string,
    address: walletAddress,
    statement,
    uri: uri as string,
    version: '1',
    chainId,
    nonce,
    issuedAt: issuedAt as string,
  });
  // picket-js rewrites the whole prepared message, statement included (spec §3.2); so do we.
  return chainType === 'ethereum' ? text : text.replaceAll('Ethereum', wording);
}

/**
 * Builds the message the wallet signs, byte for byte as picket-js does:
 * - `simple`: `` `${statement}\n\nAddress: ${walletAddress}\nNonce: ${nonce}` ``;
 * - `siwe`: EIP-4361 without optional lines, with "Ethereum" replaced by "Solana" or "Flow" for
 *   those chain types.
 *
 * The wallet address is used exactly as given: Picket rebuilds the message from the address the
 * client sends, so do not re-case it between here and `verify`.
 *
 * Errors: `ERR_CONFIG` when a required field is missing, a one-line field has a line break, the
 * chain id is zero, or the format is unknown.
 *
 * @example
 * ```ts
 * const message = createSigningMessage({
 *   format: 'simple', nonce: 'a1b2c3d4e5f6a7b8', statement: 'Sign in with your wallet',
 *   walletAddress: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
 * });
 * // 'Sign in with your wallet\n\nAddress: 0xf39F…2266\nNonce: a1b2c3d4e5f6a7b8'
 * ```
 */
export function createSigningMessage(input: SigningMessageInput): string {
  if (!input.nonce) fail(`'nonce' is required to create a signing message`);
  if (!input.walletAddress) fail(`'walletAddress' is required to create a signing message`);
  assertOneLine('nonce', input.nonce);
  assertOneLine('walletAddress', input.walletAddress);
  const format = input.format ?? 'simple';
  if (format === 'siwe') return createSiweMessage(input);
  if (format !== 'simple') fail(`Unknown signing message format '${format}': expected simple or siwe.`);
  return `${input.statement}\n\nAddress: ${input.walletAddress}\nNonce: ${input.nonce}`;
}
