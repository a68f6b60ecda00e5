/**
 * The one HTTP layer every adapter uses: ky as the transport, with per-attempt timeouts that cover
 * the body, redirects never followed, bodies capped, retries only where they are safe, responses
 * parsed through valibot schemas, errors mapped onto the authbridge hierarchy, and secrets redacted
 * from every error and event.
 *
 * One concern per file: options and defaults (`http-options.ts`), the attempt (`http-attempt.ts`),
 * retries (`http-retry.ts`), error mapping (`http-errors.ts`).
 */
import * as v from 'valibot';
import type { AuthBridgeError } from './errors.js';
import { AttemptFailed, type AttemptResponse, sendAttempt } from './http-attempt.js';
import { bodyError, type ErrorContext, failureError, redirectError, statusError } from './http-errors.js';
import {
  type HttpClient,
  type HttpClientOptions,
  type HttpEvent,
  type HttpRequest,
  resolveClientOptions,
  resolveRetry,
} from './http-options.js';
import { type AttemptFailure, retryDelay, sleep } from './http-retry.js';
import { createRedactor, type Redactor } from './redact.js';
import { VERSION } from './version.js';

export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type HttpClient,
  type HttpClientOptions,
  type HttpEvent,
  type HttpHooks,
  type HttpMethod,
  type HttpOptions,
  type HttpRequest,
  type HttpResult,
  type ParsedProviderError,
  type RequestSigner,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './http-options.js';
export { parseRetryAfter } from './http-retry.js';

const isSecretValue = (value: string | undefined): value is string =>
  typeof value === 'string' && value !== '';

function safeCall(hook: ((event: HttpEvent) => void) | undefined, event: () => HttpEvent): void {
  if (!hook) return;
  try {
    hook(event());
  } catch {
    // A failing hook must never break a login.
  }
}

function encodeForm(form: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value !== undefined) params.append(key, String(value));
  return params.toString();
}

function encodeQuery(searchParams: HttpRequest['searchParams']): string {
  if (!searchParams) return '';
  let params: URLSearchParams | undefined;
  for (const key in searchParams) {
    const value = searchParams[key];
    if (value === undefined) continue;
    params ??= new URLSearchParams();
    params.append(key, String(value));
  }
  return params ? params.toString() : '';
}

/**
 * Creates the HTTP client of one provider.
 *
 * Errors: `ERR_CONFIG` for bad options; per request `ERR_PROVIDER_*` (HTTP status), `ERR_NETWORK`,
 * `ERR_TIMEOUT`, `ERR_ABORTED`, and `ERR_UNEXPECTED_RESPONSE` for a body that is not the expected
 * JSON, a redirect (never followed) or a body over `maxResponseBytes`.
 *
 * @example
 * ```ts
 * const http = createHttpClient({ provider: 'pi', defaultBaseUrl: 'https://api.minepi.com', timeout: 5000 });
 * const me = await http.request({ method: 'GET', path: 'v2/me', schema: UserSchema,
 *   headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { baseUrl, timeout: clientTimeout, maxResponseBytes } = resolveClientOptions(options);
  const provider = options.provider;
  const clientSecretValues = (options.secretValues ?? []).filter(isSecretValue);
  const clientRedactor = createRedactor({
    secretHeaders: options.secretHeaders,
    secretFields: options.secretFields,
    secretValues: options.secretValues,
  });
  const hooks = options.hooks ?? {};
  const baseHeaders: Record<string, string> = {
    accept: 'application/json',
    'user-agent': options.userAgent ?? `@authbridge/core/${VERSION}`,
    ...options.headers,
  };
  const clientPolicy = resolveRetry(options.retry);

  async function request(req: HttpRequest): Promise<unknown> {
    const method = req.method;
    const query = encodeQuery(req.searchParams);
    const path = req.path.replace(/^\/+/, '');
    const url = query === '' ? baseUrl + path : `${baseUrl}${path}${path.includes('?') ? '&' : '?'}${query}`;
    let body: string | undefined;
    let headers = baseHeaders;
    if (req.headers || req.json !== undefined || req.form !== undefined) {
      headers = { ...baseHeaders, ...req.headers };
      if (req.json !== undefined) {
        body = JSON.stringify(req.json);
        headers['content-type'] = 'application/json';
      } else if (req.form !== undefined) {
        body = encodeForm(req.form);
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
    }
    const policy = req.retry === undefined ? clientPolicy : resolveRetry(req.retry);
    const timeout = req.timeout ?? clientTimeout;
    const responseType = req.responseType ?? 'json';

    // What only errors and events need is built the first time one asks.
    let context: ErrorContext | undefined;
    const errorContext = (): ErrorContext => {
      if (context) return context;
      const ownSecrets = (req.secretValues ?? []).filter(isSecretValue);
      // The client's redactor serves every request that names no secret of its own.
      const redactor: Redactor =
        ownSecrets.length > 0
          ? createRedactor({
              secretHeaders: options.secretHeaders,
              secretFields: options.secretFields,
              secretValues: [...clientSecretValues, ...ownSecrets],
            })
          : clientRedactor;
      const redactedUrl = redactor.url(url);
      context = {
        provider,
        url: redactedUrl,
        where: `${method} ${redactedUrl}`,
        redactor,
        secretValues: ownSecrets.length > 0 ? [...clientSecretValues, ...ownSecrets] : clientSecretValues,
        parseError: options.parseError,
        timeout,
        maxResponseBytes,
      };
      return context;
    };
    let attempt = 0;
    let attemptStart = 0;
    let attemptEnd = 0;
    const event =
      (extra: Partial<HttpEvent> = {}) =>
      (): HttpEvent => ({
        provider,
        method,
        url: errorContext().url,
        attempt,
        durationMs: attemptStart ? (attemptEnd || Date.now()) - attemptStart : undefined,
        ...extra,
      });
    const timed = Boolean(hooks.onRequest || hooks.onResponse || hooks.onRetry || hooks.onError);
    const fail = (error: AuthBridgeError, status?: number): never => {
      safeCall(hooks.onError, event({ status, error }));
      throw error;
    };

    for (;;) {
      attempt += 1;
      if (timed) {
        attemptStart = Date.now();
        attemptEnd = 0;
      }
      let attemptHeaders = headers;
      if (options.sign) {
        // Signed over the URL as it goes on the wire, afresh for each attempt (a new nonce).
        const signed = await options.sign({ method, url: new URL(url).href, body });
        attemptHeaders = { ...headers, ...signed };
      }
      safeCall(hooks.onRequest, event());
      const outcome = await attemptOnce(attemptHeaders);
      if (!('error' in outcome)) return outcome.value;
      const { error, failure } = outcome;
      const delay = failure && retryDelay(policy, method, attempt, failure);
      if (delay === undefined) return fail(error, error.status);
      try {
        await sleep(delay, req.signal);
      } catch (reason) {
        return fail(failureError(errorContext(), new AttemptFailed('aborted', undefined, reason), attempt));
      }
      const delayMs = attemptEnd ? Date.now() - attemptEnd : undefined;
      safeCall(hooks.onRetry, event({ status: error.status, error, delayMs }));
    }

    /** One attempt: the parsed value, or the error with what the retry policy needs to know. */
    async function attemptOnce(
      attemptHeaders: Record<string, string>,
    ): Promise<{ value: unknown } | { error: AuthBridgeError; failure?: AttemptFailure }> {
      let response: AttemptResponse;
      try {
        response = await sendAttempt({
          method,
          url,
          headers: attemptHeaders,
          body,
          read: responseType === 'json' ? 'text' : responseType,
          timeout,
          maxResponseBytes,
          signal: req.signal,
          fetch: options.fetch,
        });
      } catch (thrown) {
        if (timed) attemptEnd = Date.now();
        const failed = thrown as AttemptFailed;
        const error = failureError(errorContext(), failed, attempt);
        // An abort is the caller's word and an oversized body would be as large again: both final.
        const final = failed.kind === 'aborted' || failed.kind === 'too-large';
        return { error, failure: final ? undefined : { kind: failed.kind } };
      }
      if (timed) attemptEnd = Date.now();
      const status = response.status;
      safeCall(hooks.onResponse, event({ status }));
      if (response.redirectTo !== undefined || status < 200 || (status >= 300 && status < 400)) {
        return { error: redirectError(errorContext(), response) };
      }
      if (status < 300) return parseBody(response);
      return {
        error: statusError(errorContext(), response),
        failure: { kind: 'status', status, retryAfter: response.headers.get('retry-after') },
      };
    }

    function parseBody(response: AttemptResponse): { value: unknown } | { error: AuthBridgeError } {
      if (responseType === 'none') return { value: undefined };
      if (responseType === 'bytes') return { value: response.bytes };
      const text = response.text;
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        return { error: bodyError(errorContext(), response.status, text) };
      }
      if (!req.schema) return { value: data };
      const parsed = v.safeParse(req.schema, data);
      if (parsed.success) return { value: parsed.output };
      const where = parsed.issues
        .slice(0, 3)
        .map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.expected ?? issue.kind} expected`)
        .join('; ');
      return { error: bodyError(errorContext(), response.status, text, where) };
    }
  }

  return { provider, baseUrl, redactor: clientRedactor, request: request as HttpClient['request'] };
}
