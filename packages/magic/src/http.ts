/**
 * The Magic admin API client on the core HTTP layer: secret-key header, Magic's error bodies, and
 * the retry policy of the Python SDK (spec §3).
 */
import {
  ConfigurationError,
  checkSecret,
  createHttpClient,
  type HttpClient,
  type HttpOptions,
  type RetryOptions,
} from '@authbridge/core';
import * as v from 'valibot';
import { VERSION } from './version.js';
import { ErrorBodySchema } from './wire.js';

/** The current admin API host (since the 2025 move; the legacy host was `https://api.magic.link`). */
export const MAGIC_API_BASE_URL = 'https://api.toaster.magic.link';

/** HTTP options of the Magic admin client, in the vocabulary of the official SDKs. */
export interface MagicHttpOptions extends HttpOptions {
  /** Retries after the first attempt of a GET. Default 3 (as `magic-admin`). Ignored if `retry` is set. */
  retries?: number;
  /**
   * Backoff factor in seconds (as `magic-admin`'s `backoff_factor`): the n-th retry waits
   * `backoffFactor · 2^(n−1)`, the first one not at all. Default 0.02. A non-zero `Retry-After`
   * wins. Ignored if `retry` is set.
   */
  backoffFactor?: number;
}

/** The statuses urllib3 retries, and only when the answer carries `Retry-After` (spec §3). */
const RETRY_AFTER_STATUSES = [413, 429, 503];
/** urllib3's cap on a computed backoff. */
const BACKOFF_MAX_MS = 120_000;

function checkedRetries(options: MagicHttpOptions): { retries: number; backoffFactor: number } {
  const retries = options.retries ?? 3;
  const backoffFactor = options.backoffFactor ?? 0.02;
  if (!Number.isInteger(retries) || retries < 0) {
    throw new ConfigurationError('magic: retries must be a whole number, 0 or more.', { provider: 'magic' });
  }
  if (!Number.isFinite(backoffFactor) || backoffFactor < 0) {
    throw new ConfigurationError('magic: backoffFactor must be a number of seconds, 0 or more.', {
      provider: 'magic',
    });
  }
  return { retries, backoffFactor };
}

/**
 * urllib3's `Retry(total=retries, backoff_factor=…)` as the Python SDK mounts it, as a core retry
 * policy: GETs only (a logout may have landed before the connection broke), on dropped connections
 * and timeouts, and on 413/429/503 only when Magic sent a `Retry-After` (up to 120 s); the n-th retry
 * waits `backoffFactor · 2^(n−1)`, the first one not at all, without jitter. An explicit core `retry`
 * object keeps those rules; it only tunes the limit, methods, delays, and narrows the statuses.
 */
function magicRetryPolicy(
  retry: RetryOptions | false | undefined,
  options: MagicHttpOptions,
): RetryOptions | false {
  if (retry === false) return false;
  const { retries, backoffFactor } = checkedRetries(options);
  const limit = retry?.limit ?? retries;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new ConfigurationError('magic: retry.limit must be a whole number, 0 or more.', {
      provider: 'magic',
    });
  }
  const factorMs = retry?.baseDelay ?? backoffFactor * 1000;
  return {
    limit,
    methods: retry?.methods ?? ['GET'],
    statusCodes: RETRY_AFTER_STATUSES.filter((s) => retry?.statusCodes?.includes(s) ?? true),
    retryAfterOnly: RETRY_AFTER_STATUSES,
    delay: (n) => (n <= 1 ? 0 : factorMs * 2 ** (n - 1)),
    jitter: false,
    backoffLimit: retry?.backoffLimit ?? BACKOFF_MAX_MS,
    maxRetryAfter: retry?.maxRetryAfter ?? BACKOFF_MAX_MS,
    retryOnTimeout: retry?.retryOnTimeout ?? true,
  };
}

/**
 * Builds the admin API client for one secret key.
 *
 * Retries (spec §3, as the Python SDK): GETs only, at most `retries` times, after a dropped
 * connection or a timeout, and after 413/429/503 **only** when the answer carries `Retry-After`
 * (a 429 or 503 without it fails at once). POSTs (logout) are never retried.
 *
 * Throws `ERR_CONFIG` (`providerCode` `ERROR_SECRET_API_KEY_MISSING`) without a secret key, and
 * `ERR_CONFIG` for a key that is not 1-1024 printable ASCII characters (a trailing newline, CR, LF,
 * NUL or space would defeat redaction or break the header), a bad baseUrl, timeout, retries or backoffFactor.
 *
 * @example
 * ```ts
 * const http = createMagicHttpClient('sk_live_…', { timeout: 5000 });
 * ```
 */
export function createMagicHttpClient(givenKey: string, options: MagicHttpOptions = {}): HttpClient {
  if (typeof givenKey !== 'string' || givenKey.trim() === '') {
    throw new ConfigurationError('magic: a secret API key is required (the one from the Magic dashboard).', {
      provider: 'magic',
      providerCode: 'ERROR_SECRET_API_KEY_MISSING',
    });
  }
  const secretKey = checkSecret(givenKey, { provider: 'magic', name: 'secretKey' });
  const { retries: _retries, backoffFactor: _backoff, retry, ...http } = options;
  return createHttpClient({
    ...http,
    baseUrl: http.baseUrl?.replace(/\/+$/, ''),
    retry: magicRetryPolicy(retry, options),
    provider: 'magic',
    defaultBaseUrl: MAGIC_API_BASE_URL,
    userAgent: `@authbridge/magic/${VERSION}`,
    headers: { ...http.headers, 'x-magic-secret-key': secretKey },
    secretHeaders: ['x-magic-secret-key'],
    secretValues: [secretKey],
    parseError: ({ body }) => {
      const parsed = v.safeParse(ErrorBodySchema, body);
      if (!parsed.success) return undefined;
      const { error_code, message, detail, data } = parsed.output;
      const text =
        typeof message === 'string' && message ? message : typeof detail === 'string' ? detail : undefined;
      return {
        message: text,
        providerCode: typeof error_code === 'string' && error_code ? error_code : undefined,
        data,
      };
    },
  });
}
