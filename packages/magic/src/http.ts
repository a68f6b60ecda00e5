/**
 * The Magic admin API client on the core HTTP layer: secret-key header, Magic's error bodies, and
 * the retry policy of the Python SDK (spec §3).
 */
import {
  ConfigurationError,
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
   * Backoff factor in seconds (as `magic-admin`'s `backoff_factor`): the waits grow as
   * `backoffFactor · 2^n`. Default 0.02. A `Retry-After` from Magic wins. Ignored if `retry` is set.
   */
  backoffFactor?: number;
}

/**
 * GETs only, on 413/429/503 (the statuses urllib3 retries for the Python SDK), on timeouts and dropped
 * connections. Never a POST: a logout may have landed before the connection broke.
 */
function retryPolicy(options: MagicHttpOptions): RetryOptions | false {
  if (options.retry !== undefined) return options.retry;
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
  return { limit: retries, methods: ['GET'], statusCodes: [413, 429, 503], baseDelay: backoffFactor * 1000 };
}

/**
 * Builds the admin API client for one secret key.
 *
 * Throws `ERR_CONFIG` (`providerCode` `ERROR_SECRET_API_KEY_MISSING`) without a secret key, and
 * `ERR_CONFIG` for a bad baseUrl, timeout, retries or backoffFactor.
 *
 * @example
 * ```ts
 * const http = createMagicHttpClient('sk_live_…', { timeout: 5000 });
 * ```
 */
export function createMagicHttpClient(secretKey: string, options: MagicHttpOptions = {}): HttpClient {
  if (typeof secretKey !== 'string' || secretKey.trim() === '') {
    throw new ConfigurationError('magic: a secret API key is required (the one from the Magic dashboard).', {
      provider: 'magic',
      providerCode: 'ERROR_SECRET_API_KEY_MISSING',
    });
  }
  const { retries: _retries, backoffFactor: _backoff, ...http } = options;
  return createHttpClient({
    ...http,
    baseUrl: http.baseUrl?.replace(/\/+$/, ''),
    retry: retryPolicy(options),
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
