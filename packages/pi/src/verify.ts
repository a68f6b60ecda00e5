/**
 * Login: a Pioneer's access token is only as good as Pi's `GET /v2/me` says. The uid, username and
 * scopes come from that answer, never from what the frontend sent along.
 */
import {
  AbortedError,
  type AuthResult,
  type CallOptions,
  ConfigurationError,
  createTtlCache,
  type HttpClient,
  InvalidCredentialError,
  isAuthBridgeError,
} from '@authbridge/core';
import { sha256 } from '@noble/hashes/sha2.js';
import { type PiUser, PiUserSchema } from './wire.js';

/** The Pi-specific part of an {@link AuthResult}. */
export interface PiClaims {
  /** The app-scoped uid, the same as `subject`. */
  uid: string;
  /** The scopes the Pioneer granted this app. */
  scopes: string[];
  /** When Pi stops accepting the token, as Pi sent it. */
  validUntil: { timestamp: number; iso8601: string };
  /** Only with the `roles` scope (community-documented). */
  roles?: string[];
  /** Only with the `preferred_language` scope (community-documented). */
  preferredLanguage?: string;
}

/** The result of a Pi login. */
export type PiAuthResult = AuthResult<'pi', PiClaims>;

/** The opt-in cache of verified tokens. */
export interface PiVerifyCacheOptions {
  /** How long a verified token is trusted without asking Pi again, in ms. Default 30000, at most 600000. */
  ttlMs?: number;
  /** Tokens held at most (least recently used go first). Default 1000. */
  maxEntries?: number;
}

const DEFAULT_CACHE_TTL_MS = 30_000;
const MAX_CACHE_TTL_MS = 600_000;
const DEFAULT_CACHE_ENTRIES = 1000;
// Access tokens are long random strings; this bound only keeps absurd input off the wire.
export const MAX_TOKEN_LENGTH = 4096;
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;

/**
 * Builds the `verify` of a Pi provider. Each `/v2/me` request names the Pioneer's access token as a
 * secret of its own, so the token is redacted, like the API key, from every error and hook event.
 */
export function createVerify(
  http: HttpClient,
  cacheOptions: PiVerifyCacheOptions | boolean | undefined,
  now: () => number,
): (accessToken: string, options?: CallOptions) => Promise<PiAuthResult> {
  const cache = cacheOptions ? buildCache(cacheOptions === true ? {} : cacheOptions, now) : undefined;

  async function fetchUser(accessToken: string, signal?: AbortSignal): Promise<PiUser> {
    try {
      return await http.request({
        method: 'GET',
        path: 'v2/me',
        headers: { authorization: `Bearer ${accessToken}` },
        secretValues: [accessToken],
        schema: PiUserSchema,
        signal,
      });
    } catch (error) {
      if (isAuthBridgeError(error, 'ERR_PROVIDER_UNAUTHORIZED')) {
        // Pi does not say whether the token was forged, revoked or expired.
        throw new InvalidCredentialError(
          'ERR_CREDENTIAL_REJECTED',
          'Pi rejected the access token: it is invalid or expired.',
          {
            provider: 'pi',
            status: 401,
            providerCode: error.providerCode,
          },
        );
      }
      throw error;
    }
  }

  return async (accessToken, options) => {
    assertTokenShape(accessToken);
    if (options?.signal?.aborted) {
      throw new AbortedError('The Pi verify call was aborted by the caller.', {
        provider: 'pi',
        cause: options.signal.reason,
      });
    }
    const key = cache ? cacheKey(accessToken) : undefined;
    const cached = key ? cache?.get(key) : undefined;
    if (cached) return toAuthResult(cached);
    const user = await fetchUser(accessToken, options?.signal);
    const expiresAt = user.credentials.valid_until.timestamp * 1000;
    if (expiresAt <= now()) {
      throw new InvalidCredentialError(
        'ERR_CREDENTIAL_EXPIRED',
        'Pi reports the access token as already expired.',
        {
          provider: 'pi',
        },
      );
    }
    if (cache && key) cache.set(key, user, Math.min(now() + cache.ttlMs, expiresAt));
    return toAuthResult(user);
  };
}

/**
 * The cache keeps a hash of the token, never the token: its SHA-256 as a 32-character string (one
 * character per byte, cheaper to build than hex). A synchronous hash: Web Crypto's digest is a trip
 * through the thread pool that costs more than the whole cache hit around it.
 */
function cacheKey(accessToken: string): string {
  // The token is printable ASCII (checked first), so its bytes are its char codes: copied into one
  // buffer, used and done with synchronously, instead of a TextEncoder allocation per call.
  for (let i = 0; i < accessToken.length; i++) keyBytes[i] = accessToken.charCodeAt(i);
  const digest = sha256(keyBytes.subarray(0, accessToken.length));
  return String.fromCharCode(...digest);
}

const keyBytes = new Uint8Array(MAX_TOKEN_LENGTH);

function buildCache(options: PiVerifyCacheOptions, now: () => number) {
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0 || ttlMs > MAX_CACHE_TTL_MS) {
    throw new ConfigurationError(`The Pi verify cache ttlMs must be between 1 and ${MAX_CACHE_TTL_MS} ms.`, {
      provider: 'pi',
    });
  }
  const cache = createTtlCache<PiUser>({ maxEntries: options.maxEntries ?? DEFAULT_CACHE_ENTRIES, now });
  return Object.assign(cache, { ttlMs });
}

function assertTokenShape(accessToken: unknown): asserts accessToken is string {
  if (
    typeof accessToken !== 'string' ||
    accessToken.length > MAX_TOKEN_LENGTH ||
    !TOKEN_SHAPE.test(accessToken)
  ) {
    throw new InvalidCredentialError(
      'ERR_CREDENTIAL_MALFORMED',
      'A Pi access token is a non-empty string of printable ASCII without spaces (send the token alone, not "Bearer <token>").',
      { provider: 'pi' },
    );
  }
}

/** A fresh result per call, so one caller mutating it never changes what the cache hands the next. */
function toAuthResult(user: PiUser): PiAuthResult {
  const { valid_until: validUntil, scopes } = user.credentials;
  const claims: PiClaims = {
    uid: user.uid,
    scopes: [...scopes],
    validUntil: { ...validUntil },
  };
  if (user.roles) claims.roles = [...user.roles];
  if (user.preferred_language !== undefined) claims.preferredLanguage = user.preferred_language;
  const result: PiAuthResult = {
    provider: 'pi',
    subject: user.uid,
    expiresAt: new Date(validUntil.timestamp * 1000),
    claims,
  };
  if (user.username !== undefined) result.username = user.username;
  return result;
}
