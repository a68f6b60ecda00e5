/**
 * `picket(...)`: the Picket API (parity with picket-python and picket-node) and the authbridge
 * `AuthProvider` built on it.
 */
import {
  type AuthResult,
  bytesToBase64,
  type CallOptions,
  type Challenge,
  type ChallengeProvider,
  ConfigurationError,
  challengeAnswerOf,
  checkSecret,
  createChallengeStore,
  createHttpClient,
  DEFAULT_RETRY,
  encodePathSegment,
  type HttpOptions,
  InvalidCredentialError,
  type KeyValueStore,
  type RetryOptions,
  rememberSecret,
  utf8ToBytes,
} from '@authbridge/core';
import { ACCESS_TOKEN_MAX_LENGTH, decodeAccessToken } from './access-token.js';
import { parsePicketCredential } from './credential.js';
import { asCredentialError, parsePicketError } from './errors.js';
import { toChecksumAddress } from './evm.js';
import { type AuthContext, type ChainType, createSigningMessage } from './message.js';
import type { AuthRequirements } from './requirements.js';
import { chainTypeOf } from './signature.js';
import { VERSION } from './version.js';
import {
  AccessTokenClaims,
  AuthResponse,
  ChainInfo,
  ChainsResponse,
  NonceResponse,
  TokenOwnershipResponse,
} from './wire.js';

/** Picket's production API. */
export const PICKET_BASE_URL = 'https://picketapi.com/api/v1';

/** Options of {@link picket}. */
export interface PicketOptions extends HttpOptions {
  /** The project's secret API key (`sk_…`). Sent as HTTP Basic; never logged. */
  apiKey: string;
  /** Seconds of clock skew allowed when `verifyAccessToken` checks `exp` locally. Default 30. */
  clockTolerance?: number;
  /** The clock in ms, for the local `exp` check and challenge times. Default `Date.now`. */
  now?: () => number;
  /**
   * Where `createChallenge` keeps what it issued (nonce, message, chain, wallet, SIWE context,
   * requirements) until `verify` takes it back, once. Default: a memory store of this process. An app
   * on several instances must pass a store they share (`@authbridge/redis`), or a login that starts
   * on one instance and finishes on another is refused with `ERR_CREDENTIAL_CHALLENGE`.
   */
  challengeStore?: KeyValueStore;
  /**
   * How long a challenge is accepted, in ms. Default {@link PICKET_CHALLENGE_TTL_MS} (two minutes,
   * the life of Picket's nonce).
   */
  challengeTtlMs?: number;
}

/** The default life of a Picket challenge: two minutes, as long as Picket keeps the nonce. */
export const PICKET_CHALLENGE_TTL_MS = 120_000;

/** Input of `nonce`. */
export interface NonceInput {
  chain: string;
  walletAddress: string;
  /** BCP-47 locale of the statement. Omitted: Picket's default. */
  locale?: string;
}

/**
 * Input of `auth`: the raw `POST /auth` body. `auth` trusts its caller; a login from a browser goes
 * through `createChallenge` and `verify` instead, which keep this on the server.
 */
export interface AuthInput {
  chain: string;
  walletAddress: string;
  /** `0x` hex on EVM chains, base58 on Solana, hex on Flow. */
  signature: string;
  requirements?: AuthRequirements;
  /** Required when the project signs SIWE messages: the context the message was built with. */
  context?: AuthContext;
}

/** Input of `authz`. */
export interface AuthzInput {
  accessToken: string;
  requirements: AuthRequirements;
  /** Force Picket to read balances on chain again instead of trusting the token. Default false. */
  revalidate?: boolean;
}

/** Input of `tokenOwnership`. */
export interface TokenOwnershipInput {
  chain: string;
  walletAddress: string;
  requirements: Omit<AuthRequirements, 'allowedWallets'>;
}

/** Input of `createChallenge`. */
export interface PicketChallengeInput {
  chain: string;
  walletAddress: string;
  locale?: string;
  /**
   * The page the user signs in on, for projects whose format is `siwe`. The message's chain id is
   * the chain's id from `GET /chains/{chain}`; a `chainId` given here must equal it (`ERR_CONFIG`
   * otherwise), so a message never names another chain. `issuedAt` defaults to now.
   */
  siwe?: { domain: string; uri: string; chainId?: number; issuedAt?: string };
  /**
   * Token gating for this login, checked by Picket in `verify`. A server decision: kept on the server
   * with the challenge, never taken from the client.
   */
  requirements?: AuthRequirements;
}

/**
 * `Challenge.data` of a Picket challenge: what was issued, for display and logs. `verify` never reads
 * it back: the server keeps its own copy, and the client returns only the challenge id and signature.
 */
export interface PicketChallengeData {
  nonce: string;
  statement: string;
  format: 'simple' | 'siwe';
  chain: string;
  walletAddress: string;
  context?: AuthContext;
}

/**
 * What `verify` takes from the client: the id of a challenge this server issued, and the wallet's
 * signature of that challenge's `message`. Nothing else: the chain, wallet, nonce, SIWE context and
 * requirements are the server's, kept with the challenge.
 */
export interface PicketCredential {
  challengeId: string;
  /** `0x` hex on EVM chains, base58 on Solana, hex on Flow. */
  signature: string;
}

/** What the server keeps per challenge. */
interface PicketChallengeState {
  nonce: string;
  message: string;
  format: 'simple' | 'siwe';
  chain: string;
  walletAddress: string;
  context?: AuthContext;
  requirements?: AuthRequirements;
}

/**
 * Claims of a Picket `AuthResult`: the token's wallet claims and balances. `accessToken` is
 * non-enumerable, so that logging or serialising a result does not print it.
 */
export type PicketClaims = AccessTokenClaims & { readonly accessToken: string };

/** Options of `verifyAccessToken`. */
export interface VerifyAccessTokenOptions extends CallOptions {
  /** Requirements the token's holder must also meet. */
  requirements?: AuthRequirements;
}

/** What {@link picket} returns: the `AuthProvider` plus the whole Picket API. */
export interface PicketProvider
  extends ChallengeProvider<
    'picket',
    PicketCredential,
    PicketClaims,
    PicketChallengeInput,
    PicketChallengeData
  > {
  readonly id: 'picket';
  /** Asks Picket for a nonce and builds the exact text the wallet signs. */
  createChallenge(
    input: PicketChallengeInput,
    options?: CallOptions,
  ): Promise<Challenge<'picket', PicketChallengeData>>;
  /** Takes the server-held challenge, checks the signature with Picket (`POST /auth`) and returns the login. */
  verify(credential: PicketCredential, options?: CallOptions): Promise<AuthResult<'picket', PicketClaims>>;
  /** Untrusted input as a {@link PicketCredential}, or `ERR_CREDENTIAL_MALFORMED` (see `parsePicketCredential`). */
  parseCredential(input: unknown): PicketCredential;
  /** Checks an access token with Picket (`POST /auth/validate`) and returns its holder. */
  verifyAccessToken(
    accessToken: string,
    options?: VerifyAccessTokenOptions,
  ): Promise<AuthResult<'picket', PicketClaims>>;
  /** `POST /auth/nonce`: the nonce and statement for a wallet. */
  nonce(input: NonceInput, options?: CallOptions): Promise<NonceResponse>;
  /**
   * The raw `POST /auth` (picket-python's `auth`): sends `input` as given and trusts its caller, so
   * the context and requirements must be the server's own. A browser login uses `createChallenge`
   * and `verify`, which keep them on the server.
   *
   * Errors: `ERR_PROVIDER_*`, `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_UNEXPECTED_RESPONSE`.
   *
   * @example
   * ```ts
   * const { accessToken } = await provider.auth({ chain: 'ethereum', walletAddress, signature, context });
   * ```
   */
  auth(input: AuthInput, options?: CallOptions): Promise<AuthResponse>;
  /** `POST /authz`: re-checks an access token against requirements and issues a new one. */
  authz(input: AuthzInput, options?: CallOptions): Promise<AuthResponse>;
  /** `POST /auth/validate`: the claims of a valid access token. */
  validate(
    accessToken: string,
    requirements?: AuthRequirements,
    options?: CallOptions,
  ): Promise<AccessTokenClaims>;
  /** `POST /chains/{chain}/wallets/{address}/tokenOwnership`: whether a wallet holds the tokens. */
  tokenOwnership(input: TokenOwnershipInput, options?: CallOptions): Promise<TokenOwnershipResponse>;
  /** `GET /chains`: the chains Picket supports. */
  chains(options?: CallOptions): Promise<ChainInfo[]>;
  /** `GET /chains/{chain}`: one chain's details. */
  chain(chain: string, options?: CallOptions): Promise<ChainInfo>;
}

/** The longest chain slug a credential may name, in characters. Picket's slugs are short words. */
export const CHAIN_MAX_LENGTH = 64;
/** The longest wallet address a credential may carry, in characters (EVM 42, Solana at most 44). */
export const WALLET_ADDRESS_MAX_LENGTH = 128;
/**
 * The longest signature a credential may carry, in characters: an EOA signature is 132, a smart
 * contract wallet's (ERC-1271, ERC-6492) can run to a few kilobytes.
 */
export const SIGNATURE_MAX_LENGTH = 16_384;

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const EVM_SIGNATURE = /^0x([0-9a-fA-F]{2})+$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;

function malformed(message: string): never {
  throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', message, { provider: 'picket' });
}

function requireText(value: unknown, name: string, maxLength = ACCESS_TOKEN_MAX_LENGTH): string {
  if (typeof value !== 'string' || value.trim() === '')
    malformed(`'${name}' is required and must be a non-empty string.`);
  if (value.length > maxLength) malformed(`'${name}' is longer than ${maxLength} characters.`);
  return value;
}

/**
 * The client's part of a login, checked before the challenge is touched: `{ challengeId, signature }`
 * and nothing else. The fields the credential had before challenges were kept on the server
 * (`chain`, `walletAddress`, `context`, `requirements`) are refused, so no client value can stand in
 * for the server's.
 */
function clientAnswer(credential: PicketCredential): { challengeId: unknown; signature: string } {
  const { challengeId, signature } = challengeAnswerOf(credential, {
    provider: 'picket',
    answerFields: ['signature'],
    shape: '{ challengeId, signature }',
  });
  return { challengeId, signature: requireText(signature, 'signature', SIGNATURE_MAX_LENGTH) };
}

/** Refuses a signature that cannot be the chain's before it reaches Picket. */
function assertSignatureForm(chain: string, signature: string): void {
  const type = chainTypeOf(chain);
  if (type === 'ethereum' && !EVM_SIGNATURE.test(signature))
    malformed('The signature is not 0x-prefixed hex of whole bytes.');
  if (type === 'solana' && (!BASE58.test(signature) || signature.length < 64 || signature.length > 88))
    malformed('The signature is not a base58 ed25519 signature.');
}

/** Refuses a wallet address that cannot be the chain's, before a nonce is asked for it. */
function assertAddressForm(chain: string, address: string): void {
  const type = chainTypeOf(chain);
  if (type === 'ethereum' && !EVM_ADDRESS.test(address))
    malformed('The wallet address is not 0x followed by 40 hex digits.');
  if (type === 'solana' && (!BASE58.test(address) || address.length < 32 || address.length > 44))
    malformed('The wallet address is not a base58 public key.');
}

const chainSegment = (chain: unknown): string =>
  encodePathSegment(chain, { provider: 'picket', name: 'chain', maxLength: CHAIN_MAX_LENGTH });

/** Idempotent POSTs (validate, tokenOwnership) may be retried; the nonce and auth never are. */
function retryWithPost(retry: RetryOptions | false | undefined): RetryOptions | false {
  if (retry === false) return false;
  const methods = retry?.methods ?? DEFAULT_RETRY.methods;
  return { ...retry, methods: methods.includes('POST') ? methods : [...methods, 'POST'] };
}

function hideToken<T extends object>(claims: T, accessToken: string): T & { readonly accessToken: string } {
  return Object.defineProperty({ ...claims }, 'accessToken', {
    value: accessToken,
    enumerable: false,
  }) as T & {
    readonly accessToken: string;
  };
}

/** The address as the subject spells it: EIP-55 checksummed on an EVM chain, as Picket sent it elsewhere. */
function canonicalAddress(chain: string, address: string): string {
  return chainTypeOf(chain) === 'ethereum' && EVM_ADDRESS.test(address)
    ? toChecksumAddress(address)
    : address;
}

function toAuthResult(claims: AccessTokenClaims, accessToken: string): AuthResult<'picket', PicketClaims> {
  const address = canonicalAddress(claims.chain, claims.walletAddress);
  return {
    provider: 'picket',
    subject: `${claims.chain}:${address}`,
    wallet: { chain: claims.chain, address },
    // Picket's `email` is generated for the wallet, not a verified inbox: it stays a claim.
    expiresAt: claims.exp === undefined ? undefined : new Date(claims.exp * 1000),
    claims: hideToken(claims, accessToken),
  };
}

/**
 * Creates the Picket provider: `createChallenge`, `verify` and `verifyAccessToken` for sign-in, and
 * `nonce`, `auth`, `authz`, `validate`, `tokenOwnership`, `chains`, `chain` as in picket-node.
 *
 * A login is bound to the server: `createChallenge` keeps what it issued (the nonce, the exact
 * message, chain, wallet, SIWE context and requirements) in `challengeStore` under a random id, and
 * `verify({ challengeId, signature })` takes that record back once, before any other work, and asks
 * Picket with the server's own values. A signature the wallet made for another site's message, even
 * with this app's nonce, does not match the message Picket rebuilds from this server's context.
 * `auth` is the raw `POST /auth` of the official SDKs: it sends what its caller gives and checks
 * nothing, so never feed it a client's request body.
 *
 * `nonce` and `auth` consume one-time values and are never retried; `validate` and
 * `tokenOwnership` are retried like GETs.
 *
 * Errors: `ERR_CONFIG` when `apiKey` is missing or options are invalid. Every method returns a
 * promise and rejects, never throws synchronously: `ERR_PROVIDER_*` (keeping Picket's `code` in
 * `providerCode`), `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_UNEXPECTED_RESPONSE`;
 * `ERR_CREDENTIAL_MALFORMED` for an empty token in `validate`/`authz`, a wallet address of the wrong
 * form in `createChallenge`, and a credential that is not `{ challengeId, signature }` in `verify`;
 * `ERR_CONFIG` for `authz` without requirements; `ERR_STORE` when the challenge store fails;
 * `verify` also rejects with `ERR_CREDENTIAL_CHALLENGE` (an unknown, expired or used challenge id),
 * `ERR_CREDENTIAL_SIGNATURE`, `ERR_CREDENTIAL_EXPIRED` and `ERR_CREDENTIAL_REJECTED`.
 *
 * @example
 * ```ts
 * const provider = picket({ apiKey: process.env.PICKET_SECRET_KEY!, challengeStore: redisStore });
 * const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress });
 * // send challenge.id and challenge.message to the browser; the wallet signs the message, then:
 * const result = await provider.verify({ challengeId: challenge.id, signature });
 * result.subject; // 'ethereum:0xf39F…2266'
 * ```
 */
export function picket(options: PicketOptions): PicketProvider {
  const apiKey = checkSecret(options?.apiKey, { provider: 'picket', name: 'apiKey' });
  const clockTolerance = options.clockTolerance ?? 30;
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw new ConfigurationError('clockTolerance must be 0 or more seconds.', { provider: 'picket' });
  }
  const now = options.now ?? Date.now;
  // Basic with the key as user and an empty password, as picket-python and picket-go send it.
  const basic = bytesToBase64(utf8ToBytes(`${apiKey}:`));
  rememberSecret(basic);
  const http = createHttpClient({
    provider: 'picket',
    defaultBaseUrl: PICKET_BASE_URL,
    baseUrl: options.baseUrl,
    timeout: options.timeout,
    retry: options.retry,
    fetch: options.fetch,
    hooks: options.hooks,
    maxResponseBytes: options.maxResponseBytes,
    headers: { ...options.headers, authorization: `Basic ${basic}` },
    userAgent: `@authbridge/picket/${VERSION}`,
    secretValues: [apiKey, basic],
    parseError: parsePicketError,
  });
  const idempotentPost = retryWithPost(options.retry);
  const challenges = createChallengeStore<PicketChallengeState>({
    provider: 'picket',
    store: options.challengeStore,
    ttlMs: options.challengeTtlMs ?? PICKET_CHALLENGE_TTL_MS,
    now,
  });

  const nonce: PicketProvider['nonce'] = async (input, { signal } = {}) =>
    http.request({
      method: 'POST',
      path: 'auth/nonce',
      json: { chain: input.chain, walletAddress: input.walletAddress, locale: input.locale },
      schema: NonceResponse,
      retry: false,
      signal,
    });

  // The raw call: it trusts its caller (picket-python parity). `verify` builds its input from the
  // server's challenge record.
  const auth: PicketProvider['auth'] = async (input, { signal } = {}) =>
    http.request({
      method: 'POST',
      path: 'auth',
      // Picket's msg may repeat the value it refused: hide it in errors, data.msg and events.
      secretValues: [input.signature],
      json: {
        chain: input.chain,
        walletAddress: input.walletAddress,
        signature: input.signature,
        requirements: input.requirements,
        context: input.context,
      },
      schema: AuthResponse,
      retry: false,
      signal,
    });

  const authz: PicketProvider['authz'] = async (input, { signal } = {}) => {
    requireText(input?.accessToken, 'accessToken');
    if (typeof input.requirements !== 'object' || input.requirements === null) {
      throw new ConfigurationError('authz needs requirements to authorize against.', { provider: 'picket' });
    }
    return http.request({
      method: 'POST',
      path: 'authz',
      secretValues: [input.accessToken],
      json: {
        accessToken: input.accessToken,
        requirements: input.requirements,
        revalidate: input.revalidate ?? false,
      },
      schema: AuthResponse,
      retry: false,
      signal,
    });
  };

  const validate: PicketProvider['validate'] = async (accessToken, requirements, { signal } = {}) => {
    requireText(accessToken, 'accessToken');
    return http.request({
      method: 'POST',
      path: 'auth/validate',
      secretValues: [accessToken],
      json: { accessToken, requirements },
      schema: AccessTokenClaims,
      retry: idempotentPost,
      signal,
    });
  };

  const tokenOwnership: PicketProvider['tokenOwnership'] = async (input, { signal } = {}) =>
    http.request({
      method: 'POST',
      path: `chains/${chainSegment(input.chain)}/wallets/${encodePathSegment(input.walletAddress, { provider: 'picket', name: 'walletAddress', maxLength: WALLET_ADDRESS_MAX_LENGTH })}/tokenOwnership`,
      // Picket takes the requirement fields flat here, unlike /auth (spec §2.5).
      json: { ...input.requirements },
      schema: TokenOwnershipResponse,
      retry: idempotentPost,
      signal,
    });

  const chains: PicketProvider['chains'] = async ({ signal } = {}) =>
    (await http.request({ method: 'GET', path: 'chains', schema: ChainsResponse, signal })).data;

  const chain: PicketProvider['chain'] = async (id, { signal } = {}) =>
    http.request({ method: 'GET', path: `chains/${chainSegment(id)}`, schema: ChainInfo, signal });

  // A chain's id does not change: one GET /chains/{chain} per chain and client, as picket-js caches.
  const chainIds = new Map<string, number>();
  const chainIdOf = async (slug: string, signal: AbortSignal | undefined): Promise<number> => {
    const known = chainIds.get(slug);
    if (known !== undefined) return known;
    const { chainId } = await chain(slug, { signal });
    chainIds.set(slug, chainId);
    return chainId;
  };

  return {
    id: 'picket',
    parseCredential: parsePicketCredential,
    nonce,
    auth,
    authz,
    validate,
    tokenOwnership,
    chains,
    chain,

    async createChallenge(input, { signal } = {}) {
      const walletAddress = requireText(input?.walletAddress, 'walletAddress', WALLET_ADDRESS_MAX_LENGTH);
      const chainSlug = requireText(input.chain, 'chain', CHAIN_MAX_LENGTH);
      assertAddressForm(chainSlug, walletAddress);
      const reply = await nonce({ chain: chainSlug, walletAddress, locale: input.locale }, { signal });
      const format = reply.format ?? 'simple';
      if (format !== 'simple' && format !== 'siwe') {
        throw new ConfigurationError(`The Picket project uses an unknown message format '${format}'.`, {
          provider: 'picket',
        });
      }
      let context: AuthContext | undefined;
      if (format === 'siwe') {
        if (!input.siwe) {
          throw new ConfigurationError(
            'This Picket project signs SIWE messages: pass siwe: { domain, uri } to createChallenge.',
            { provider: 'picket' },
          );
        }
        const chainType: ChainType = chainTypeOf(chainSlug);
        const chainId = await chainIdOf(chainSlug, signal);
        if (input.siwe.chainId !== undefined && input.siwe.chainId !== chainId) {
          throw new ConfigurationError(
            `siwe.chainId ${input.siwe.chainId} is not the id of chain '${chainSlug}' (${chainId}).`,
            { provider: 'picket' },
          );
        }
        context = {
          domain: input.siwe.domain,
          uri: input.siwe.uri,
          chainId,
          issuedAt: input.siwe.issuedAt ?? new Date(now()).toISOString(),
          chainType,
          ...(input.locale === undefined ? {} : { locale: input.locale }),
        };
      }
      const message = createSigningMessage({
        format,
        nonce: reply.nonce,
        statement: reply.statement,
        walletAddress,
        ...context,
      });
      const state: PicketChallengeState = {
        nonce: reply.nonce,
        message,
        format,
        chain: chainSlug,
        walletAddress,
        ...(context ? { context } : {}),
        ...(input.requirements ? { requirements: input.requirements } : {}),
      };
      const issued = await challenges.issue(state);
      return {
        provider: 'picket',
        id: issued.id,
        message,
        expiresAt: issued.expiresAt,
        data: {
          nonce: reply.nonce,
          statement: reply.statement,
          format,
          chain: chainSlug,
          walletAddress,
          ...(context ? { context } : {}),
        },
      };
    },

    async verify(credential, { signal } = {}) {
      const { challengeId, signature } = clientAnswer(credential);
      // Taken once, before any signature work or call: a second attempt with this id, concurrent or
      // later, on any instance sharing the store, is ERR_CREDENTIAL_CHALLENGE.
      const state = await challenges.consume(challengeId);
      assertSignatureForm(state.chain, signature);
      let reply: AuthResponse;
      try {
        // Everything but the signature is what this server issued.
        reply = await auth(
          {
            chain: state.chain,
            walletAddress: state.walletAddress,
            signature,
            requirements: state.requirements,
            context: state.context,
          },
          { signal },
        );
      } catch (error) {
        throw asCredentialError(error);
      }
      let claims: AccessTokenClaims = reply.user;
      try {
        // The token came straight from Picket over TLS: its payload adds `exp`, `iss`, `aud`, `tid`.
        claims = { ...decodeAccessToken(reply.accessToken), ...reply.user };
      } catch {
        // A token that is not a JWT still authenticates the user; it just has no known expiry.
      }
      return toAuthResult(claims, reply.accessToken);
    },

    async verifyAccessToken(accessToken, { signal, requirements } = {}) {
      const unverified = decodeAccessToken(requireText(accessToken, 'accessToken'));
      if (unverified.exp !== undefined && unverified.exp + clockTolerance <= now() / 1000) {
        throw new InvalidCredentialError('ERR_CREDENTIAL_EXPIRED', 'The Picket access token has expired.', {
          provider: 'picket',
        });
      }
      let claims: AccessTokenClaims;
      try {
        claims = await validate(accessToken, requirements, { signal });
      } catch (error) {
        throw asCredentialError(error);
      }
      return toAuthResult(claims, accessToken);
    },
  };
}
