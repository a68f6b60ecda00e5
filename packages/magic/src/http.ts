/**
 * The Magic admin API client on the core HTTP layer: secret-key header, Magic's error bodies, and
 * the retry policy of the Python SDK (spec §3).
 */
import {
  AbortedError,
  ConfigurationError,
  createHttpClient,
  type HttpClient,
  type HttpEvent,
  type HttpMethod,
  type HttpOptions,
  type HttpRequest,
  isAuthBridgeError,
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

interface MagicRetryPolicy {
  limit: number;
  methods: HttpMethod[];
  statuses: number[];
  /** The backoff factor, in ms. */
  factorMs: number;
  backoffLimitMs: number;
  maxRetryAfterMs: number;
  retryOnTimeout: boolean;
}

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
 * urllib3's `Retry(total=retries, backoff_factor=…)` as the Python SDK mounts it: GETs only (a
 * logout may have landed before the connection broke), on dropped connections and timeouts, and
 * on 413/429/503 only when Magic sent `Retry-After`. An explicit core `retry` object keeps those
 * rules; it only tunes the limit, methods, delays, and narrows the statuses.
 */
function retryPolicy(
  retry: RetryOptions | false | undefined,
  options: MagicHttpOptions,
): MagicRetryPolicy | false {
  if (retry === false) return false;
  if (retry === undefined) {
    const { retries, backoffFactor } = checkedRetries(options);
    return {
      limit: retries,
      methods: ['GET'],
      statuses: RETRY_AFTER_STATUSES,
      factorMs: backoffFactor * 1000,
      backoffLimitMs: BACKOFF_MAX_MS,
      maxRetryAfterMs: BACKOFF_MAX_MS,
      retryOnTimeout: true,
    };
  }
  const limit = retry.limit ?? 3;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new ConfigurationError('magic: retry.limit must be a whole number, 0 or more.', {
      provider: 'magic',
    });
  }
  return {
    limit,
    methods: retry.methods ?? ['GET'],
    statuses: RETRY_AFTER_STATUSES.filter((s) => retry.statusCodes?.includes(s) ?? true),
    factorMs: retry.baseDelay ?? 20,
    backoffLimitMs: retry.backoffLimit ?? BACKOFF_MAX_MS,
    maxRetryAfterMs: retry.maxRetryAfter ?? BACKOFF_MAX_MS,
    retryOnTimeout: retry.retryOnTimeout ?? true,
  };
}

/**
 * The wait before retry number `n` (1-based) after `error`, or `undefined` when the error is not
 * retried. A `Retry-After` longer than `maxRetryAfterMs` is not waited out: the error (with its
 * `retryAfter`) goes to the caller.
 */
function retryDelay(error: unknown, n: number, policy: MagicRetryPolicy): number | undefined {
  const backoff = n <= 1 ? 0 : Math.min(policy.factorMs * 2 ** (n - 1), policy.backoffLimitMs);
  if (isAuthBridgeError(error, 'ERR_NETWORK')) return backoff;
  if (isAuthBridgeError(error, 'ERR_TIMEOUT')) return policy.retryOnTimeout ? backoff : undefined;
  if (!isAuthBridgeError(error) || !error.code.startsWith('ERR_PROVIDER_')) return undefined;
  const { status, retryAfter } = error as { status?: number; retryAfter?: number };
  if (status === undefined || !policy.statuses.includes(status) || retryAfter === undefined) return undefined;
  if (retryAfter * 1000 > policy.maxRetryAfterMs) return undefined;
  return retryAfter > 0 ? retryAfter * 1000 : backoff;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(
        new AbortedError('magic: the call was aborted while waiting to retry.', {
          provider: 'magic',
          cause: signal?.reason,
        }),
      );
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Builds the admin API client for one secret key.
 *
 * Retries (spec §3, as the Python SDK): GETs only, at most `retries` times, after a dropped
 * connection or a timeout, and after 413/429/503 **only** when the answer carries `Retry-After`
 * (a 429 or 503 without it fails at once). POSTs (logout) are never retried.
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
  const { retries: _retries, backoffFactor: _backoff, retry, ...http } = options;
  const policy = retryPolicy(retry, options);
  const client = createHttpClient({
    ...http,
    baseUrl: http.baseUrl?.replace(/\/+$/, ''),
    // Retries are decided below: the core policy would also retry a 429/503 without Retry-After.
    retry: false,
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

  function onRetry(req: HttpRequest, attempt: number, error: unknown, delayMs: number): void {
    const hook = http.hooks?.onRetry;
    if (!hook) return;
    const url = new URL(req.path.replace(/^\/+/, ''), client.baseUrl);
    for (const [key, value] of Object.entries(req.searchParams ?? {}))
      if (value !== undefined) url.searchParams.append(key, String(value));
    const event: HttpEvent = {
      provider: 'magic',
      method: req.method,
      url: client.redactor.url(url),
      attempt,
      delayMs,
      ...(isAuthBridgeError(error) ? { error, status: (error as { status?: number }).status } : {}),
    };
    try {
      hook(event);
    } catch {
      // A failing hook must never break a call.
    }
  }

  async function request(req: HttpRequest): Promise<unknown> {
    const own = req.retry === undefined ? policy : retryPolicy(req.retry, options);
    const once = () => client.request({ ...req, retry: false } as Parameters<HttpClient['request']>[0]);
    if (!own || own.limit === 0 || !own.methods.includes(req.method)) return once();
    for (let attempt = 1; ; attempt++) {
      try {
        return await once();
      } catch (error) {
        const delayMs = attempt <= own.limit ? retryDelay(error, attempt, own) : undefined;
        if (delayMs === undefined || req.signal?.aborted) throw error;
        onRetry(req, attempt, error, delayMs);
        await sleep(delayMs, req.signal);
      }
    }
  }

  return {
    provider: client.provider,
    baseUrl: client.baseUrl,
    redactor: client.redactor,
    request: request as HttpClient['request'],
  };
}
