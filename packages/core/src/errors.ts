/**
 * The error hierarchy shared by every authbridge package.
 *
 * Each error carries a stable `code` from the closed {@link AuthBridgeErrorCode} union, so that
 * `switch (error.code)` narrows and checks survive two installed copies of this package
 * (see {@link isAuthBridgeError}). Messages never contain a secret: every error runs its message,
 * details, `data` and `cause` chain through the redactor when it is built (see `redactUnknown`).
 */
import { redactText, redactUnknown } from './redact.js';

/** Every code an authbridge error can carry, in documentation order. Each has an entry in `docs/errors.md`. */
export const ERROR_CODES = [
  'ERR_CONFIG',
  'ERR_INVALID_ARGUMENT',
  'ERR_AUTH_HEADER_MISSING',
  'ERR_AUTH_HEADER_MALFORMED',
  'ERR_CREDENTIAL_MALFORMED',
  'ERR_CREDENTIAL_SIGNATURE',
  'ERR_CREDENTIAL_EXPIRED',
  'ERR_CREDENTIAL_NOT_YET_VALID',
  'ERR_CREDENTIAL_AUDIENCE',
  'ERR_CREDENTIAL_REPLAYED',
  'ERR_CREDENTIAL_REJECTED',
  'ERR_CREDENTIAL_CHALLENGE',
  'ERR_PROVIDER_BAD_REQUEST',
  'ERR_PROVIDER_UNAUTHORIZED',
  'ERR_PROVIDER_FORBIDDEN',
  'ERR_PROVIDER_NOT_FOUND',
  'ERR_PROVIDER_CONFLICT',
  'ERR_PROVIDER_RATE_LIMITED',
  'ERR_PROVIDER_SERVER',
  'ERR_PROVIDER_REQUEST',
  'ERR_NETWORK',
  'ERR_TIMEOUT',
  'ERR_ABORTED',
  'ERR_UNEXPECTED_RESPONSE',
  'ERR_STORE',
  'ERR_SESSION_MISSING',
  'ERR_SESSION_INVALID',
  'ERR_SESSION_EXPIRED',
  'ERR_SESSION_REVOKED',
  'ERR_UNKNOWN_PROVIDER',
  'ERR_REQUEST_MALFORMED',
  'ERR_UNSUPPORTED_MEDIA_TYPE',
  'ERR_PAYLOAD_TOO_LARGE',
  'ERR_RATE_LIMITED',
] as const;

/** The closed union of error codes: `switch (error.code)` narrows on it. */
export type AuthBridgeErrorCode = (typeof ERROR_CODES)[number];

/**
 * The error reference as installed: `node_modules/@authbridge/core/docs/errors.md` (core's tarball ships
 * it). Each error's `docsPath` names its own entry there.
 */
export const ERRORS_DOCS_PATH = '@authbridge/core/docs/errors.md';

/**
 * Where a code's entry is: the reference's path and the code's anchor, `ERR_CONFIG` giving
 * `@authbridge/core/docs/errors.md#err_config`.
 *
 * @example
 * ```ts
 * errorDocsPath('ERR_CONFIG'); // '@authbridge/core/docs/errors.md#err_config'
 * ```
 */
export function errorDocsPath(code: AuthBridgeErrorCode): string {
  return `${ERRORS_DOCS_PATH}#${code.toLowerCase()}`;
}

const BRAND = Symbol.for('authbridge.error');

/** What every error constructor accepts. */
export interface AuthBridgeErrorOptions {
  /** The provider id (`'magic'`, `'picket'`, `'pi'`, `'toopher'`) or `'core'`. */
  provider?: string;
  /** HTTP status of the provider response, when there was one. */
  status?: number;
  /** Whether repeating the same call later may succeed. Defaults per class. */
  retryable?: boolean;
  /**
   * The underlying error. Kept redacted: its message, stack, fields and own causes go through
   * `redactUnknown` (remembered secrets, URL userinfo, secret fields), so a store's error that quotes
   * a database URL with its password is attached without the password.
   */
  cause?: unknown;
  /** The provider's own error code (`payment_not_found`, `ERROR_DIDT_EXPIRED`, `704`, ...). */
  providerCode?: string;
  /** Extra, non-secret detail for a human (appended to `message`). */
  details?: string;
  /** Provider data attached to the error (for example the payment a Pi error refers to). Redacted as `cause`. */
  data?: unknown;
}

/**
 * The base class of every authbridge error.
 *
 * @example
 * ```ts
 * try {
 *   await auth.verify('magic', didToken);
 * } catch (error) {
 *   if (isAuthBridgeError(error, 'ERR_CREDENTIAL_EXPIRED')) return reply(401, 'Please sign in again');
 *   throw error;
 * }
 * ```
 */
export class AuthBridgeError extends Error {
  override readonly name: string = 'AuthBridgeError';
  readonly code: AuthBridgeErrorCode;
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly providerCode: string | undefined;
  /** The message without details: short enough for a log line. */
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly data: unknown;
  /** The entry of this code in the error reference under `node_modules` (`@authbridge/core/docs/errors.md#err_config`). */
  readonly docsPath: string;

  constructor(code: AuthBridgeErrorCode, rawShortMessage: string, options: AuthBridgeErrorOptions = {}) {
    const shortMessage = redactText(rawShortMessage);
    const details = options.details === undefined ? undefined : redactText(options.details);
    const message = details ? `${shortMessage}\n\nDetails: ${details}` : shortMessage;
    super(`${message}\n\nSee ${errorDocsPath(code)}`, { cause: redactUnknown(options.cause) });
    Object.defineProperty(this, BRAND, { value: true });
    this.code = code;
    this.provider = options.provider ?? 'core';
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.providerCode = options.providerCode === undefined ? undefined : redactText(options.providerCode);
    this.shortMessage = shortMessage;
    this.details = details;
    this.data = redactUnknown(options.data);
    this.docsPath = errorDocsPath(code);
  }

  /**
   * A plain object for structured logs: code, provider, status, messages and the subclass's own
   * fields (`retryAfter`, `bodyExcerpt`); never the cause chain or attached provider data.
   */
  toJSON(): Record<string, unknown> {
    const own = this as { retryAfter?: unknown; bodyExcerpt?: unknown };
    return {
      name: this.name,
      code: this.code,
      provider: this.provider,
      status: this.status,
      retryable: this.retryable,
      providerCode: this.providerCode,
      message: this.shortMessage,
      details: this.details,
      retryAfter: own.retryAfter,
      bodyExcerpt: own.bodyExcerpt,
      docsPath: this.docsPath,
    };
  }
}

/** The app's own configuration is wrong (missing key, bad URL, bad option). Fix the code, do not retry. */
export class ConfigurationError extends AuthBridgeError {
  override readonly name = 'ConfigurationError';
  constructor(message: string, options: AuthBridgeErrorOptions = {}) {
    super('ERR_CONFIG', message, options);
  }
}

/**
 * An argument of a call is not acceptable (a malformed payment id, a missing field), as opposed to the
 * client's configuration. When the value came from the app's own client, answer 400.
 */
export class InvalidArgumentError extends AuthBridgeError {
  override readonly name = 'InvalidArgumentError';
  constructor(message: string, options: AuthBridgeErrorOptions = {}) {
    super('ERR_INVALID_ARGUMENT', message, { retryable: false, ...options });
  }
}

/** The codes an {@link InvalidCredentialError} can carry. */
export type InvalidCredentialCode = Extract<
  AuthBridgeErrorCode,
  `ERR_CREDENTIAL_${string}` | `ERR_AUTH_HEADER_${string}`
>;

/** The user's credential is not acceptable: answer 401 and ask the user to sign in again. */
export class InvalidCredentialError extends AuthBridgeError {
  override readonly name = 'InvalidCredentialError';
  declare readonly code: InvalidCredentialCode;
  constructor(code: InvalidCredentialCode, message: string, options: AuthBridgeErrorOptions = {}) {
    super(code, message, { retryable: false, ...options });
  }
}

/** The codes a {@link SessionError} can carry. */
export type SessionErrorCode = Extract<AuthBridgeErrorCode, `ERR_SESSION_${string}`>;

/**
 * The app's own session (issued by `@authbridge/session` after a login) is missing, forged, expired or
 * revoked: answer 401 and ask the user to sign in again.
 */
export class SessionError extends AuthBridgeError {
  override readonly name = 'SessionError';
  declare readonly code: SessionErrorCode;
  constructor(code: SessionErrorCode, message: string, options: AuthBridgeErrorOptions = {}) {
    super(code, message, { retryable: false, ...options });
  }
}

/** The codes a {@link RequestError} can carry. */
export type RequestErrorCode = Extract<
  AuthBridgeErrorCode,
  | 'ERR_UNKNOWN_PROVIDER'
  | 'ERR_REQUEST_MALFORMED'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_PAYLOAD_TOO_LARGE'
  | 'ERR_RATE_LIMITED'
>;

/**
 * An HTTP request to an app's login routes is refused before any provider sees it: an unknown provider
 * id, a body that is not the expected JSON, too large, or a client over its rate limit.
 */
export class RequestError extends AuthBridgeError {
  override readonly name = 'RequestError';
  declare readonly code: RequestErrorCode;
  /** Seconds the client should wait (`Retry-After`), for `ERR_RATE_LIMITED`. */
  readonly retryAfter: number | undefined;
  constructor(
    code: RequestErrorCode,
    message: string,
    options: AuthBridgeErrorOptions & { retryAfter?: number } = {},
  ) {
    const { retryAfter, ...rest } = options;
    super(code, message, { retryable: code === 'ERR_RATE_LIMITED', ...rest });
    this.retryAfter = retryAfter;
  }
}

/** The codes a {@link ProviderRequestError} can carry. */
export type ProviderRequestCode = Extract<AuthBridgeErrorCode, `ERR_PROVIDER_${string}`>;

/** Options of a provider request error: the status is known, `retryAfter` too on a 429 or 503. */
export interface ProviderRequestErrorOptions extends AuthBridgeErrorOptions {
  status: number;
  /** Seconds the provider asked us to wait (`Retry-After`), when it said. */
  retryAfter?: number;
}

/** The provider answered with an HTTP error status. `code` says which class of status. */
export class ProviderRequestError extends AuthBridgeError {
  override readonly name = 'ProviderRequestError';
  declare readonly code: ProviderRequestCode;
  declare readonly status: number;
  readonly retryAfter: number | undefined;
  constructor(message: string, options: ProviderRequestErrorOptions) {
    const code = providerCodeForStatus(options.status);
    super(code, message, {
      retryable:
        code === 'ERR_PROVIDER_RATE_LIMITED' || code === 'ERR_PROVIDER_SERVER' || options.status === 408,
      ...options,
    });
    this.retryAfter = options.retryAfter;
  }
}

/** Maps an HTTP error status onto its provider request code. */
export function providerCodeForStatus(status: number): ProviderRequestCode {
  switch (status) {
    case 400:
    case 422:
      return 'ERR_PROVIDER_BAD_REQUEST';
    case 401:
      return 'ERR_PROVIDER_UNAUTHORIZED';
    case 403:
      return 'ERR_PROVIDER_FORBIDDEN';
    case 404:
      return 'ERR_PROVIDER_NOT_FOUND';
    case 409:
      return 'ERR_PROVIDER_CONFLICT';
    case 429:
      return 'ERR_PROVIDER_RATE_LIMITED';
    default:
      return status >= 500 ? 'ERR_PROVIDER_SERVER' : 'ERR_PROVIDER_REQUEST';
  }
}

/** The request never got an HTTP answer: DNS failure, refused or dropped connection. */
export class NetworkError extends AuthBridgeError {
  override readonly name = 'NetworkError';
  constructor(message: string, options: AuthBridgeErrorOptions = {}) {
    super('ERR_NETWORK', message, { retryable: true, ...options });
  }
}

/** An attempt, or a whole wait (such as a Toopher poll deadline), ran out of time. */
export class TimeoutError extends AuthBridgeError {
  override readonly name = 'TimeoutError';
  constructor(message: string, options: AuthBridgeErrorOptions = {}) {
    super('ERR_TIMEOUT', message, { retryable: true, ...options });
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortedError extends AuthBridgeError {
  override readonly name = 'AbortedError';
  constructor(message: string, options: AuthBridgeErrorOptions = {}) {
    super('ERR_ABORTED', message, { retryable: false, ...options });
  }
}

/** Options of an unexpected-response error: the status and a redacted excerpt of the body. */
export interface UnexpectedResponseErrorOptions extends AuthBridgeErrorOptions {
  status?: number;
  /** At most 200 characters of the body, with secrets redacted. */
  bodyExcerpt?: string;
}

/** The provider answered, but not in the shape its contract promises (not JSON, or failing the schema). */
export class UnexpectedResponseError extends AuthBridgeError {
  override readonly name = 'UnexpectedResponseError';
  readonly bodyExcerpt: string | undefined;
  constructor(message: string, options: UnexpectedResponseErrorOptions = {}) {
    super('ERR_UNEXPECTED_RESPONSE', message, { retryable: false, ...options });
    this.bodyExcerpt = options.bodyExcerpt === undefined ? undefined : redactText(options.bodyExcerpt);
  }
}

/** A nonce or replay store failed or was too slow. Logins fail closed: none is admitted. */
export class StoreError extends AuthBridgeError {
  override readonly name = 'StoreError';
  constructor(message: string, options: AuthBridgeErrorOptions = {}) {
    super('ERR_STORE', message, { retryable: true, ...options });
  }
}

/**
 * Whether `error` is an authbridge error (from any installed copy), optionally with one of `codes`.
 *
 * @example
 * ```ts
 * if (isAuthBridgeError(error, 'ERR_CREDENTIAL_EXPIRED', 'ERR_CREDENTIAL_SIGNATURE')) return res.status(401).end();
 * ```
 */
export function isAuthBridgeError<C extends AuthBridgeErrorCode = AuthBridgeErrorCode>(
  error: unknown,
  ...codes: C[]
): error is AuthBridgeError & { code: C } {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[BRAND] !== true) return false;
  return codes.length === 0 || codes.includes((error as AuthBridgeError).code as C);
}
