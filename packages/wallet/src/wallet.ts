/**
 * `wallet()`: self-hosted wallet login behind the `AuthProvider` contract. `createChallenge` issues a
 * random single-use nonce kept on the server (bound to the domain, the chain and optionally an
 * address); `verify` takes it back atomically before any signature work, then checks the signed
 * Sign-In with Ethereum or Solana message against it.
 */

import {
  AbortedError,
  type AuthResult,
  type CallOptions,
  type Challenge,
  type ChallengeProvider,
  createChallengeStore,
  type HttpOptions,
  InvalidArgumentError,
  type KeyValueStore,
  utf8ToBytes,
} from '@authbridge/core';
import { base58 } from '@scure/base';
import { type ChainFamily, resolveChain, toAccountId, type WalletChain } from './caip.js';
import { MAX_SIGNATURE_LENGTH, parseWalletCredential } from './credential.js';
import { toChecksumAddress } from './eip191.js';
import { malformed, misconfigured, WALLET_PROVIDER } from './errors.js';
import type { EvmSignatureType } from './evm-signature.js';
import { AUTHORITY, isUri, REQUEST_ID, STATEMENT } from './grammar.js';
import { createEvmRpc, type EvmRpc } from './rpc.js';
import { createSiweMessage, type SiweMessage } from './siwe.js';
import { createSignInMessageText, type SolanaSignInInput, verifySignIn } from './siws.js';
import { DEFAULT_CLOCK_SKEW_MS } from './times.js';
import { verifySiweMessage } from './verify-siwe.js';

/** Options of {@link wallet}. */
export interface WalletOptions extends Omit<HttpOptions, 'baseUrl'> {
  /** The site's host as the browser sees it, with the port if any (`example.com`, `localhost:3000`). */
  domain: string;
  /** The site's origin; a message's `URI` must have it. Default `https://` + `domain`. */
  uri?: string;
  /**
   * Chains logins may use, as CAIP-2 ids (`eip155:1`, `eip155:8453`, `solana:mainnet` or
   * `solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp`). Default `['eip155:1']` unless `chainIds` is set.
   */
  chains?: string[];
  /** EIP-155 chain ids logins may use, added to `chains`. */
  chainIds?: number[];
  /** The statement every message carries (one line). Default none. */
  statement?: string;
  /** Where challenges live: the process's memory by default, a shared store (`@authbridge/redis`) for many instances. */
  store?: KeyValueStore;
  /** How long a challenge is accepted, in ms. Default 5 minutes. */
  challengeTtlMs?: number;
  /** JSON-RPC URLs by EIP-155 chain id (`{ 1: 'https://…' }`), for contract wallets (ERC-1271, ERC-6492). */
  rpc?: Record<number | string, string>;
  /** Allowed clock difference on every time check, in ms. Default 30000. */
  clockSkewMs?: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/** Input of `createChallenge`. */
export interface WalletChallengeInput {
  /** One of the configured chains (CAIP-2 id or alias). Default: the first configured chain. */
  chain?: string;
  /** Binds the challenge to one wallet; omit for one-click login (the wallet picks the account). */
  address?: string;
  /** A request id the message must carry. */
  requestId?: string;
  /** Resources the message must list. */
  resources?: string[];
}

/** The SIWE fields of an Ethereum challenge: everything but the address when none is bound. */
export type SiweChallengeFields = Omit<SiweMessage, 'address'> & { address?: string };

/** `Challenge.data` of `wallet()`: what the client needs to build and sign the message. */
export type WalletChallengeData =
  | { family: 'ethereum'; chain: string; fields: SiweChallengeFields }
  | { family: 'solana'; chain: string; input: SolanaSignInInput };

/** What the client sends back. */
export interface WalletCredential {
  challengeId: string;
  /** The exact text the wallet signed. */
  message: string;
  /** EVM: `0x` hex. Solana: base58 (as wallet adapters give it) or the raw 64 bytes. */
  signature: string | Uint8Array;
}

/** `AuthResult.claims` of `wallet()`. */
export interface WalletClaims {
  /** The CAIP-2 chain id. */
  chain: string;
  /** The CAIP-10 account id (also the subject). */
  accountId: string;
  /** How the signature was checked. */
  signatureType: EvmSignatureType | 'solana:ed25519';
  /** The signed message, parsed. */
  message: SiweMessage | (SolanaSignInInput & { domain: string; address: string });
}

/** The wallet provider. */
export interface WalletProvider
  extends ChallengeProvider<
    'wallet',
    WalletCredential,
    WalletClaims,
    WalletChallengeInput,
    WalletChallengeData
  > {
  /** Untrusted input as a {@link WalletCredential}, or `ERR_CREDENTIAL_MALFORMED` (see `parseWalletCredential`). */
  parseCredential(input: unknown): WalletCredential;
}

type ChallengeState =
  | {
      family: 'ethereum';
      chain: string;
      chainId: number;
      nonce: string;
      issuedAt: number;
      address?: string;
      statement?: string;
      requestId?: string;
      resources?: string[];
    }
  | { family: 'solana'; chain: string; issuedAt: number; input: SolanaSignInInput };

function randomNonce(): string {
  // 128 random bits as 32 hex digits: alphanumeric, as EIP-4361 and CAIP-122 ask.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/**
 * Self-hosted wallet login: Sign-In with Ethereum (EOAs, ERC-1271 and ERC-6492 contract wallets) and
 * Sign-In With Solana, no third-party service.
 *
 * Errors: `ERR_CONFIG` for a bad option. `createChallenge`: `ERR_INVALID_ARGUMENT` for a chain that is
 * not configured, an address of the wrong form, a bad request id or resource; `ERR_STORE`. `verify`:
 * `ERR_CREDENTIAL_MALFORMED`, `ERR_CREDENTIAL_CHALLENGE`, `ERR_CREDENTIAL_DOMAIN`, `ERR_CREDENTIAL_CHAIN`,
 * `ERR_CREDENTIAL_NONCE`, `ERR_CREDENTIAL_AUDIENCE`, `ERR_CREDENTIAL_REJECTED`, `ERR_CREDENTIAL_EXPIRED`,
 * `ERR_CREDENTIAL_NOT_YET_VALID`, `ERR_CREDENTIAL_ISSUED_AT`, `ERR_CREDENTIAL_SIGNATURE`, `ERR_STORE`, and
 * for contract wallets `ERR_TIMEOUT`, `ERR_NETWORK`, `ERR_ABORTED`, `ERR_PROVIDER_*`, `ERR_UNEXPECTED_RESPONSE`.
 *
 * @example
 * ```ts
 * const provider = wallet({ domain: 'example.com', chains: ['eip155:1', 'solana:mainnet'],
 *   rpc: { 1: process.env.MAINNET_RPC_URL! }, store: createRedisStore({ url }) });
 * const challenge = await provider.createChallenge({ chain: 'eip155:1' });
 * // the browser builds the SIWE message from challenge.data.fields, signs it, and posts it back:
 * const user = await provider.verify({ challengeId: challenge.id, message, signature });
 * user.subject; // 'eip155:1:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
 * ```
 */
export function wallet(options: WalletOptions): WalletProvider {
  const { domain } = options;
  if (typeof domain !== 'string' || !AUTHORITY.test(domain))
    misconfigured('wallet: domain must be a host with an optional port, such as example.com.');
  const uri = options.uri ?? `https://${domain}`;
  if (!isUri(uri) || !/^https?:$/.test(new URL(uri).protocol))
    misconfigured('wallet: uri must be the http(s) origin of the site.');
  const scheme = new URL(uri).protocol.slice(0, -1);
  if (options.statement !== undefined && !STATEMENT.test(options.statement))
    misconfigured('wallet: statement must be one line of RFC 3986 characters.');
  const chains: WalletChain[] = [
    ...(options.chains ?? (options.chainIds ? [] : ['eip155:1'])).map((c) => resolveChain(c)),
    ...(options.chainIds ?? []).map((id) => resolveChain(id)),
  ];
  if (chains.length === 0) misconfigured('wallet: configure at least one chain.');
  const {
    domain: _domain,
    uri: _uri,
    chains: _chains,
    chainIds: _chainIds,
    statement: _statement,
    store,
    challengeTtlMs,
    rpc: rpcUrls,
    clockSkewMs = DEFAULT_CLOCK_SKEW_MS,
    now = Date.now,
    ...http
  } = options;
  const rpcs = new Map<number, EvmRpc>();
  for (const [key, url] of Object.entries(rpcUrls ?? {})) {
    const chain = resolveChain(/^[0-9]+$/.test(key) ? Number(key) : key);
    if (chain.family !== 'ethereum') misconfigured(`wallet: rpc '${key}' is not an EIP-155 chain.`);
    rpcs.set(chain.chainId, createEvmRpc({ ...http, url }));
  }
  const challenges = createChallengeStore<ChallengeState>({
    provider: WALLET_PROVIDER,
    store,
    ttlMs: challengeTtlMs,
    now,
  });

  function chainOf(name: string | undefined): WalletChain {
    if (name === undefined) return chains[0] as WalletChain;
    let wanted: WalletChain;
    try {
      wanted = resolveChain(name);
    } catch {
      throw new InvalidArgumentError(`'${String(name).slice(0, 80)}' is not a CAIP-2 chain id.`, {
        provider: WALLET_PROVIDER,
      });
    }
    const found = chains.find((c) => c.caip2 === wanted.caip2);
    if (!found)
      throw new InvalidArgumentError(`Chain '${String(name).slice(0, 80)}' is not one this site accepts.`, {
        provider: WALLET_PROVIDER,
      });
    return found;
  }

  function checkedList(input: WalletChallengeInput): void {
    const invalid = (what: string) => {
      throw new InvalidArgumentError(`createChallenge: ${what}.`, { provider: WALLET_PROVIDER });
    };
    if (
      input.requestId !== undefined &&
      (typeof input.requestId !== 'string' || !REQUEST_ID.test(input.requestId))
    )
      invalid('requestId must be RFC 3986 path characters');
    if (
      input.resources !== undefined &&
      (!Array.isArray(input.resources) || !input.resources.every((r) => typeof r === 'string' && isUri(r)))
    )
      invalid('every resource must be an RFC 3986 URI');
  }

  return {
    id: 'wallet',
    parseCredential: parseWalletCredential,

    async createChallenge(input = {}) {
      const chain = chainOf(input.chain);
      checkedList(input);
      const nonce = randomNonce();
      const issuedAtMs = now();
      const issuedAt = new Date(issuedAtMs).toISOString();
      const expirationTime = new Date(issuedAtMs + challenges.ttlMs).toISOString();
      if (chain.family === 'ethereum') {
        let address: string | undefined;
        if (input.address !== undefined) {
          try {
            address = toChecksumAddress(input.address);
          } catch {
            throw new InvalidArgumentError('createChallenge: address is not 0x followed by 40 hex digits.', {
              provider: WALLET_PROVIDER,
            });
          }
        }
        const state: ChallengeState = {
          family: 'ethereum',
          chain: chain.caip2,
          chainId: chain.chainId,
          nonce,
          issuedAt: issuedAtMs,
        };
        if (address !== undefined) state.address = address;
        if (options.statement !== undefined) state.statement = options.statement;
        if (input.requestId !== undefined) state.requestId = input.requestId;
        if (input.resources !== undefined) state.resources = [...input.resources];
        const issued = await challenges.issue(state);
        const fields: SiweChallengeFields = {
          domain,
          ...(address !== undefined && { address }),
          ...(options.statement !== undefined && { statement: options.statement }),
          uri,
          version: '1',
          chainId: chain.chainId,
          nonce,
          issuedAt,
          expirationTime,
          ...(input.requestId !== undefined && { requestId: input.requestId }),
          ...(input.resources !== undefined && { resources: [...input.resources] }),
        };
        const challenge: Challenge<'wallet', WalletChallengeData> = {
          provider: 'wallet',
          id: issued.id,
          expiresAt: issued.expiresAt,
          data: { family: 'ethereum', chain: chain.caip2, fields },
        };
        if (address !== undefined) challenge.message = createSiweMessage({ ...fields, address });
        return challenge;
      }
      if (input.address !== undefined && !isSolanaAddress(input.address))
        throw new InvalidArgumentError('createChallenge: address is not a base58 ed25519 public key.', {
          provider: WALLET_PROVIDER,
        });
      const signIn: SolanaSignInInput = {
        domain,
        ...(input.address !== undefined && { address: input.address }),
        ...(options.statement !== undefined && { statement: options.statement }),
        uri,
        version: '1',
        chainId: chain.cluster,
        nonce,
        issuedAt,
        expirationTime,
        ...(input.requestId !== undefined && { requestId: input.requestId }),
        ...(input.resources !== undefined && { resources: [...input.resources] }),
      };
      const issued = await challenges.issue({
        family: 'solana',
        chain: chain.caip2,
        issuedAt: issuedAtMs,
        input: signIn,
      });
      const challenge: Challenge<'wallet', WalletChallengeData> = {
        provider: 'wallet',
        id: issued.id,
        expiresAt: issued.expiresAt,
        data: { family: 'solana', chain: chain.caip2, input: signIn },
      };
      if (signIn.address !== undefined)
        challenge.message = createSignInMessageText({ ...signIn, domain, address: signIn.address });
      return challenge;
    },

    async verify(credential, callOptions: CallOptions = {}) {
      if (typeof credential !== 'object' || credential === null)
        malformed('The credential is not an object.');
      const { challengeId, message, signature } = credential;
      if (callOptions.signal?.aborted)
        throw new AbortedError('The login was aborted before it started.', { provider: WALLET_PROVIDER });
      // The challenge is spent first, whatever follows: one nonce, one attempt, even under races.
      const state = await challenges.consume(challengeId);
      if (typeof message !== 'string') malformed('The signed message is not a string.');
      if (
        !(typeof signature === 'string' || signature instanceof Uint8Array) ||
        signature.length > MAX_SIGNATURE_LENGTH
      )
        malformed('The signature is not a string or bytes of a sensible length.');
      if (state.family === 'ethereum') {
        if (typeof signature !== 'string') malformed('An Ethereum signature is 0x-prefixed hex.');
        const result = await verifySiweMessage(
          {
            message,
            signature,
            domain,
            uri,
            scheme,
            chainId: state.chainId,
            nonce: state.nonce,
            address: state.address,
            statement: state.statement,
            requestId: state.requestId,
            resources: state.resources,
            time: now(),
            clockSkewMs,
            issuedNotBefore: state.issuedAt,
            rpc: rpcs.get(state.chainId),
          },
          callOptions,
        );
        return authResult(
          'ethereum',
          state.chain,
          result.address,
          result.type,
          result.fields,
          result.expiresAt,
        );
      }
      const bytes = typeof signature === 'string' ? decodeSignature(signature) : signature;
      const address = addressLine(message);
      const fields = await verifySignIn(
        state.input,
        {
          account: { publicKey: decodeAddress(address) },
          signedMessage: utf8ToBytes(message),
          signature: bytes,
        },
        { time: now(), clockSkewMs, issuedNotBefore: state.issuedAt },
      );
      const expiresAt = fields.expirationTime ? new Date(fields.expirationTime) : undefined;
      return authResult('solana', state.chain, fields.address, 'solana:ed25519', fields, expiresAt);
    },
  };
}

function authResult(
  family: ChainFamily,
  chain: string,
  address: string,
  signatureType: WalletClaims['signatureType'],
  message: WalletClaims['message'],
  expiresAt: Date | undefined,
): AuthResult<'wallet', WalletClaims> {
  const accountId = toAccountId(chain, address);
  const result: AuthResult<'wallet', WalletClaims> = {
    provider: 'wallet',
    subject: accountId,
    wallet: { chain: family, address },
    claims: { chain, accountId, signatureType, message },
  };
  if (expiresAt !== undefined) result.expiresAt = expiresAt;
  return result;
}

function isSolanaAddress(address: unknown): address is string {
  if (typeof address !== 'string' || address.length > 44) return false;
  try {
    return base58.decode(address).length === 32;
  } catch {
    return false;
  }
}

function addressLine(message: string): string {
  const start = message.indexOf('\n');
  const end = message.indexOf('\n', start + 1);
  return message.slice(start + 1, end === -1 ? undefined : end);
}

function decodeAddress(address: string): Uint8Array {
  if (!isSolanaAddress(address)) malformed('The message does not name a Solana address (base58, 32 bytes).');
  return base58.decode(address);
}

function decodeSignature(signature: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = signature.length <= 100 ? base58.decode(signature) : new Uint8Array(0);
  } catch {
    malformed('The signature is not base58.');
  }
  if (bytes.length !== 64) malformed('The signature is not 64 bytes.');
  return bytes;
}
