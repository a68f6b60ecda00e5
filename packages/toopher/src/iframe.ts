/**
 * The Toopher iframe: signed URLs for the authentication and user-management pages (spec §5), and
 * validation of the data the page posts back (spec §6).
 */
import {
  ConfigurationError,
  checkSecret,
  InvalidCredentialError,
  isAuthBridgeError,
  isWellFormedText,
  timingSafeEqual,
  UnexpectedResponseError,
} from '@authbridge/core';
import { TOOPHER_ERROR_CODES } from './errors.js';
import { checkFormPairs, type FormPair, formDecode, formEncode } from './form.js';
import { hmacSha1Base64 } from './hmac-sha1.js';
import { createOAuth1Signer } from './oauth1.js';
import type { ToopherAuthenticationRequest, ToopherPairing, ToopherUser } from './wire.js';

/** The Toopher API base URL. */
export const DEFAULT_TOOPHER_BASE_URL = 'https://api.toopher.com/v1';
/** How long a signed URL and a postback stay valid, in seconds (toopher-python 2.x). */
export const DEFAULT_IFRAME_TTL = 300;
/** The iframe protocol version the URLs announce. */
export const IFRAME_VERSION = '2';

/** Options of {@link toopherIframe}. */
export interface ToopherIframeOptions {
  consumerKey: string;
  consumerSecret: string;
  /** The API base URL; the pages live under `<baseUrl>/web/`. Default `https://api.toopher.com/v1`. */
  baseUrl?: string;
  /** Clock in ms, for reproducible URLs and postback TTL checks. Default `Date.now`. */
  now?: () => number;
  /** OAuth nonce source, for reproducible URLs. Default: random. */
  nonce?: () => string;
}

/** A value of an extra URL parameter. A boolean is written as Python does, `True` / `False`. */
export type IframeParameter = string | number | boolean;

/** Options of {@link ToopherIframe.getAuthenticationUrl}. */
export interface AuthenticationUrlOptions {
  /** Where Toopher may send a reset link. Default `''`. */
  resetEmail?: string;
  /** A per-login random value of the app, echoed as `session_token` in the postback. Default `''`. */
  requestToken?: string;
  /** What the user is asked to allow. Default `'Log In'`. */
  actionName?: string;
  /** Opaque data echoed in the postback. Default `''`. */
  requesterMetadata?: string;
  /** Seconds the URL stays valid. Default 300. */
  ttl?: number;
  /** Extra parameters (`allow_inline_pairing`, `automation_allowed`, `challenge_required`, ...). */
  extras?: Record<string, IframeParameter>;
}

/** Options of {@link ToopherIframe.getUserManagementUrl}. */
export interface UserManagementUrlOptions {
  resetEmail?: string;
  ttl?: number;
  extras?: Record<string, IframeParameter>;
}

/** Options of {@link ToopherIframe.processPostback}. */
export interface PostbackOptions {
  /** The request token given to `getAuthenticationUrl`; when non-empty it must equal `session_token`. */
  requestToken?: string;
  /** Seconds a postback stays valid after its `timestamp`. Default 300. */
  ttl?: number;
}

/**
 * What the iframe posted back: the `toopher_iframe_data` string itself, or the whole form that carries
 * it: a `URLSearchParams`, a `FormData` (from `request.formData()`), a `Map`, or a plain object such as
 * Express's parsed `req.body`. Anything with a `get(name)` method is read through it.
 */
export type PostbackInput =
  | string
  | URLSearchParams
  | FormData
  | {
      /** Reads one field of the posted form. */
      get(name: string): unknown;
    }
  | Record<string, unknown>;

/** Options of {@link ToopherIframe.isAuthenticationGranted}. */
export interface AuthenticationGrantedOptions extends PostbackOptions {
  /**
   * `true` reproduces toopher-python (and Ruby, PHP, .NET): a postback that reports error 704 (the
   * requester disabled Toopher for this user) counts as granted, so the login goes on without a second
   * factor. Default `false`, as toopher-java: that postback carries no signature, so anyone can send it,
   * and with `true` anyone can skip the second factor. Turn it on only to keep toopher-python's
   * behaviour, and prefer deciding from your own user record.
   */
  treatUserDisabledAsGranted?: boolean;
}

/** What a postback that reports an error carries in `error.data`, cleaned: it is unsigned input. */
export interface PostbackErrorData {
  /** The page's `error_code`, when it is a number of at most 6 digits. */
  errorCode: string | undefined;
  /** The page's `error_message`, without control characters, at most 200 characters. */
  errorMessage: string;
}

/** A validated postback, by `resource_type`. */
export type PostbackResult =
  | { resourceType: 'authentication_request'; authenticationRequest: ToopherAuthenticationRequest }
  | { resourceType: 'pairing'; pairing: ToopherPairing }
  | { resourceType: 'requester_user'; user: ToopherUser };

/** The iframe half of the Toopher SDK. */
export interface ToopherIframe {
  /**
   * The signed URL of the authentication page, for `<iframe id="toopher_iframe" src=…>`.
   *
   * Errors: `ERR_CONFIG` when an extra collides with a parameter the URL sets itself, or `ttl` is not
   * a positive integer; `ERR_INVALID_ARGUMENT` when a value (the username, an option, an extra) holds
   * a lone surrogate or is longer than `TOOPHER_TEXT_MAX_LENGTH` (1024) characters.
   *
   * @example
   * ```ts
   * const src = iframe.getAuthenticationUrl('jdoe', { requestToken: session.toopherToken });
   * ```
   */
  getAuthenticationUrl(username: string, options?: AuthenticationUrlOptions): string;
  /**
   * The signed URL of the page where a user manages their pairing.
   *
   * Errors: `ERR_CONFIG` and `ERR_INVALID_ARGUMENT`, as for {@link ToopherIframe.getAuthenticationUrl}.
   *
   * @example
   * ```ts
   * const src = iframe.getUserManagementUrl('jdoe', { resetEmail: 'jdoe@example.com' });
   * ```
   */
  getUserManagementUrl(username: string, options?: UserManagementUrlOptions): string;
  /**
   * Validates a postback: required keys, session token, TTL, then the `toopher_sig` HMAC (constant-time
   * comparison), and maps it by `resource_type`.
   *
   * Errors: `ERR_CREDENTIAL_REJECTED` when the page reported a Toopher error (`providerCode` keeps it,
   * `'704'` for a user who disabled Toopher; the page's message, cleaned, is in `error.data` as
   * {@link PostbackErrorData}, never in `error.message`, since that part of a postback is not signed);
   * `ERR_CREDENTIAL_MALFORMED` for missing keys, a missing postback (`undefined` or `null`, as
   * `req.body` is without a body parser), a body longer than {@link POSTBACK_MAX_LENGTH} characters
   * (checked first), one holding a lone surrogate, or a body that cannot be decoded; `ERR_CREDENTIAL_AUDIENCE` when `session_token` differs from `requestToken`;
   * `ERR_CREDENTIAL_EXPIRED` past the TTL; `ERR_CREDENTIAL_SIGNATURE` for a wrong signature;
   * `ERR_UNEXPECTED_RESPONSE` for a correctly signed but unknown `resource_type`.
   *
   * @example
   * ```ts
   * const result = iframe.processPostback(req.body, { requestToken: session.toopherToken });
   * if (result.resourceType === 'authentication_request' && result.authenticationRequest.granted) login();
   * ```
   */
  processPostback(data: PostbackInput, options?: PostbackOptions): PostbackResult;
  /**
   * Whether the postback is a valid, granted, finished authentication request. Never throws: any
   * failure is `false`. A postback that reports error 704 is `false` too unless
   * `treatUserDisabledAsGranted` is set: toopher-python returns `True` there, but that postback is not
   * signed, so anyone could send it (see the README's security notes).
   *
   * @example
   * ```ts
   * if (!iframe.isAuthenticationGranted(req.body, { requestToken })) return res.status(401).end();
   * // toopher-python's behaviour, where a user without Toopher logs in on the password alone:
   * iframe.isAuthenticationGranted(req.body, { requestToken, treatUserDisabledAsGranted: true });
   * ```
   */
  isAuthenticationGranted(data: PostbackInput, options?: AuthenticationGrantedOptions): boolean;
}

const RESERVED_URL_PARAMETERS = new Set(['expires', 'v']);

function assertTtl(ttl: number): void {
  if (!Number.isInteger(ttl) || ttl <= 0) {
    throw new ConfigurationError('The Toopher iframe ttl must be a positive whole number of seconds.', {
      provider: 'toopher',
    });
  }
}

function parameterText(value: IframeParameter): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

const credentialError = (
  code:
    | 'ERR_CREDENTIAL_MALFORMED'
    | 'ERR_CREDENTIAL_SIGNATURE'
    | 'ERR_CREDENTIAL_EXPIRED'
    | 'ERR_CREDENTIAL_AUDIENCE'
    | 'ERR_CREDENTIAL_REJECTED',
  message: string,
  extra: { providerCode?: string; data?: PostbackErrorData } = {},
) => new InvalidCredentialError(code, message, { provider: 'toopher', ...extra });

/**
 * The longest postback read, in characters, checked before it is decoded. A real one is a few
 * hundred characters of form data.
 */
export const POSTBACK_MAX_LENGTH = 16_384;

function postbackText(data: PostbackInput): string {
  const text = postbackField(data);
  if (text.length > POSTBACK_MAX_LENGTH)
    throw credentialError(
      'ERR_CREDENTIAL_MALFORMED',
      `The postback is longer than ${POSTBACK_MAX_LENGTH} characters.`,
    );
  // A lone surrogate decodes to itself and then cannot be re-encoded to check the signature.
  if (!isWellFormedText(text))
    throw credentialError('ERR_CREDENTIAL_MALFORMED', 'The postback data is not well-formed text.');
  return text;
}

function postbackField(data: PostbackInput): string {
  if (typeof data === 'string') return data;
  // Express leaves req.body undefined (or {}) when no urlencoded body parser is mounted.
  if (data === null || typeof data !== 'object') {
    throw credentialError(
      'ERR_CREDENTIAL_MALFORMED',
      `The postback is ${data === null ? 'null' : typeof data}, not form data: is a urlencoded body parser (such as express.urlencoded()) mounted on the postback route?`,
    );
  }
  const field =
    typeof (data as { get?: unknown }).get === 'function'
      ? (data as { get(name: string): unknown }).get('toopher_iframe_data')
      : (data as Record<string, unknown>).toopher_iframe_data;
  if (typeof field !== 'string') {
    throw credentialError('ERR_CREDENTIAL_MALFORMED', 'The postback has no toopher_iframe_data field.');
  }
  return field;
}

/** The first value of each key, as Python's `parse_qs(...)[k][0]` keeps it. */
function firstValues(text: string): Map<string, string> {
  let pairs: FormPair[];
  try {
    pairs = formDecode(text);
  } catch {
    throw credentialError('ERR_CREDENTIAL_MALFORMED', 'The postback data is not valid form encoding.');
  }
  const fields = new Map<string, string>();
  for (const [name, value] of pairs) if (!fields.has(name)) fields.set(name, value);
  return fields;
}

/**
 * The `toopher_sig` of postback fields: HMAC-SHA1 under the raw consumer secret (not `secret&`) over
 * the fields sorted by name and form-encoded.
 *
 * @example
 * ```ts
 * postbackSignature(new Map([['id', '1'], ['timestamp', '1000']]), secret);
 * ```
 */
export function postbackSignature(fields: ReadonlyMap<string, string>, consumerSecret: string): string {
  const sorted = [...fields].filter(([name]) => name !== 'toopher_sig').sort(([a], [b]) => byCodePoint(a, b));
  return hmacSha1Base64(consumerSecret, formEncode(sorted));
}

/**
 * Orders names by Unicode code point, as toopher-python's `sorted` does. JavaScript's `<` compares
 * UTF-16 units, which puts a character above U+FFFF (a surrogate pair, D800–DFFF) before U+E000–FFFF.
 */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

const codePointRank = (unit: number) => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit);

const bool = (value: string | undefined) => value === 'true';

const PAGE_ERROR_MESSAGES: Record<string, string> = {
  '704': 'The specified user has disabled Toopher authentication.',
  '705': 'No matching user exists.',
  '706': 'No matching terminal exists.',
  '707': 'The pairing has been deactivated.',
  '601': 'The pairing has not been authorized.',
  '708': 'The user must authenticate with a one-time password.',
};

/** C0 and C1 controls, and the Unicode line and paragraph separators: what could forge a log line. */
function isControlCharacter(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** Unsigned text from the page, made safe to log: controls become spaces, at most `max` characters. */
function cleanText(text: string, max: number): string {
  let clean = '';
  for (const ch of text) clean += isControlCharacter(ch.charCodeAt(0)) ? ' ' : ch;
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * The error for a postback that reports `error_code`. Nothing in it is signed, so the message is
 * ours (chosen by a well-formed code); the page's own text goes, cleaned, to `data` only.
 */
function pageError(fields: Map<string, string>): InvalidCredentialError {
  const raw = fields.get('error_code') ?? '';
  const errorCode = /^\d{1,6}$/.test(raw) ? raw : undefined;
  const data: PostbackErrorData = {
    errorCode,
    errorMessage: cleanText(fields.get('error_message') ?? '', 200),
  };
  const known = errorCode === undefined ? undefined : PAGE_ERROR_MESSAGES[errorCode];
  const message = known
    ? `The Toopher iframe reported error ${errorCode}: ${known}`
    : errorCode
      ? `The Toopher iframe reported error ${errorCode}.`
      : 'The Toopher iframe reported an error with a malformed code.';
  return credentialError('ERR_CREDENTIAL_REJECTED', message, { providerCode: errorCode, data });
}

function userFrom(fields: Map<string, string>, prefix: 'pairing_user_id' | 'id'): Omit<ToopherUser, 'raw'> {
  return prefix === 'id'
    ? {
        id: fields.get('id') ?? '',
        name: fields.get('name') ?? '',
        toopherAuthenticationEnabled: bool(fields.get('toopher_authentication_enabled')),
      }
    : {
        id: fields.get('pairing_user_id') ?? '',
        name: fields.get('user_name') ?? '',
        toopherAuthenticationEnabled: bool(fields.get('user_toopher_authentication_enabled')),
      };
}

function resultFrom(fields: Map<string, string>): PostbackResult {
  const raw = Object.fromEntries(fields);
  const get = (name: string) => fields.get(name) ?? '';
  const resourceType = get('resource_type');
  switch (resourceType) {
    case 'authentication_request': {
      const user = userFrom(fields, 'pairing_user_id');
      const reasonCode = Number.parseInt(get('reason_code'), 10);
      return {
        resourceType,
        authenticationRequest: {
          id: get('id'),
          pending: bool(fields.get('pending')),
          granted: bool(fields.get('granted')),
          automated: bool(fields.get('automated')),
          reason: get('reason'),
          reasonCode: Number.isNaN(reasonCode) ? 0 : reasonCode,
          terminal: {
            id: get('terminal_id'),
            name: get('terminal_name'),
            requesterSpecifiedId: get('terminal_requester_specified_id'),
            user,
          },
          user,
          action: { id: get('action_id'), name: get('action_name') },
          raw,
        },
      };
    }
    case 'pairing':
      return {
        resourceType,
        pairing: {
          id: get('id'),
          enabled: bool(fields.get('enabled')),
          pending: bool(fields.get('pending')),
          user: userFrom(fields, 'pairing_user_id'),
          raw,
        },
      };
    case 'requester_user':
      return { resourceType, user: { ...userFrom(fields, 'id'), raw } };
    default:
      throw new UnexpectedResponseError(`The postback resource type is not valid: ${resourceType}`, {
        provider: 'toopher',
      });
  }
}

/**
 * Creates the iframe helper.
 *
 * Errors: `ERR_CONFIG` when the key, secret or base URL is missing or invalid.
 *
 * @example
 * ```ts
 * const iframe = toopherIframe({ consumerKey, consumerSecret });
 * const src = iframe.getAuthenticationUrl('jdoe', { requestToken });
 * // later, in the postback handler:
 * const granted = iframe.isAuthenticationGranted(req.body, { requestToken });
 * ```
 */
export function toopherIframe(options: ToopherIframeOptions): ToopherIframe {
  assertCredentials(options);
  const base = (options.baseUrl ?? DEFAULT_TOOPHER_BASE_URL).replace(/\/+$/, '');
  try {
    new URL(base);
  } catch {
    throw new ConfigurationError('The Toopher baseUrl is not a valid URL.', { provider: 'toopher' });
  }
  const now = options.now ?? Date.now;
  const signer = createOAuth1Signer({ ...options, now });

  function signedUrl(page: string, named: FormPair[], extras: Record<string, IframeParameter>, ttl: number) {
    assertTtl(ttl);
    const names = new Set(named.map(([name]) => name));
    const params: FormPair[] = [...named];
    for (const [name, value] of Object.entries(extras)) {
      if (
        names.has(name) ||
        RESERVED_URL_PARAMETERS.has(name) ||
        name.startsWith('oauth_') ||
        name === 'ttl'
      ) {
        throw new ConfigurationError(
          `The iframe extra '${name}' collides with a parameter the URL sets itself.`,
          {
            provider: 'toopher',
          },
        );
      }
      params.push([name, parameterText(value)]);
    }
    params.push(['expires', String(Math.floor(now() / 1000) + ttl)], ['v', IFRAME_VERSION]);
    checkFormPairs(params);
    const url = `${base}/web/${page}`;
    const o = signer.sign('GET', url, params);
    // oauthlib's order, so the string equals what toopher-python emits on Python 3.
    const oauth: FormPair[] = [
      ['oauth_nonce', o.oauth_nonce],
      ['oauth_timestamp', o.oauth_timestamp],
      ['oauth_version', o.oauth_version],
      ['oauth_signature_method', o.oauth_signature_method],
      ['oauth_consumer_key', o.oauth_consumer_key],
      ['oauth_signature', o.oauth_signature],
    ];
    return `${url}?${formEncode([...params, ...oauth])}`;
  }

  function processPostback(data: PostbackInput, postbackOptions: PostbackOptions = {}): PostbackResult {
    const fields = firstValues(postbackText(data));
    if (fields.has('error_code')) throw pageError(fields);
    const missing = ['toopher_sig', 'timestamp', 'session_token'].filter((name) => !fields.has(name));
    if (missing.length > 0) {
      throw credentialError('ERR_CREDENTIAL_MALFORMED', `Missing required keys: ${missing.join(', ')}`);
    }
    const requestToken = postbackOptions.requestToken ?? '';
    if (requestToken !== '' && !timingSafeEqual(requestToken, fields.get('session_token') ?? '')) {
      throw credentialError('ERR_CREDENTIAL_AUDIENCE', 'Session token does not match expected value!');
    }
    const ttl = postbackOptions.ttl ?? DEFAULT_IFRAME_TTL;
    assertTtl(ttl);
    const timestamp = fields.get('timestamp') ?? '';
    if (!/^-?\d+$/.test(timestamp)) {
      throw credentialError('ERR_CREDENTIAL_MALFORMED', 'The postback timestamp is not a whole number.');
    }
    if (Math.floor(now() / 1000) - Number(timestamp) >= ttl) {
      throw credentialError('ERR_CREDENTIAL_EXPIRED', 'TTL expired');
    }
    // The computed signature is never put in the message: it would hand a forger the right value.
    if (
      !timingSafeEqual(postbackSignature(fields, options.consumerSecret), fields.get('toopher_sig') ?? '')
    ) {
      throw credentialError(
        'ERR_CREDENTIAL_SIGNATURE',
        'Computed signature does not match submitted signature.',
      );
    }
    return resultFrom(fields);
  }

  return {
    getAuthenticationUrl(username, o = {}) {
      return signedUrl(
        'authenticate',
        [
          ['username', username],
          ['reset_email', o.resetEmail ?? ''],
          ['action_name', o.actionName ?? 'Log In'],
          ['session_token', o.requestToken ?? ''],
          ['requester_metadata', o.requesterMetadata ?? ''],
        ],
        o.extras ?? {},
        o.ttl ?? DEFAULT_IFRAME_TTL,
      );
    },
    getUserManagementUrl(username, o = {}) {
      return signedUrl(
        'manage_user',
        [
          ['username', username],
          ['reset_email', o.resetEmail ?? ''],
        ],
        o.extras ?? {},
        o.ttl ?? DEFAULT_IFRAME_TTL,
      );
    },
    processPostback,
    isAuthenticationGranted(data, grantedOptions = {}) {
      const { treatUserDisabledAsGranted = false, ...postbackOptions } = grantedOptions;
      try {
        const result = processPostback(data, postbackOptions);
        return (
          result.resourceType === 'authentication_request' &&
          result.authenticationRequest.granted &&
          !result.authenticationRequest.pending
        );
      } catch (error) {
        return (
          treatUserDisabledAsGranted &&
          isAuthBridgeError(error, 'ERR_CREDENTIAL_REJECTED') &&
          error.providerCode === TOOPHER_ERROR_CODES.userDisabled
        );
      }
    },
  };
}

/** Rejects a missing or blank consumer key or secret before anything is signed with it. */
export function assertCredentials(options: { consumerKey?: unknown; consumerSecret?: unknown }): void {
  // Printable ASCII, at most 1024 characters, and remembered so every error hides them.
  for (const name of ['consumerKey', 'consumerSecret'] as const) {
    checkSecret(options[name], { provider: 'toopher', name });
  }
}
