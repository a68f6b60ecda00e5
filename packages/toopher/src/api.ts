/**
 * The Toopher REST API (spec §2): pairing, authentication requests, users and terminals, every call
 * signed with two-legged OAuth 1.0a through the core HTTP client.
 */
import {
  type CallOptions,
  createHttpClient,
  encodePathSegment,
  type HttpClient,
  type HttpOptions,
  UnexpectedResponseError,
} from '@authbridge/core';
import type * as v from 'valibot';
import { parseToopherError } from './errors.js';
import { checkFormPairs } from './form.js';
import { assertCredentials, DEFAULT_TOOPHER_BASE_URL } from './iframe.js';
import { createOAuth1Signer } from './oauth1.js';
import { VERSION } from './version.js';
import {
  AnyJsonSchema,
  AuthenticationRequestSchema,
  PairingSchema,
  ResetLinkSchema,
  type ToopherAuthenticationRequest,
  type ToopherPairing,
  type ToopherUser,
  type ToopherUserTerminal,
  UserListSchema,
  UserSchema,
  UserTerminalSchema,
} from './wire.js';

/** A request parameter. A boolean goes on the wire as Python writes it, `True` / `False`. */
export type ToopherParameter = string | number | boolean | undefined;
/** Extra request parameters, sent as given (after the named ones, so they can override them). */
export type ToopherParameters = Record<string, ToopherParameter>;

/** Options of {@link createToopherApi}. */
export interface ToopherApiOptions extends HttpOptions {
  consumerKey: string;
  consumerSecret: string;
  /** Clock in ms for `oauth_timestamp`. Default `Date.now`. */
  now?: () => number;
  /** OAuth nonce source. Default: random. */
  nonce?: () => string;
}

/** Options of {@link ToopherApi.authenticate}. */
export interface AuthenticateOptions extends CallOptions {
  /** The terminal's display name (`terminal_name`). */
  terminalName?: string;
  /** The app's own id for the terminal (`requester_specified_terminal_id`). */
  requesterSpecifiedId?: string;
  /** What the user is asked to allow (`action_name`); Toopher's default is "Log In". */
  actionName?: string;
  /** More parameters: `otp`, `challenge_required`, `automation_allowed`, ... */
  extras?: ToopherParameters;
}

/** Options of calls that take extra parameters. */
export interface ExtrasOptions extends CallOptions {
  extras?: ToopherParameters;
}

/** Options of {@link ToopherPairings.getResetLink}. */
export interface ResetLinkOptions extends ExtrasOptions {
  securityQuestion?: string;
  securityAnswer?: string;
}

/** `advanced.pairings`. */
export interface ToopherPairings {
  /**
   * `GET /pairings/{id}`: the pairing as it is now (toopher-python `refresh_from_server`).
   *
   * @example
   * ```ts
   * const { enabled, pending } = await api.advanced.pairings.getById(pairing.id);
   * ```
   */
  getById(id: string, options?: CallOptions): Promise<ToopherPairing>;
  /**
   * `GET /qr/pairings/{id}`: the QR code to scan, as PNG bytes.
   *
   * @example
   * ```ts
   * const png = await api.advanced.pairings.getQrCodeImage(pairing.id);
   * res.type('image/png').send(Buffer.from(png));
   * ```
   */
  getQrCodeImage(id: string, options?: CallOptions): Promise<Uint8Array>;
  /**
   * `POST /pairings/{id}/generate_reset_link`: the URL where the user can reset the pairing.
   *
   * @example
   * ```ts
   * const url = await api.advanced.pairings.getResetLink(pairing.id, { securityQuestion: 'Pet?', securityAnswer: 'Rex' });
   * ```
   */
  getResetLink(id: string, options?: ResetLinkOptions): Promise<string>;
  /**
   * `POST /pairings/{id}/send_reset_link`: Toopher mails the reset link to `email`.
   *
   * @example
   * ```ts
   * await api.advanced.pairings.emailResetLink(pairing.id, 'jdoe@example.com');
   * ```
   */
  emailResetLink(id: string, email: string, options?: ExtrasOptions): Promise<void>;
}

/** `advanced.authenticationRequests`. */
export interface ToopherAuthenticationRequests {
  /**
   * `GET /authentication_requests/{id}`: the request as it is now.
   *
   * @example
   * ```ts
   * const { pending, granted } = await api.advanced.authenticationRequests.getById(request.id);
   * ```
   */
  getById(id: string, options?: CallOptions): Promise<ToopherAuthenticationRequest>;
  /**
   * `POST /authentication_requests/{id}/otp_auth`: answers the request with a one-time password.
   *
   * @example
   * ```ts
   * const answered = await api.advanced.authenticationRequests.grantWithOtp(request.id, '123456');
   * if (answered.granted) login();
   * ```
   */
  grantWithOtp(id: string, otp: string, options?: ExtrasOptions): Promise<ToopherAuthenticationRequest>;
}

/** `advanced.users`. */
export interface ToopherUsers {
  /**
   * `POST /users/create` (sends `name`).
   *
   * @example
   * ```ts
   * const user = await api.advanced.users.create('jdoe');
   * ```
   */
  create(username: string, options?: ExtrasOptions): Promise<ToopherUser>;
  /**
   * `GET /users/{id}`.
   *
   * @example
   * ```ts
   * const { toopherAuthenticationEnabled } = await api.advanced.users.getById(result.subject);
   * ```
   */
  getById(id: string, options?: CallOptions): Promise<ToopherUser>;
  /**
   * `GET /users?name=`: exactly one user. None (`No users with name = X`) or several (`Multiple users
   * with name = X`) is `ERR_UNEXPECTED_RESPONSE`, as toopher-python raised `ToopherApiError`.
   *
   * @example
   * ```ts
   * const user = await api.advanced.users.getByName('jdoe');
   * ```
   */
  getByName(username: string, options?: CallOptions): Promise<ToopherUser>;
  /**
   * `POST /users/{id}` with `toopher_authentication_enabled=True`.
   *
   * @example
   * ```ts
   * await api.advanced.users.enableToopherAuthentication(user.id);
   * ```
   */
  enableToopherAuthentication(id: string, options?: CallOptions): Promise<ToopherUser>;
  /**
   * `POST /users/{id}` with `toopher_authentication_enabled=False`: authentications then fail with 704.
   *
   * @example
   * ```ts
   * await api.advanced.users.disableToopherAuthentication(user.id);
   * ```
   */
  disableToopherAuthentication(id: string, options?: CallOptions): Promise<ToopherUser>;
  /**
   * `POST /users/reset` (sends `user_name`, as toopher-python): removes the user's pairings.
   *
   * @example
   * ```ts
   * await api.advanced.users.reset('jdoe');
   * // Ruby and Java sent `name`: await api.advanced.users.reset('jdoe', { extras: { name: 'jdoe' } });
   * ```
   */
  reset(username: string, options?: ExtrasOptions): Promise<void>;
}

/** `advanced.userTerminals`. */
export interface ToopherUserTerminals {
  /**
   * `POST /user_terminals/create` (sends `user_name`, `name`, `name_extra` as toopher-python).
   *
   * @example
   * ```ts
   * const terminal = await api.advanced.userTerminals.create('jdoe', 'Chrome on Mac', deviceId);
   * ```
   */
  create(
    username: string,
    terminalName: string,
    requesterSpecifiedId: string,
    options?: ExtrasOptions,
  ): Promise<ToopherUserTerminal>;
  /**
   * `GET /user_terminals/{id}`.
   *
   * @example
   * ```ts
   * const { requesterSpecifiedId } = await api.advanced.userTerminals.getById(terminal.id);
   * ```
   */
  getById(id: string, options?: CallOptions): Promise<ToopherUserTerminal>;
}

/** `advanced.raw`: signed calls to any endpoint, for what the typed methods do not cover. */
export interface ToopherRaw {
  /**
   * `GET endpoint?params`, decoded JSON.
   *
   * @example
   * ```ts
   * const users = await api.advanced.raw.get('/users', { name: 'jdoe' });
   * ```
   */
  get(endpoint: string, params?: ToopherParameters, options?: CallOptions): Promise<unknown>;
  /**
   * `POST endpoint` with `params` as a form body, decoded JSON. Never retried.
   *
   * @example
   * ```ts
   * await api.advanced.raw.post('/users/create', { name: 'jdoe' });
   * ```
   */
  post(endpoint: string, params?: ToopherParameters, options?: CallOptions): Promise<unknown>;
  /**
   * `GET endpoint?params`, the body as bytes (not parsed: the toopher-python bug fixed).
   *
   * @example
   * ```ts
   * const png = await api.advanced.raw.getRaw(`/qr/pairings/${pairing.id}`);
   * ```
   */
  getRaw(endpoint: string, params?: ToopherParameters, options?: CallOptions): Promise<Uint8Array>;
}

/** The Toopher API client. */
export interface ToopherApi {
  /**
   * Pairs `username` with a phone. The second argument picks the kind, as toopher-python does: a
   * phone number when it contains any digit (`/pairings/create/sms`), a pairing phrase when it is
   * non-empty without digits (`/pairings/create`), a QR pairing when absent or empty
   * (`/pairings/create/qr`; show `advanced.pairings.getQrCodeImage`).
   *
   * Errors: `ERR_PROVIDER_*` with Toopher's `providerCode`, `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`,
   * `ERR_UNEXPECTED_RESPONSE`.
   *
   * @example
   * ```ts
   * const pairing = await api.pair('jdoe', 'awkward turtle');
   * const bySms = await api.pair('jdoe', '555-555-5555', { extras: { phone_country: '1' } });
   * ```
   */
  pair(username: string, phraseOrNumber?: string, options?: ExtrasOptions): Promise<ToopherPairing>;
  /**
   * Starts an authentication request for a pairing id (anything that parses as a UUID) or a username.
   *
   * Errors: as {@link ToopherApi.pair}; `providerCode` `'704'`-`'708'`, `'601'` (see `toopherErrorKind`).
   *
   * @example
   * ```ts
   * const request = await api.authenticate('jdoe', { terminalName: 'Chrome on Mac', actionName: 'Log In' });
   * ```
   */
  authenticate(
    pairingIdOrUsername: string,
    options?: AuthenticateOptions,
  ): Promise<ToopherAuthenticationRequest>;
  readonly advanced: {
    readonly pairings: ToopherPairings;
    readonly authenticationRequests: ToopherAuthenticationRequests;
    readonly users: ToopherUsers;
    readonly userTerminals: ToopherUserTerminals;
    readonly raw: ToopherRaw;
  };
}

/**
 * The longest value {@link isPairingId} reads as a pairing id; a longer one is a username. A pairing
 * id is 36 characters, `urn:uuid:{…}` 47.
 */
export const PAIRING_ID_MAX_LENGTH = 256;

/**
 * What Python 2's `long(text, 16)` accepts (toopher-python targets Python 2.6 and 2.7): ASCII
 * whitespace, an optional `+` (a `-` never survives the hyphen removal), whitespace, an optional `0x`,
 * hex digits, an optional `L` suffix, whitespace.
 */
const PYTHON2_HEX_LONG = /^[ \t\n\v\f\r]*\+?[ \t\n\v\f\r]*(?:0[xX])?[0-9a-fA-F]+[lL]?[ \t\n\v\f\r]*$/;

/**
 * Whether toopher-python would send `value` as a `pairing_id` rather than a `user_name`: whether
 * Python 2.7's `uuid.UUID(value)` parses it. That removes every `urn:` and then every `uuid:` (anywhere,
 * case-sensitive), strips braces from both ends (unbalanced too), removes every hyphen, needs 32
 * characters left and reads them with `long(text, 16)`. So `{` + a UUID, `urn:` + a UUID and
 * `-1c2e…3a4c-` are pairing ids, as they are for toopher-python; `URN:UUID:…` is a username. A
 * value longer than {@link PAIRING_ID_MAX_LENGTH} is a username without being read (Python would
 * strip any number of `urn:` from it). Linear in the length of the value.
 *
 * @example
 * ```ts
 * isPairingId('1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c'); // true
 * isPairingId('urn:uuid:{1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c}'); // true
 * isPairingId('jdoe@example.com'); // false
 * ```
 */
export function isPairingId(value: string): boolean {
  // toopher-python's bare `except:` also sends anything uuid.UUID cannot take (a number) as user_name.
  if (typeof value !== 'string' || value.length > PAIRING_ID_MAX_LENGTH) return false;
  const hex = stripBraces(value.replaceAll('urn:', '').replaceAll('uuid:', '')).replaceAll('-', '');
  return hex.length === 32 && PYTHON2_HEX_LONG.test(hex);
}

/** Python's `strip('{}')`, by index: `/[{}]+$/` rescans a run of braces from each of its positions. */
function stripBraces(text: string): string {
  const isBrace = (i: number) => text[i] === '{' || text[i] === '}';
  let start = 0;
  let end = text.length;
  while (start < end && isBrace(start)) start++;
  while (end > start && isBrace(end - 1)) end--;
  return text.slice(start, end);
}

/** The parameters as sent: booleans as Python writes them; `ERR_INVALID_ARGUMENT` for what cannot be. */
function wireParameters(params: ToopherParameters): Record<string, string | undefined> {
  checkFormPairs(
    Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? value : '']),
  );
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(params)) {
    out[name] =
      typeof value === 'boolean'
        ? value
          ? 'True'
          : 'False'
        : value === undefined
          ? undefined
          : String(value);
  }
  return out;
}

/**
 * One id as a path segment. `encodeURIComponent` leaves `.` alone, and URL resolution turns
 * `users/..` into the parent path, so `.` and `..` would send a signed call to another endpoint; a
 * lone surrogate would throw a raw `URIError`. Both are `ERR_INVALID_ARGUMENT`.
 */
function pathSegment(id: string, what: string): string {
  return encodePathSegment(id, { provider: 'toopher', name: `${what} id` });
}

/**
 * Creates the Toopher API client. GETs are retried per the HTTP options; POSTs never are, since a
 * repeated POST could create a second pairing or authentication request.
 *
 * Errors: `ERR_CONFIG` when the key, secret, base URL or timeout is missing or invalid.
 *
 * @example
 * ```ts
 * const api = createToopherApi({ consumerKey: process.env.TOOPHER_KEY!, consumerSecret: process.env.TOOPHER_SECRET! });
 * const request = await api.authenticate(pairing.id, { terminalName: 'my computer' });
 * ```
 */
export function createToopherApi(options: ToopherApiOptions): ToopherApi {
  assertCredentials(options);
  const signer = createOAuth1Signer(options);
  const http: HttpClient = createHttpClient({
    ...options,
    provider: 'toopher',
    defaultBaseUrl: DEFAULT_TOOPHER_BASE_URL,
    userAgent: `@authbridge/toopher/${VERSION}`,
    secretValues: [options.consumerSecret],
    secretFields: ['otp', 'security_answer', 'reset_authorization'],
    parseError: parseToopherError,
    sign: ({ method, url, body }) => ({ authorization: signer.authorizationHeader(method, url, body) }),
  });

  const get = <S extends v.GenericSchema>(
    path: string,
    schema: S,
    o: CallOptions = {},
    params: ToopherParameters = {},
  ) => http.request({ method: 'GET', path, schema, searchParams: wireParameters(params), signal: o.signal });
  const post = <S extends v.GenericSchema>(
    path: string,
    schema: S,
    params: ToopherParameters,
    o: CallOptions = {},
  ) =>
    http.request({
      method: 'POST',
      path,
      schema,
      form: wireParameters(params),
      signal: o.signal,
      retry: false,
    });

  const users: ToopherUsers = {
    create: async (username, o = {}) => post('users/create', UserSchema, { name: username, ...o.extras }, o),
    getById: async (id, o) => get(`users/${pathSegment(id, 'user')}`, UserSchema, o),
    async getByName(username, o) {
      const found = await get('users', UserListSchema, o, { name: username });
      if (found.length === 1 && found[0]) return found[0];
      // Both Python errors (none, several) are answers the caller must handle; neither is a transport failure.
      throw new UnexpectedResponseError(
        found.length === 0 ? `No users with name = ${username}` : `Multiple users with name = ${username}`,
        { provider: 'toopher', status: 200 },
      );
    },
    enableToopherAuthentication: async (id, o) =>
      post(`users/${pathSegment(id, 'user')}`, UserSchema, { toopher_authentication_enabled: true }, o),
    disableToopherAuthentication: async (id, o) =>
      post(`users/${pathSegment(id, 'user')}`, UserSchema, { toopher_authentication_enabled: false }, o),
    async reset(username, o = {}) {
      await post('users/reset', AnyJsonSchema, { user_name: username, ...o.extras }, o);
    },
  };

  return {
    async pair(username, phraseOrNumber, o = {}) {
      const extras = o.extras ?? {};
      if (phraseOrNumber && /\d/.test(phraseOrNumber)) {
        return post(
          'pairings/create/sms',
          PairingSchema,
          { user_name: username, phone_number: phraseOrNumber, ...extras },
          o,
        );
      }
      if (phraseOrNumber) {
        return post(
          'pairings/create',
          PairingSchema,
          { user_name: username, pairing_phrase: phraseOrNumber, ...extras },
          o,
        );
      }
      return post('pairings/create/qr', PairingSchema, { user_name: username, ...extras }, o);
    },
    async authenticate(idOrUsername, o = {}) {
      const params: ToopherParameters = isPairingId(idOrUsername)
        ? { pairing_id: idOrUsername }
        : { user_name: idOrUsername };
      // Only truthy values are sent, as in toopher-python, so '' means "not given".
      if (o.terminalName) params.terminal_name = o.terminalName;
      if (o.requesterSpecifiedId) params.requester_specified_terminal_id = o.requesterSpecifiedId;
      if (o.actionName) params.action_name = o.actionName;
      return post(
        'authentication_requests/initiate',
        AuthenticationRequestSchema,
        { ...params, ...o.extras },
        o,
      );
    },
    advanced: {
      pairings: {
        getById: async (id, o) => get(`pairings/${pathSegment(id, 'pairing')}`, PairingSchema, o),
        getQrCodeImage: async (id, o = {}) =>
          http.request({
            method: 'GET',
            path: `qr/pairings/${pathSegment(id, 'pairing')}`,
            responseType: 'bytes',
            signal: o.signal,
          }),
        async getResetLink(id, o = {}) {
          const answer = await post(
            `pairings/${pathSegment(id, 'pairing')}/generate_reset_link`,
            ResetLinkSchema,
            { security_question: o.securityQuestion, security_answer: o.securityAnswer, ...o.extras },
            o,
          );
          return answer.url;
        },
        async emailResetLink(id, email, o = {}) {
          await post(
            `pairings/${pathSegment(id, 'pairing')}/send_reset_link`,
            AnyJsonSchema,
            { reset_email: email, ...o.extras },
            o,
          );
        },
      },
      authenticationRequests: {
        getById: async (id, o) =>
          get(
            `authentication_requests/${pathSegment(id, 'authentication request')}`,
            AuthenticationRequestSchema,
            o,
          ),
        grantWithOtp: async (id, otp, o = {}) =>
          post(
            `authentication_requests/${pathSegment(id, 'authentication request')}/otp_auth`,
            AuthenticationRequestSchema,
            { otp, ...o.extras },
            o,
          ),
      },
      users,
      userTerminals: {
        create: async (username, terminalName, requesterSpecifiedId, o = {}) =>
          post(
            'user_terminals/create',
            UserTerminalSchema,
            { user_name: username, name: terminalName, name_extra: requesterSpecifiedId, ...o.extras },
            o,
          ),
        getById: async (id, o) =>
          get(`user_terminals/${pathSegment(id, 'user terminal')}`, UserTerminalSchema, o),
      },
      raw: {
        get: async (endpoint, params = {}, o) => get(endpoint, AnyJsonSchema, o, params),
        post: async (endpoint, params = {}, o) => post(endpoint, AnyJsonSchema, params, o),
        getRaw: async (endpoint, params = {}, o = {}) =>
          http.request({
            method: 'GET',
            path: endpoint,
            searchParams: wireParameters(params),
            responseType: 'bytes',
            signal: o.signal,
          }),
      },
    },
  };
}
