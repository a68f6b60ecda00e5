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
  replaySkewOf,
  utf8ToBytes,
} from '@authbridge/core';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  type DecodedDIDToken,
  decodeDIDToken,
  getIssuer,
  getPublicAddress,
  parsePublicAddressFromIssuer,
  toChecksumAddress,
} from './did-token.js';
import { createMagicHttpClient, type MagicHttpOptions } from './http.js';
import { loadNativeRecovery } from './native-recovery.js';
import { jsRecovery, type RecoveryBackend } from './recover.js';
import { REPLAY_MAX_LIFESPAN_SECONDS, recordClaimOnce } from './replay.js';
import { createUsers, type MagicUsers } from './users.js';
import { checkAudience, NBF_GRACE_SECONDS, validateDIDToken } from './validate.js';
import { ClientInfoSchema } from './wire.js';

/** How many addresses' EIP-55 spellings an admin client keeps. */
const CHECKSUM_MEMO_SIZE = 1024;

/** Options of {@link createMagicAdmin}. */
export interface MagicAdminOptions extends MagicHttpOptions {
  /** The secret API key (`sk_live_…`). Never logged, never in an error. */
  secretKey: string;
  /**
   * The app's client id, checked against every token's `aud`. Leave it out to look it up once from
   * `GET /v1/admin/client`, after a token passed every local check (a malformed or forged token
   * never causes a call). A failed lookup fails the validation, never skips the audience check; it
   * is remembered for 5 s (or Magic's longer `Retry-After`, up to 60 s) and then looked up again.
   * `null` turns the audience check off, which only an app that accepts tokens of any Magic app
   * should do. A list accepts tokens of any of these client ids (one backend serving several Magic
   * apps of one account, such as a web and a mobile app); `getClientId` then resolves to the first.
   */
  clientId?: string | readonly string[] | null;
  /** `'auto'` (default): native libsecp256k1 when the `secp256k1` package is installed, else pure JS. */
  recovery?: 'auto' | 'js' | RecoveryBackend;
  /** Accept each token once, until its `ext` (see the README, "Verify a login"). Turns the cache off. */
  replayStore?: KeyValueStore;
  /**
   * With a `replayStore`: the longest lifespan, in seconds, of a token accepted for a login, judged
   * by `ext - iat` and by `ext - now`; a longer one is refused with `ERR_CREDENTIAL_REJECTED` and
   * writes no record, so no record outlives this cap. Anyone can sign a valid token with a throwaway
   * key and an `ext` years ahead; without the cap, each would hold a store entry for years.
   *
   * Default 86 400 (one day, {@link REPLAY_MAX_LIFESPAN_SECONDS}): Magic's tokens live 900 s unless
   * the client passes another `lifespan` to `getIdToken`, and Magic documents no upper bound; a day
   * is 96 times the default. Raise it only if your client asks for longer tokens, and size the store
   * for logins × this cap. Without a replay store (or with `consume: false`) it is not checked.
   */
  replayMaxLifespan?: number;
  /**
   * With a `replayStore`: the clock-skew margin of replay records, in ms. A record is kept until the
   * token's `ext` has passed by this much, so that an instance whose clock is behind by less than the
   * margin still finds the record and refuses the replay. Default `DEFAULT_REPLAY_SKEW_MS` (five
   * minutes); keep it above the worst clock difference between your instances and the store.
   */
  replaySkewMs?: number;
  /** The verified-token cache used when there is no replay store. Default 1000 entries; `false` disables it. */
  cache?: { maxEntries: number } | false;
}

/** Options of `token.validate`. */
export interface TokenValidateOptions extends CallOptions {
  /** The message the client signed into `add`. Default `'none'`: not checked. */
  attachment?: string;
  /** Overrides the admin's client id (or ids) for this call; `null` skips the audience check. */
  clientId?: string | readonly string[] | null;
  /** The time to judge `ext` and `nbf` by. Default now. */
  now?: Date | number;
  /**
   * With a `replayStore`: whether this validation is a login that uses the token up (default
   * `true`). Pass `false` for a check that is not a login, such as token gating after the login:
   * it neither records the token nor refuses one already used or one over `replayMaxLifespan`.
   * Without a replay store: ignored.
   */
  consume?: boolean;
}

/** A DID token that passed validation. */
export interface ValidatedDIDToken extends DecodedDIDToken {
  /**
   * The stable user id: the issuer as Magic issues it, `did:ethr:` + the signer's EIP-55 checksummed
   * address, whichever accepted spelling `claim.iss` has (the raw value stays in `claim.iss`).
   */
  issuer: string;
  /** The signer's address, EIP-55 checksummed. */
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

/** `promise`, or an `ERR_ABORTED` rejection as soon as this caller's `signal` aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(new AbortedError('magic: the call was aborted.', { provider: 'magic', cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * How long a failed client-id lookup is remembered: validations in that window fail with the same
 * error instead of calling Magic again (a burst of logins during an outage makes one call, not one
 * each). A longer `Retry-After` from Magic wins, up to a minute.
 */
const CLIENT_ID_FAILURE_MS = 5_000;
const CLIENT_ID_FAILURE_MAX_MS = 60_000;

/**
 * Creates a Magic admin client.
 *
 * `token.validate` errors: `ERR_CREDENTIAL_MALFORMED`, `ERR_CREDENTIAL_SIGNATURE`,
 * `ERR_CREDENTIAL_EXPIRED`, `ERR_CREDENTIAL_NOT_YET_VALID`, `ERR_CREDENTIAL_AUDIENCE` (Magic's code
 * in `providerCode`), `ERR_CREDENTIAL_REPLAYED`, `ERR_CREDENTIAL_REJECTED` (with a replay store: a
 * login token over `replayMaxLifespan`), `ERR_STORE`, `ERR_ABORTED`, and while
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
  const {
    secretKey,
    clientId,
    recovery = 'auto',
    replayStore,
    replayMaxLifespan = REPLAY_MAX_LIFESPAN_SECONDS,
    replaySkewMs: replaySkewOption,
    cache: cacheOption,
    ...httpOptions
  } = options;
  const http = createMagicHttpClient(secretKey, httpOptions);
  const replaySkewMs = replaySkewOf(replaySkewOption, 'magic');
  if (
    typeof replayMaxLifespan !== 'number' ||
    !Number.isFinite(replayMaxLifespan) ||
    replayMaxLifespan <= 0
  ) {
    throw new ConfigurationError('magic: replayMaxLifespan must be a positive finite number of seconds.', {
      provider: 'magic',
    });
  }
  if (clientId !== undefined && clientId !== null && !isClientIdOption(clientId)) {
    throw new ConfigurationError(
      'magic: clientId must be a non-empty string, a non-empty list of them, or null to skip the audience check.',
      {
        provider: 'magic',
      },
    );
  }
  const cache =
    replayStore || cacheOption === false
      ? undefined
      : createTtlCache<ValidatedDIDToken>(cacheOption ?? { maxEntries: 1000 });
  const clientIds = typeof clientId === 'string' || clientId == null ? undefined : clientId;
  let knownClientId: string | undefined = clientIds
    ? clientIds[0]
    : typeof clientId === 'string'
      ? clientId
      : undefined;
  let lookup: Promise<string> | undefined;
  let lastFailure: { error: unknown; until: number } | undefined;
  let backend: RecoveryBackend | Promise<RecoveryBackend> =
    recovery === 'auto'
      ? loadNativeRecovery().then((native) => (backend = native ?? jsRecovery))
      : recovery === 'js'
        ? jsRecovery
        : recovery;

  // EIP-55 costs a keccak per address; the same users log in again and again, so the spellings of
  // the last addresses seen are kept (a pure function of the address: nothing to invalidate).
  const checksums = new Map<string, string>();
  function checksummed(address: string): string {
    let spelled = checksums.get(address);
    if (spelled === undefined) {
      spelled = toChecksumAddress(address);
      if (checksums.size >= CHECKSUM_MEMO_SIZE) checksums.delete(checksums.keys().next().value as string);
      checksums.set(address, spelled);
    }
    return spelled;
  }

  async function getClientId(call: CallOptions = {}): Promise<string> {
    assertNotAborted(call.signal);
    if (knownClientId !== undefined) return knownClientId;
    if (lastFailure && Date.now() < lastFailure.until) throw lastFailure.error;
    // Concurrent first logins share one lookup, which no single caller's signal can cancel for the
    // others (each caller stops waiting on its own signal). A failure is remembered briefly, then
    // forgotten so a later call looks again.
    lookup ??= http.request({ method: 'GET', path: 'v1/admin/client', schema: ClientInfoSchema }).then(
      (info) => {
        lastFailure = undefined;
        knownClientId = info.client_id;
        return info.client_id;
      },
      (error: unknown) => {
        lookup = undefined;
        const retryAfterMs = ((error as { retryAfter?: number }).retryAfter ?? 0) * 1000;
        lastFailure = {
          error,
          until:
            Date.now() + Math.min(Math.max(CLIENT_ID_FAILURE_MS, retryAfterMs), CLIENT_ID_FAILURE_MAX_MS),
        };
        throw error;
      },
    );
    return unlessAborted(lookup, call.signal);
  }

  async function validate(didToken: string, call: TokenValidateOptions = {}): Promise<ValidatedDIDToken> {
    assertNotAborted(call.signal);
    const recoveryBackend = backend instanceof Promise ? await backend : backend;
    const attachment = call.attachment ?? 'none';
    const nowMs =
      call.now === undefined ? Date.now() : typeof call.now === 'number' ? call.now : call.now.getTime();
    const consume = replayStore !== undefined && call.consume !== false;
    // The audience, when it is known without a network call.
    const audience =
      call.clientId !== undefined ? call.clientId : clientId === null ? null : (clientIds ?? knownClientId);
    if (audience === undefined) {
      // The client id must be looked up. Every local check runs first, so a malformed or forged
      // token is refused without calling Magic; the audience check stays last, as in the JS SDK.
      const decoded = validateDIDToken(didToken, {
        clientId: null,
        attachment,
        now: nowMs,
        recovery: recoveryBackend,
      });
      checkAudience(decoded.claim, await getClientId(call));
      return accept(decoded, nowMs, consume, undefined);
    }
    // Awaits only when there is something to wait for: a cached token is served without a tick.
    // A synchronous hash: Web Crypto's digest goes through a thread pool and would cost more than
    // the whole cached validation.
    const cacheKey = cache
      ? bytesToHex(sha256(utf8ToBytes(`${didToken}\n${attachment}\n${JSON.stringify(audience)}`)))
      : undefined;
    const cached = cacheKey ? cache?.get(cacheKey) : undefined;
    if (cached) {
      // The signature is settled; the times are not, when the caller judges by its own clock.
      const nowSeconds = Math.floor(nowMs / 1000);
      if (cached.claim.ext >= nowSeconds && cached.claim.nbf - NBF_GRACE_SECONDS <= nowSeconds) return cached;
    }
    const decoded = validateDIDToken(didToken, {
      clientId: audience,
      attachment,
      now: nowMs,
      recovery: recoveryBackend,
    });
    return accept(decoded, nowMs, consume, cacheKey);
  }

  /**
   * The validated token: recorded in the replay store (a login) or cached (no replay store). Only
   * the recording is awaited: a token that is not recorded is handed back without another tick.
   */
  function accept(
    decoded: DecodedDIDToken,
    nowMs: number,
    consume: boolean,
    cacheKey: string | undefined,
  ): ValidatedDIDToken | Promise<ValidatedDIDToken> {
    // Validation made the issuer's address equal the recovered signer, so it is 0x + 40 hex digits.
    const publicAddress = checksummed(parsePublicAddressFromIssuer(decoded.claim.iss));
    // The claim was parsed for this call alone: frozen as it is, not copied.
    const result: ValidatedDIDToken = Object.freeze({
      proof: decoded.proof,
      rawClaim: decoded.rawClaim,
      claim: Object.freeze(decoded.claim),
      issuer: `did:ethr:${publicAddress}`,
      publicAddress,
    });
    if (consume && replayStore) {
      const limits = { maxLifespanSeconds: replayMaxLifespan, skewMs: replaySkewMs };
      return recordClaimOnce(replayStore, decoded.claim, nowMs, limits).then(() => result);
    }
    if (cacheKey) cache?.set(cacheKey, result, (decoded.claim.ext + 1) * 1000);
    return result;
  }

  return {
    token: { decode: decodeDIDToken, getIssuer, getPublicAddress, validate },
    users: createUsers(http),
    getClientId,
    http,
  };
}

function isClientIdOption(value: unknown): value is string | readonly string[] {
  if (typeof value === 'string') return value !== '';
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((entry: unknown) => typeof entry === 'string' && entry !== '')
  );
}
