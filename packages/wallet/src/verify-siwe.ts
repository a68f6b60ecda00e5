/**
 * The relying party's side of EIP-4361: parse strictly, compare every field with what the server
 * issued and expects, check the times, then the signature (EOA, ERC-1271 or ERC-6492).
 */
import type { CallOptions } from '@authbridge/core';
import { misconfigured, refuse, wrongChain, wrongNonce } from './errors.js';
import { type EvmSignatureType, verifyEvmSignature } from './evm-signature.js';
import type { EvmRpc } from './rpc.js';
import { parseSiweMessage, type SiweMessage } from './siwe.js';
import { checkTimes, DEFAULT_CLOCK_SKEW_MS } from './times.js';

/** What the server expects of a SIWE message. Every binding it names is compared; none is optional. */
export interface VerifySiweMessageInput {
  /** The exact message text the wallet signed. */
  message: string;
  /** The `personal_sign` result: `0x` hex. */
  signature: string;
  /** The domain the server serves, with the port if any (`example.com`, `localhost:3000`). */
  domain: string;
  /** The nonce the server issued for this login (already taken from the server's store). */
  nonce: string;
  /** The expected origin of the message's `URI` (`https://example.com`). */
  uri?: string;
  /** The scheme a message that names one must name. Default: the scheme of `uri`, else `https`. */
  scheme?: string;
  /** The chain id the message must name. */
  chainId?: number;
  /** The address the message must name (a challenge bound to one wallet). */
  address?: string;
  /** `statement`, `requestId` and `resources` the server issued: the message must repeat them exactly. */
  statement?: string;
  requestId?: string;
  resources?: string[];
  /** The time to judge by, in ms or as a Date. Default now. */
  time?: number | Date;
  /** Allowed clock difference on every time check, in ms. Default 30000. */
  clockSkewMs?: number;
  /** Refuse an `issuedAt` in the future (beyond the skew). Default true. */
  rejectFutureIssuedAt?: boolean;
  /** Refuse an `issuedAt` before this instant (minus the skew), in ms: the challenge's issue time. */
  issuedNotBefore?: number;
  /** A node on the message's chain, for contract wallets. */
  rpc?: EvmRpc;
}

/** What {@link verifySiweMessage} found. */
export interface SiweVerification {
  fields: SiweMessage;
  /** The EIP-55 address that signed. */
  address: string;
  type: EvmSignatureType;
  /** The message's expiration, when it has one. */
  expiresAt?: Date;
}

function originOf(uri: string): string | undefined {
  try {
    const origin = new URL(uri).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a Sign-In with Ethereum message and its signature, in this order: grammar, domain, scheme,
 * URI origin, chain id, nonce, address, issued fields, times, signature.
 *
 * Errors: `ERR_CONFIG` for a `uri` option that is not a URL; `ERR_CREDENTIAL_MALFORMED` (grammar, dates,
 * signature form); `ERR_CREDENTIAL_DOMAIN` (domain,
 * scheme or URI origin); `ERR_CREDENTIAL_CHAIN`; `ERR_CREDENTIAL_NONCE`; `ERR_CREDENTIAL_AUDIENCE` (another
 * address than the challenge's); `ERR_CREDENTIAL_REJECTED` (a statement, request id or resources other than
 * issued); `ERR_CREDENTIAL_EXPIRED`; `ERR_CREDENTIAL_NOT_YET_VALID`; `ERR_CREDENTIAL_ISSUED_AT`;
 * `ERR_CREDENTIAL_SIGNATURE`; RPC failures as {@link verifyEvmSignature}.
 *
 * @example
 * ```ts
 * const { address } = await verifySiweMessage({ message, signature, domain: 'example.com',
 *   uri: 'https://example.com', chainId: 1, nonce: issuedNonce });
 * ```
 */
export async function verifySiweMessage(
  input: VerifySiweMessageInput,
  options: CallOptions = {},
): Promise<SiweVerification> {
  const fields = parseSiweMessage(input.message);
  if (fields.domain !== input.domain)
    refuse('ERR_CREDENTIAL_DOMAIN', 'The message was signed for another domain.', `Domain: ${fields.domain}`);
  const expectedOrigin = input.uri === undefined ? undefined : originOf(input.uri);
  if (input.uri !== undefined && expectedOrigin === undefined)
    misconfigured('verifySiweMessage: uri must be an absolute http(s) URL.');
  const expectedScheme =
    input.scheme ?? (expectedOrigin ? new URL(expectedOrigin).protocol.slice(0, -1) : 'https');
  if (fields.scheme !== undefined && fields.scheme !== expectedScheme)
    refuse('ERR_CREDENTIAL_DOMAIN', 'The message was signed for another scheme.', `Scheme: ${fields.scheme}`);
  if (expectedOrigin !== undefined && originOf(fields.uri) !== expectedOrigin)
    refuse(
      'ERR_CREDENTIAL_DOMAIN',
      'The message URI has another origin than this site.',
      `URI: ${fields.uri}`,
    );
  if (input.chainId !== undefined && fields.chainId !== input.chainId) wrongChain(fields.chainId);
  if (fields.nonce !== input.nonce) wrongNonce();
  if (input.address !== undefined && fields.address.toLowerCase() !== input.address.toLowerCase())
    refuse('ERR_CREDENTIAL_AUDIENCE', 'The message names another wallet than the challenge was for.');
  if (input.statement !== undefined && fields.statement !== input.statement)
    refuse('ERR_CREDENTIAL_REJECTED', 'The message statement is not the one this server issued.');
  if (input.requestId !== undefined && fields.requestId !== input.requestId)
    refuse('ERR_CREDENTIAL_REJECTED', 'The message request id is not the one this server issued.');
  if (input.resources !== undefined && !sameList(fields.resources, input.resources))
    refuse('ERR_CREDENTIAL_REJECTED', 'The message resources are not the ones this server issued.');
  const time = input.time === undefined ? Date.now() : Number(input.time);
  const expiresAt = checkTimes(fields, {
    now: time,
    clockSkewMs: input.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS,
    rejectFutureIssuedAt: input.rejectFutureIssuedAt ?? true,
    issuedNotBefore: input.issuedNotBefore,
  });
  const type = await verifyEvmSignature(
    { address: fields.address, message: input.message, signature: input.signature, rpc: input.rpc },
    options,
  );
  const result: SiweVerification = { fields, address: fields.address, type };
  if (expiresAt !== undefined) result.expiresAt = new Date(expiresAt);
  return result;
}

/** Whether two optional string lists are equal, item by item. */
export function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
