/**
 * `createMagicAdmin`: the counterpart of `new Magic(secretKey)` of the official SDKs, with a `token`
 * and a `users` namespace.
 */
import {
  AbortedError,
  bytesToHex,
  type CallOptions,
  ConfigurationError,
  createTtlCache,
  type HttpClient,
  type KeyValueStore,
  utf8ToBytes,
} from '@authbridge/core';
import { sha256 } from '@noble/hashes/sha2.js';
import { type DecodedDIDToken, decodeDIDToken, getIssuer, getPublicAddress } from './did-token.js';
import { createMagicHttpClient, type MagicHttpOptions } from './http.js';
import { loadNativeRecovery } from './native-recovery.js';
import { jsRecovery, type RecoveryBackend } from './recover.js';
import { recordOnce } from './replay.js';
import { createUsers, type MagicUsers } from './users.js';
import { validateDIDToken } from './validate.js';
import { ClientInfoSchema } from './wire.js';

/** Options of {@link createMagicAdmin}. */
export interface MagicAdminOptions extends MagicHttpOptions {
  /** The secret API key (`sk_live_…`). Never logged, never in an error. */
  secretKey: string;
  /**
   * The app's client id, checked against every token's `aud`. Leave it out to look it up once from
   * `GET /v1/admin/client` (a failed lookup fails the validation and is retried next time); `null`
   * turns the audience check off, which only an app that accepts tokens of any Magic app should do.
   */
  clientId?: string | null;
  /** `'auto'` (default): native libsecp256k1 when the `secp256k1` package is installed, else pure JS. */
  recovery?: 'auto' | 'js' | RecoveryBackend;
  /** Accept each token once, until its `ext` (see the README, "Verify a login"). Turns the cache off. */
  replayStore?: KeyValueStore;
  /** The verified-token cache used when there is no replay store. Default 1000 entries; `false` disables it. */
  cache?: { maxEntries: number } | false;
}

/** Options of `token.validate`. */
export interface TokenValidateOptions extends CallOptions {
  /** The message the client signed into `add`. Default `'none'`: not checked. */
  attachment?: string;
  /** Overrides the admin's client id for this call; `null` skips the audience check. */
  clientId?: string | null;
  /** The time to judge `ext` and `nbf` by. Default now. */
  now?: Date | number;
}

/** A DID token that passed validation. */
export interface ValidatedDIDToken extends DecodedDIDToken {
  /** `claim.iss`: the stable user id. */
  issuer: string;
  /** The address in `iss`, case kept. */
  publicAddress: string;
}

/** The `token` namespace. */
export interface MagicToken {
  /** {@link decodeDIDToken}. */
  decode(didToken: string): DecodedDIDToken;
  /** {@link getIssuer}. */
  getIssuer(didToken: string): string;
  /** {@link getPublicAddress}. */
  getPublicAddress(didToken: string): string;
  /** Validates a DID token (signature, attachment, times, audience, replay); see {@link createMagicAdmin}. */
  validate(didToken: string, options?: TokenValidateOptions): Promise<ValidatedDIDToken>;
}

/** What {@link createMagicAdmin} returns. */
export interface MagicAdmin {
  token: MagicToken;
  users: MagicUsers;
  /** The app's client id: the configured one, else looked up once (`GET /v1/admin/client`). */
  getClientId(options?: CallOptions): Promise<string>;
  /** The admin API client (for tests and advanced calls). */
  readonly http: HttpClient;
}

function assertNotAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AbortedError('magic: the call was aborted before it started.', {
      provider: 'magic',
      cause: signal.reason,
    });
  }
}

/**
 * Creates a Magic admin client.
 *
 * `token.validate` errors: `ERR_CREDENTIAL_MALFORMED`, `ERR_CREDENTIAL_SIGNATURE`,
 * `ERR_CREDENTIAL_EXPIRED`, `ERR_CREDENTIAL_NOT_YET_VALID`, `ERR_CREDENTIAL_AUDIENCE`,
 * `ERR_CREDENTIAL_REPLAYED` (Magic's code in `providerCode`), `ERR_STORE`, `ERR_ABORTED`, and while
 * the client id is looked up `ERR_PROVIDER_*`, `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_UNEXPECTED_RESPONSE`.
 * Construction throws `ERR_CONFIG` (no secret key, bad options).
 *
 * @example
 * ```ts
 * const magicAdmin = createMagicAdmin({ secretKey: process.env.MAGIC_SECRET_KEY! });
 * const { issuer } = await magicAdmin.token.validate(parseAuthorizationHeader(req.headers));
 * const user = await magicAdmin.users.getMetadataByIssuer(issuer);
 * ```
 */
export function createMagicAdmin(options: MagicAdminOptions): MagicAdmin {
  const { secretKey, clientId, recovery = 'auto', replayStore, cache: cacheOption, ...httpOptions } = options;
  const http = createMagicHttpClient(secretKey, httpOptions);
  if (clientId !== undefined && clientId !== null && (typeof clientId !== 'string' || clientId === '')) {
    throw new ConfigurationError(
      'magic: clientId must be a non-empty string, or null to skip the audience check.',
      {
        provider: 'magic',
      },
    );
  }
  const cache =
    replayStore || cacheOption === false
      ? undefined
      : createTtlCache<ValidatedDIDToken>(cacheOption ?? { maxEntries: 1000 });
  let knownClientId: string | undefined = clientId ?? undefined;
  let lookup: Promise<string> | undefined;
  let backend: RecoveryBackend | Promise<RecoveryBackend> =
    recovery === 'auto'
      ? loadNativeRecovery().then((native) => (backend = native ?? jsRecovery))
      : recovery === 'js'
        ? jsRecovery
        : recovery;

  async function getClientId(call: CallOptions = {}): Promise<string> {
    assertNotAborted(call.signal);
    if (knownClientId !== undefined) return knownClientId;
    // Concurrent first logins share one lookup; a failed one is forgotten so the next call retries.
    lookup ??= http
      .request({ method: 'GET', path: 'v1/admin/client', schema: ClientInfoSchema, signal: call.signal })
      .then(
        (info) => (knownClientId = info.client_id),
        (error: unknown) => {
          lookup = undefined;
          throw error;
        },
      );
    return lookup;
  }

  async function validate(didToken: string, call: TokenValidateOptions = {}): Promise<ValidatedDIDToken> {
    assertNotAborted(call.signal);
    // Awaits only when there is something to wait for: a cached token is served without a tick.
    const audience =
      call.clientId !== undefined
        ? call.clientId
        : clientId === null
          ? null
          : (knownClientId ?? (await getClientId(call)));
    const recoveryBackend = backend instanceof Promise ? await backend : backend;
    const attachment = call.attachment ?? 'none';
    const nowMs =
      call.now === undefined ? Date.now() : typeof call.now === 'number' ? call.now : call.now.getTime();
    // A synchronous hash: Web Crypto's digest goes through a thread pool and would cost more than
    // the whole cached validation.
    const cacheKey = cache
      ? bytesToHex(sha256(utf8ToBytes(`${didToken}\n${attachment}\n${audience ?? ''}`)))
      : undefined;
    const cached = cacheKey ? cache?.get(cacheKey) : undefined;
    if (cached) {
      // The signature is settled; the times are not, when the caller judges by its own clock.
      const nowSeconds = Math.floor(nowMs / 1000);
      if (cached.claim.ext >= nowSeconds && cached.claim.nbf - 300 <= nowSeconds) return cached;
    }
    const decoded = validateDIDToken(didToken, {
      clientId: audience,
      attachment,
      now: nowMs,
      recovery: recoveryBackend,
    });
    const result: ValidatedDIDToken = Object.freeze({
      ...decoded,
      claim: Object.freeze({ ...decoded.claim }),
      issuer: decoded.claim.iss,
      publicAddress: decoded.claim.iss.split(':')[2] ?? '',
    });
    if (replayStore) await recordOnce(replayStore, decoded.claim, nowMs);
    else if (cacheKey) cache?.set(cacheKey, result, (decoded.claim.ext + 1) * 1000);
    return result;
  }

  return {
    token: { decode: decodeDIDToken, getIssuer, getPublicAddress, validate },
    users: createUsers(http),
    getClientId,
    http,
  };
}
