/**
 * The one HTTP layer every adapter uses: ky with per-attempt timeouts, retries only where they are
 * safe, responses parsed through valibot schemas, errors mapped onto the authbridge hierarchy, and
 * secrets redacted from every error and event.
 */
import type { KyInstance, Options as KyOptions } from 'ky';
import * as v from 'valibot';
import {
  AbortedError,
  type AuthBridgeError,
  ConfigurationError,
  NetworkError,
  ProviderRequestError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';
import { createRedactor, excerpt, type Redactor } from './redact.js';
import { VERSION } from './version.js';

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

/** Parses a `Retry-After` header (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function validateOptions(options: HttpClientOptions): URL {
  const base = options.baseUrl ?? options.defaultBaseUrl;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new ConfigurationError(`The ${options.provider} baseUrl is not a valid URL.`, {
      provider: options.provider,
    });
  }
  if (url.username !== '' || url.password !== '') {
    // fetch refuses such a URL and repeats it, password included, in its error.
    throw new ConfigurationError(
      `The ${options.provider} baseUrl must not carry a user name or password; send credentials as headers.`,
      { provider: options.provider },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`The ${options.provider} baseUrl must use http or https.`, {
      provider: options.provider,
    });
  }
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 2_147_483_647) {
    throw new ConfigurationError(`The ${options.provider} timeout must be a positive number of ms.`, {
      provider: options.provider,
    });
  }
  if (options.retry && options.retry.limit !== undefined && !(options.retry.limit >= 0)) {
    throw new ConfigurationError(`The ${options.provider} retry limit must be 0 or more.`, {
      provider: options.provider,
    });
  }
  return url;
}

const isSecretValue = (value: string | undefined): value is string =>
  typeof value === 'string' && value !== '';

let kyModule: Promise<typeof import('ky')> | undefined;
/**
 * ky, loaded on the first request. Its import probes the fetch globals, which makes Node load its
 * fetch implementation (about 30 ms): an app that only validates tokens locally never pays for it.
 */
const loadKy = (): Promise<typeof import('ky')> => {
  kyModule ??= import('ky');
  return kyModule;
};

const errorBodies = new WeakMap<Response, Promise<string>>();

/** Reads an error body once, whoever asks (a retry hook, then the final mapping). */
function readErrorBody(response: Response): Promise<string> {
  let body = errorBodies.get(response);
  if (!body) {
    // An unreadable body (dropped mid-stream, aborted) leaves the status to speak for itself.
    body = response.text().catch(() => '');
    errorBodies.set(response, body);
  }
  return body;
}

function safeCall<T>(hook: ((event: T) => void) | undefined, event: T): void {
  try {
    hook?.(event);
  } catch {
    // A failing hook must never break a login.
  }
}

function encodeForm(form: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value !== undefined) params.append(key, String(value));
  return params.toString();
}

/**
 * Creates the HTTP client of one provider.
 *
 * Errors: `ERR_CONFIG` for bad options; per request `ERR_PROVIDER_*` (HTTP status), `ERR_NETWORK`,
 * `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_UNEXPECTED_RESPONSE`.
 *
 * @example
 * ```ts
 * const http = createHttpClient({ provider: 'pi', defaultBaseUrl: 'https://api.minepi.com', timeout: 5000 });
 * const me = await http.request({ method: 'GET', path: 'v2/me', schema: UserSchema,
 *   headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = validateOptions(options);
  const provider = options.provider;
  const clientSecretValues = (options.secretValues ?? []).filter(isSecretValue);
  const clientRedactor = createRedactor({
    secretHeaders: options.secretHeaders,
    secretFields: options.secretFields,
    secretValues: options.secretValues,
  });
  const baseUrl = base.toString().endsWith('/') ? base.toString() : `${base.toString()}/`;
  const clientRetry = options.retry;
  const hooks = options.hooks ?? {};
  let instance: KyInstance | undefined;

  async function request(req: HttpRequest): Promise<unknown> {
    const { default: ky, HTTPError, TimeoutError: KyTimeoutError } = await loadKy();
    instance ??= ky.create({
      prefixUrl: baseUrl,
      timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
      fetch: options.fetch,
      throwHttpErrors: true,
      headers: {
        'user-agent': options.userAgent ?? `@authbridge/core/${VERSION}`,
        ...options.headers,
      },
    });
    const method = req.method;
    // The client's redactor serves every request that names no secret of its own.
    const ownSecrets = (req.secretValues ?? []).filter(isSecretValue);
    const secretValues = ownSecrets.length > 0 ? [...clientSecretValues, ...ownSecrets] : clientSecretValues;
    const redactor =
      ownSecrets.length > 0
        ? createRedactor({
            secretHeaders: options.secretHeaders,
            secretFields: options.secretFields,
            secretValues,
          })
        : clientRedactor;
    const retry = req.retry === undefined ? clientRetry : req.retry;
    const policy: ResolvedRetryOptions =
      retry === false ? { ...DEFAULT_RETRY, limit: 0 } : { ...DEFAULT_RETRY, ...retry };
    const path = req.path.replace(/^\/+/, '');
    const searchParams: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.searchParams ?? {})) {
      if (value !== undefined) searchParams[key] = String(value);
    }
    let body: string | undefined;
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    } else if (req.form !== undefined) {
      body = encodeForm(req.form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const fullUrl = new URL(path, baseUrl);
    for (const [key, value] of Object.entries(searchParams)) fullUrl.searchParams.append(key, value);
    const url = redactor.url(fullUrl);
    let attempt = 0;
    let attemptStart = 0;
    let attemptEnd = 0;
    const event = (extra: Partial<HttpEvent> = {}): HttpEvent => ({
      provider,
      method,
      url,
      attempt,
      durationMs: attemptStart ? (attemptEnd || Date.now()) - attemptStart : undefined,
      ...extra,
    });
    /**
     * One attempt reads the whole body before it resolves, so the per-attempt timeout and the
     * caller's signal cover a server that sends its headers and then stalls the body.
     */
    const attemptFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      try {
        const response = await (options.fetch ?? globalThis.fetch)(input, init);
        // Reading a clone to its end pulls the whole body into the original's queue; the original is
        // returned untouched (a status such as Toopher's 601 could not be copied into a new Response).
        await response.clone().arrayBuffer();
        return response;
      } finally {
        attemptEnd = Date.now();
      }
    };

    const kyOptions: KyOptions = {
      method,
      searchParams,
      headers,
      body,
      signal: req.signal,
      fetch: attemptFetch,
      timeout: req.timeout ?? options.timeout ?? DEFAULT_TIMEOUT_MS,
      retry: {
        limit: policy.limit,
        methods: policy.methods.map((m) => m.toLowerCase()),
        statusCodes: policy.statusCodes,
        afterStatusCodes: [...new Set([413, 429, 503, ...policy.retryAfterOnly])],
        maxRetryAfter: policy.maxRetryAfter,
        backoffLimit: policy.backoffLimit,
        delay: policy.delay ?? ((n) => policy.baseDelay * 2 ** (n - 1)),
        jitter: policy.jitter,
        retryOnTimeout: policy.retryOnTimeout,
        shouldRetry: ({ error }) => {
          if (!(error instanceof HTTPError) || !policy.retryAfterOnly.includes(error.response.status)) {
            return undefined;
          }
          const seconds = parseRetryAfter(error.response.headers.get('retry-after'));
          if (seconds === undefined || seconds * 1000 > policy.maxRetryAfter) return false;
          // `true` retries after the computed backoff, `undefined` after the Retry-After (ky's way).
          return seconds === 0 ? true : undefined;
        },
      },
      hooks: {
        beforeRequest: [
          async (request) => {
            attempt += 1;
            attemptStart = Date.now();
            attemptEnd = 0;
            if (options.sign) {
              const signed = await options.sign({ method, url: request.url, body });
              for (const [name, value] of Object.entries(signed)) request.headers.set(name, value);
            }
            safeCall(hooks.onRequest, event());
          },
        ],
        // No afterResponse hook: ky clones the response for it, and the unread clone turns a later
        // abort into an unhandled rejection. Responses are reported from here and below instead.
        // ky calls this after the backoff wait, as the next attempt is about to start: the events
        // describe the attempt that failed, and `delayMs` the wait that followed it.
        beforeRetry: [
          async ({ error }) => {
            if (error instanceof HTTPError)
              safeCall(hooks.onResponse, event({ status: error.response.status }));
            const mapped = await mapError(error, req.signal);
            const delayMs = attemptEnd ? Date.now() - attemptEnd : undefined;
            safeCall(hooks.onRetry, event({ status: mapped.status, error: mapped, delayMs }));
          },
        ],
      },
    };

    let response: Response;
    try {
      response = await instance(path, kyOptions);
    } catch (error) {
      if (error instanceof HTTPError) safeCall(hooks.onResponse, event({ status: error.response.status }));
      const mapped = await mapError(error, req.signal);
      safeCall(hooks.onError, event({ status: mapped.status, error: mapped }));
      throw mapped;
    }
    safeCall(hooks.onResponse, event({ status: response.status }));

    const type = req.responseType ?? 'json';
    try {
      if (type === 'none') {
        await response.body?.cancel();
        return undefined;
      }
      if (type === 'bytes') return new Uint8Array(await response.arrayBuffer());
      const text = await response.text();
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        throw new UnexpectedResponseError(
          `${provider} answered ${method} ${url} with a body that is not JSON.`,
          {
            provider,
            status: response.status,
            bodyExcerpt: excerpt(redactor, text),
          },
        );
      }
      if (!req.schema) return data;
      const parsed = v.safeParse(req.schema, data);
      if (parsed.success) return parsed.output;
      const where = parsed.issues
        .slice(0, 3)
        .map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.expected ?? issue.kind} expected`)
        .join('; ');
      throw new UnexpectedResponseError(`${provider} answered ${method} ${url} with an unexpected body.`, {
        provider,
        status: response.status,
        details: where,
        bodyExcerpt: excerpt(redactor, text),
      });
    } catch (error) {
      const mapped = error instanceof UnexpectedResponseError ? error : await mapError(error, req.signal);
      safeCall(hooks.onError, event({ status: response.status, error: mapped }));
      throw mapped;
    }

    async function mapError(error: unknown, signal: AbortSignal | undefined): Promise<AuthBridgeError> {
      const where = `${method} ${url}`;
      if (signal?.aborted) {
        return new AbortedError(`The ${provider} request ${where} was aborted by the caller.`, {
          provider,
          cause: signal.reason,
        });
      }
      if (error instanceof HTTPError) {
        const status = error.response.status;
        const text = await readErrorBody(error.response);
        let bodyJson: unknown;
        try {
          bodyJson = text ? JSON.parse(text) : undefined;
        } catch {
          bodyJson = undefined;
        }
        const parsed =
          options.parseError?.({ status, body: bodyJson, text, redact: redactor.text, secretValues }) ?? {};
        const retryAfter = parseRetryAfter(error.response.headers.get('retry-after'));
        const providerMessage = parsed.message ? redactor.text(parsed.message) : undefined;
        return new ProviderRequestError(
          `${provider} answered ${status}${error.response.statusText ? ` ${error.response.statusText}` : ''} to ${where}${providerMessage ? `: ${providerMessage}` : '.'}`,
          {
            provider,
            status,
            retryAfter,
            providerCode: parsed.providerCode === undefined ? undefined : redactor.text(parsed.providerCode),
            data: parsed.data,
            details: bodyJson === undefined && text ? `Body: ${excerpt(redactor, text)}` : undefined,
          },
        );
      }
      if (error instanceof KyTimeoutError) {
        return new TimeoutError(
          `The ${provider} request ${where} timed out after ${req.timeout ?? options.timeout ?? DEFAULT_TIMEOUT_MS} ms (attempt ${attempt}).`,
          { provider },
        );
      }
      if (error instanceof Error && error.name === 'AbortError') {
        return new AbortedError(`The ${provider} request ${where} was aborted.`, { provider });
      }
      const reason =
        error instanceof Error
          ? redactor.text(
              error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message,
            )
          : 'unknown error';
      return new NetworkError(`The ${provider} request ${where} failed before an answer: ${reason}.`, {
        provider,
      });
    }
  }

  return { provider, baseUrl, redactor: clientRedactor, request: request as HttpClient['request'] };
}
