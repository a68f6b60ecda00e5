/**
 * What the HTTP layer can be told: client and request options, the retry policy, hook events, and
 * their defaults. Options are checked once, when a client is created.
 */
import type * as v from 'valibot';
import { type AuthBridgeError, ConfigurationError } from './errors.js';
import type { Redactor } from './redact.js';

/** HTTP methods the layer sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** When and how often to retry. Retries apply only to the listed (idempotent) methods by default. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  limit?: number;
  /** Methods that may be retried. Default `['GET', 'HEAD']`. */
  methods?: HttpMethod[];
  /** Statuses that trigger a retry. Default 408, 429, 500, 502, 503, 504. */
  statusCodes?: number[];
  /** First backoff delay in ms, doubled each retry, with full jitter. Default 300. */
  baseDelay?: number;
  /** Upper bound of a computed backoff delay in ms. Default 5000. */
  backoffLimit?: number;
  /** Upper bound in ms on a server's `Retry-After`. Default 30000. */
  maxRetryAfter?: number;
  /** Whether an attempt that timed out is retried. Default true. */
  retryOnTimeout?: boolean;
  /**
   * Statuses (among `statusCodes`) retried only on the server's word: when the answer carries a
   * `Retry-After` no longer than `maxRetryAfter`. Without one, or with a longer one, the error (with
   * its `retryAfter`) goes to the caller at once; a `Retry-After` of 0 waits the computed backoff.
   * Default none. Magic's API is used this way, as urllib3 does for its Python SDK.
   */
  retryAfterOnly?: number[];
  /** The backoff before retry `n` (1 for the first retry), in ms. Default `baseDelay · 2^(n−1)`. */
  delay?: (retry: number) => number;
  /** Whether a computed backoff gets full jitter (a random wait up to it). Default true. */
  jitter?: boolean;
}

/** A retry policy with every default filled in. */
export type ResolvedRetryOptions = Required<Omit<RetryOptions, 'delay'>> & Pick<RetryOptions, 'delay'>;

/** What every hook receives. URLs are redacted; secrets never reach a hook. */
export interface HttpEvent {
  provider: string;
  method: string;
  /** The redacted URL. */
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The response status, when there was one. */
  status?: number;
  /** How long the attempt took, from sending it to the end of its body (or its failure). */
  durationMs?: number;
  /** The typed error, on `onError` and `onRetry`. */
  error?: AuthBridgeError;
  /** On `onRetry`: the wait between the failed attempt and this retry (backoff or `Retry-After`). */
  delayMs?: number;
}

/** Observability hooks. A hook that throws is ignored: it never breaks a request. */
export interface HttpHooks {
  /** Before each attempt is sent. */
  onRequest?: (event: HttpEvent) => void;
  /** For each HTTP answer, with its `status` and the attempt's `durationMs`. */
  onResponse?: (event: HttpEvent) => void;
  /**
   * When a retry is about to be sent, after the wait: `attempt`, `status`, `error` and `durationMs`
   * describe the attempt that failed, `delayMs` the wait that followed it.
   */
  onRetry?: (event: HttpEvent) => void;
  /** Once, when the request finally fails, with the typed `error`. */
  onError?: (event: HttpEvent) => void;
}

/** What an adapter learns from a provider's error body. */
export interface ParsedProviderError {
  /** A human message from the provider, already free of secrets. */
  message?: string;
  /** The provider's own error code. */
  providerCode?: string;
  /** Provider data to attach to the error (for example a payment). */
  data?: unknown;
}

/** Signs one attempt: returns the headers to add, given the final method, URL and body. */
export type RequestSigner = (request: {
  method: string;
  url: string;
  body: string | undefined;
}) => Record<string, string> | Promise<Record<string, string>>;

/** The HTTP options an app may set on every provider. */
export interface HttpOptions {
  /** Override the provider's API base URL (an emulator, a proxy). */
  baseUrl?: string;
  /** Per-attempt timeout in ms, covering the answer's headers and its whole body. Default 10000. */
  timeout?: number;
  /** Retry policy, or `false` to never retry. */
  retry?: RetryOptions | false;
  /** A fetch implementation to use instead of the global one. */
  fetch?: typeof fetch;
  /** Headers added to every request. */
  headers?: Record<string, string>;
  /** Observability hooks. */
  hooks?: HttpHooks;
  /**
   * The largest response body read, in bytes. A larger answer is refused with
   * `ERR_UNEXPECTED_RESPONSE`: from its `content-length` before the body is read, or as soon as the
   * streamed bytes pass the limit, and the attempt is aborted. Default 1 MiB.
   */
  maxResponseBytes?: number;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions extends HttpOptions {
  /** The provider id, carried by every error and event. */
  provider: string;
  /** The base URL used when the app sets none. */
  defaultBaseUrl: string;
  /** `User-Agent`, for example `@authbridge/magic/0.1.0`. */
  userAgent?: string;
  /** Header names whose values are secret. */
  secretHeaders?: string[];
  /** Query parameter / JSON field names whose values are secret. */
  secretFields?: string[];
  /** Secret values (API keys) hidden wherever they appear. */
  secretValues?: (string | undefined)[];
  /**
   * Reads the provider's error body. `redact` hides this request's secrets (the client's and the
   * request's own, which `secretValues` lists) and secret-looking fields: use it, or cut the listed
   * values yourself, on any field kept in `data`, which is not redacted for you.
   */
  parseError?: (error: {
    status: number;
    body: unknown;
    text: string;
    redact: (text: string) => string;
    secretValues: readonly string[];
  }) => ParsedProviderError | undefined;
  /** Signs each attempt (OAuth 1.0a). */
  sign?: RequestSigner;
}

/** One request. `schema` parses the JSON body; `responseType` picks another body. */
export interface HttpRequest<S extends v.GenericSchema | undefined = v.GenericSchema | undefined> {
  method: HttpMethod;
  /** Path relative to the base URL, without a leading slash needed. */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  /** A JSON body. */
  json?: unknown;
  /** A form-encoded body. */
  form?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** The schema of the JSON response. Required when `responseType` is `'json'`. */
  schema?: S;
  /** `'json'` (default), `'bytes'` or `'none'` (body ignored). */
  responseType?: 'json' | 'bytes' | 'none';
  signal?: AbortSignal;
  /** Retry override for this request; `false` for requests that consume a one-time value. */
  retry?: RetryOptions | false;
  /**
   * Secret values this request carries besides the client's (a user's access token): hidden, like
   * the client's, from every error and event of this request.
   */
  secretValues?: readonly (string | undefined)[];
  timeout?: number;
}

/** The result of a JSON request whose schema is `S`. */
export type HttpResult<S> = S extends v.GenericSchema ? v.InferOutput<S> : unknown;

/** The client adapters hold. */
export interface HttpClient {
  readonly provider: string;
  readonly baseUrl: string;
  readonly redactor: Redactor;
  /** Sends a request and returns the parsed body. Throws an {@link AuthBridgeError} on any failure. */
  request<S extends v.GenericSchema>(
    request: HttpRequest<S> & { responseType?: 'json'; schema: S },
  ): Promise<v.InferOutput<S>>;
  /** Sends a request and returns the raw body bytes. Throws an {@link AuthBridgeError} on any failure. */
  request(request: HttpRequest<undefined> & { responseType: 'bytes' }): Promise<Uint8Array>;
  /** Sends a request and ignores the body. Throws an {@link AuthBridgeError} on any failure. */
  request(request: HttpRequest<undefined> & { responseType: 'none' }): Promise<void>;
}

/** Defaults of the retry policy. */
export const DEFAULT_RETRY: ResolvedRetryOptions = {
  limit: 2,
  methods: ['GET', 'HEAD'],
  statusCodes: [408, 429, 500, 502, 503, 504],
  baseDelay: 300,
  backoffLimit: 5000,
  maxRetryAfter: 30_000,
  retryOnTimeout: true,
  retryAfterOnly: [],
  jitter: true,
};

/** Default per-attempt timeout. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Default cap on a response body: 1 MiB, far above any provider answer authbridge reads. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** The largest delay setTimeout honours; a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** A client's options once checked, with the defaults filled in. */
export interface ResolvedClientOptions {
  /** The base URL, ending with a slash. */
  baseUrl: string;
  timeout: number;
  maxResponseBytes: number;
}

/**
 * Checks the options of a client and fills in the defaults.
 *
 * @throws `ERR_CONFIG` for a base URL that is not http(s) or carries credentials, a timeout that is
 *   not a positive number of ms, a negative retry limit, or a `maxResponseBytes` that is not a
 *   positive whole number.
 */
export function resolveClientOptions(options: HttpClientOptions): ResolvedClientOptions {
  const provider = options.provider;
  const fail = (message: string) => new ConfigurationError(`The ${provider} ${message}`, { provider });
  let url: URL;
  try {
    url = new URL(options.baseUrl ?? options.defaultBaseUrl);
  } catch {
    throw fail('baseUrl is not a valid URL.');
  }
  if (url.username !== '' || url.password !== '') {
    // fetch refuses such a URL and repeats it, password included, in its error.
    throw fail('baseUrl must not carry a user name or password; send credentials as headers.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail('baseUrl must use http or https.');
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!isPositiveTimeout(timeout)) throw fail('timeout must be a positive number of ms.');
  if (options.retry && options.retry.limit !== undefined && !(options.retry.limit >= 0)) {
    throw fail('retry limit must be 0 or more.');
  }
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes <= 0) {
    throw fail('maxResponseBytes must be a positive whole number of bytes.');
  }
  const href = url.toString();
  return { baseUrl: href.endsWith('/') ? href : `${href}/`, timeout, maxResponseBytes };
}

/** Whether `timeout` is a delay a timer can keep. */
export const isPositiveTimeout = (timeout: number): boolean =>
  Number.isFinite(timeout) && timeout > 0 && timeout <= MAX_TIMER_MS;

/** The retry policy of one request: the request's own, else the client's, over the defaults. */
export function resolveRetry(retry: RetryOptions | false | undefined): ResolvedRetryOptions {
  return retry === false
    ? { ...DEFAULT_RETRY, limit: 0 }
    : retry
      ? { ...DEFAULT_RETRY, ...retry }
      : DEFAULT_RETRY;
}
