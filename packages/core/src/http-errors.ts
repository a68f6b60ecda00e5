/**
 * How a failed request becomes an AuthBridgeError: a provider status, a redirect, an oversized or
 * malformed body, a timeout, an abort or a dropped connection, each with the redacted URL.
 */
import {
  AbortedError,
  type AuthBridgeError,
  NetworkError,
  ProviderRequestError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';
import type { AttemptFailed, AttemptResponse } from './http-attempt.js';
import type { HttpClientOptions } from './http-options.js';
import { parseRetryAfter } from './http-retry.js';
import { excerpt, type Redactor } from './redact.js';

/** What every error of one request names. */
export interface ErrorContext {
  provider: string;
  /** The request's URL, redacted. */
  url: string;
  /** `GET https://…/path`, redacted. */
  where: string;
  redactor: Redactor;
  secretValues: readonly string[];
  parseError: HttpClientOptions['parseError'];
  timeout: number;
  maxResponseBytes: number;
}

/** A non-2xx, non-3xx answer: `ERR_PROVIDER_*` by status, with what the provider's body says. */
export function statusError(context: ErrorContext, response: AttemptResponse): ProviderRequestError {
  const { provider, redactor } = context;
  const { status, text } = response;
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const parsed =
    context.parseError?.({ status, body, text, redact: redactor.text, secretValues: context.secretValues }) ??
    {};
  const providerMessage = parsed.message ? redactor.text(parsed.message) : undefined;
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ProviderRequestError(
    `${provider} answered ${status}${statusText} to ${context.where}${providerMessage ? `: ${providerMessage}` : '.'}`,
    {
      provider,
      status,
      retryAfter: parseRetryAfter(response.headers.get('retry-after')),
      providerCode: parsed.providerCode === undefined ? undefined : redactor.text(parsed.providerCode),
      data: parsed.data,
      details: body === undefined && text ? `Body: ${excerpt(redactor, text)}` : undefined,
    },
  );
}

/**
 * A 3xx: provider calls never follow redirects, since the secret headers and one-time bodies of the
 * request would go to wherever the answer points.
 */
export function redirectError(context: ErrorContext, response: AttemptResponse): UnexpectedResponseError {
  const { provider, redactor } = context;
  // A browser's manual redirect hides the status (0) and the target.
  const status = response.status === 0 ? 'a redirect' : `${response.status} (a redirect)`;
  const target = response.redirectTo
    ? ` to ${excerpt(redactor, redactor.url(response.redirectTo), 120)}`
    : '';
  return new UnexpectedResponseError(
    `${provider} answered ${context.where} with ${status}${target}; provider calls do not follow redirects.`,
    {
      provider,
      status: response.status === 0 ? undefined : response.status,
      details: 'Check baseUrl: a proxy or an old host may be redirecting.',
    },
  );
}

/** A 2xx body that is not JSON, or not the JSON the schema describes. */
export function bodyError(
  context: ErrorContext,
  status: number,
  text: string,
  details?: string,
): UnexpectedResponseError {
  const what = details === undefined ? 'a body that is not JSON' : 'an unexpected body';
  return new UnexpectedResponseError(`${context.provider} answered ${context.where} with ${what}.`, {
    provider: context.provider,
    status,
    details,
    bodyExcerpt: excerpt(context.redactor, text),
  });
}

/** An attempt that produced no answer. */
export function failureError(
  context: ErrorContext,
  failure: AttemptFailed,
  attempt: number,
): AuthBridgeError {
  const { provider, where } = context;
  switch (failure.kind) {
    case 'aborted':
      return new AbortedError(`The ${provider} request ${where} was aborted by the caller.`, {
        provider,
        cause: failure.cause,
      });
    case 'timeout':
      return new TimeoutError(
        `The ${provider} request ${where} timed out after ${context.timeout} ms (attempt ${attempt}).`,
        { provider },
      );
    case 'too-large':
      return new UnexpectedResponseError(
        `${provider} answered ${where} with a body larger than ${context.maxResponseBytes} bytes (maxResponseBytes); the attempt was aborted.`,
        { provider, status: failure.status },
      );
    case 'network': {
      const error = failure.cause;
      const reason =
        error instanceof Error
          ? context.redactor.text(
              error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message,
            )
          : 'unknown error';
      return new NetworkError(`The ${provider} request ${where} failed before an answer: ${reason}.`, {
        provider,
      });
    }
  }
}
