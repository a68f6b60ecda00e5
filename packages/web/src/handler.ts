/**
 * `createAuthHandler`: the login routes and the session guard over Web `Request`/`Response`, shared by
 * `@authbridge/hono`, `@authbridge/express`, Next.js route handlers and any fetch runtime.
 */
import {
  type AnyAuthProvider,
  type Auth,
  type AuthResultOf,
  bytesToBase64Url,
  ConfigurationError,
  createChallengeStore,
  InvalidCredentialError,
  isAuthBridgeError,
  type KeyValueStore,
  RequestError,
  sha256Hex,
} from '@authbridge/core';
import type { Session, Sessions } from '@authbridge/session';
import { readJsonBody } from './body.js';
import { type ErrorBody, errorResponseOf } from './error-response.js';
import type { RateLimitedRoute, RateLimitHook } from './rate-limit.js';

type ProviderById<P extends AnyAuthProvider, Id extends string> = Extract<P, { id: Id }>;
type InputOf<P> = P extends { createChallenge(input: infer I, ...rest: never[]): unknown } ? I : never;
/** The ids of the providers in `P` that have a challenge step. */
export type ChallengeIdsOf<P extends AnyAuthProvider> = P extends { createChallenge: unknown }
  ? P['id']
  : never;

/** What a challenge input builder knows: the untrusted body, and what the server itself knows. */
export interface ChallengeContext<Data> {
  /** The request body, untrusted: take only the fields you allow from it. */
  body: Record<string, unknown>;
  /** The app's public origin (`origin` option), never a request header: what a SIWE message binds. */
  origin: string;
  /**
   * An opaque, stable id of this browser: the SHA-256 of a random value in an HttpOnly cookie. A
   * Toopher terminal id, for instance: only this browser can present it.
   */
  browserId: string;
  /** The signed-in session, when there is one (a second factor takes its user from it). */
  session: Session<Data> | undefined;
  request: Request;
}

/** Per provider with a challenge step: how its `createChallenge` input is built on the server. */
export type ChallengeInputBuilders<P extends AnyAuthProvider, Data> = {
  [Id in ChallengeIdsOf<P>]?: (
    context: ChallengeContext<Data>,
  ) => InputOf<ProviderById<P, Id>> | Promise<InputOf<ProviderById<P, Id>>>;
};

/** Options of {@link createAuthHandler}. */
export interface AuthHandlerOptions<P extends AnyAuthProvider, Data> {
  auth: Auth<P>;
  sessions: Sessions<Data>;
  /** Where the routes live. Default `/auth`. */
  basePath?: string;
  /**
   * The origin users open the app at (`https://app.example`): configuration, never a request header.
   * Required with `challenges`; a function when it is known only once the server listens.
   */
  origin?: string | (() => string);
  /**
   * How each challenge provider's input is built. A provider without an entry is offered without its
   * challenge step (its challenge route answers 404), since the body is never passed through as it is.
   */
  challenges?: ChallengeInputBuilders<P, Data>;
  /**
   * Maps a verified identity to the app's own user record; what it returns is the session's `data`.
   * Throw an `AuthBridgeError` (or anything) to refuse the login. Required when `Data` is not `undefined`.
   */
  onLogin?: (result: AuthResultOf<P>, context: { request: Request }) => Data | Promise<Data>;
  /** Called before a challenge, a verify and a refresh; a `{ limited: true }` answers 429. */
  rateLimit?: RateLimitHook;
  /** Where the handler keeps which challenge this browser started. Default: memory (one instance). */
  challengeStore?: KeyValueStore;
  /** Request body cap in bytes. Default 16 384. */
  maxBodyBytes?: number;
  /** Request body nesting cap. Default 8. */
  maxJsonDepth?: number;
  /** Overrides of the messages error responses show (by code). */
  messages?: Partial<Record<ErrorBody['code'], string>>;
  /** Every error a route answered with, with its status: for logs (the response itself carries no detail). */
  onError?: (error: unknown, context: { request: Request; status: number }) => void;
}

/** A session as the routes answer it: no id, dates as ISO strings. */
export interface SessionBody<Data> {
  provider: string;
  subject: string;
  username?: string;
  email?: string;
  wallet?: { chain: string; address: string };
  data: Data;
  expiresAt: string;
}

/** Extra facts an adapter knows about a request. */
export interface HandleContext {
  clientAddress?: string;
}

/** What {@link createAuthHandler} returns. */
export interface AuthHandler<Data> {
  readonly basePath: string;
  /** Answers a request to one of the routes; 404 for a path under `basePath` that is none of them. */
  handle(request: Request, context?: HandleContext): Promise<Response>;
  /** Whether the request's path is under `basePath`. */
  matches(request: Request): boolean;
  /** The session of a request (its cookie): the guard. Throws the `ERR_SESSION_*` errors, `ERR_STORE`. */
  getSession(request: Request): Promise<Session<Data>>;
  /** The JSON error response for anything thrown, as the routes answer it. */
  errorResponse(error: unknown, request?: Request): Response;
}

const PROVIDER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BROWSER_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const CHALLENGE_TTL_MS = 10 * 60_000;
const BROWSER_MAX_AGE = 365 * 24 * 60 * 60;

/**
 * The login routes under `basePath` (default `/auth`), for the providers `auth` registered:
 *
 * | route | does |
 * | --- | --- |
 * | `GET  /providers` | the ids offered, and which have a challenge step and a logout |
 * | `POST /:provider/challenge` | builds the input on the server (`challenges`), starts the challenge, remembers it for this browser |
 * | `POST /:provider/verify` | `{ credential }`: parsed by the provider's schema, checked against the challenge this browser started, verified, mapped by `onLogin`, answered with a session cookie |
 * | `GET  /me` | the session |
 * | `POST /refresh` | a new session cookie for a live session |
 * | `POST /logout` | revokes the session (with a revocation list), logs out at the provider when it can, clears the cookie |
 *
 * POST routes take `application/json` only (415 otherwise: login CSRF). Errors answer
 * `{ code, message }` with `httpStatusForCode`'s status and a message for a person.
 *
 * Errors at construction: `ERR_CONFIG` for a bad `basePath`, `challenges` without `origin`, or a
 * challenge builder for an id that has no challenge step.
 *
 * @example
 * ```ts
 * const handler = createAuthHandler({ auth: createAuth({ providers: [magic({ secretKey })] }), sessions });
 * export default { fetch: (request: Request) => handler.handle(request) };
 * ```
 */
export function createAuthHandler<const P extends AnyAuthProvider, Data = undefined>(
  options: AuthHandlerOptions<P, Data>,
): AuthHandler<Data> {
  const { auth, sessions, rateLimit, onError, messages } = options;
  const basePath = normaliseBasePath(options.basePath ?? '/auth');
  const builders = (options.challenges ?? {}) as Record<string, (context: ChallengeContext<Data>) => unknown>;
  for (const id of Object.keys(builders)) {
    if (!auth.has(id) || !auth.hasChallenge(id)) {
      throw new ConfigurationError(
        `createAuthHandler: '${id}' in challenges names no provider with a challenge step.`,
      );
    }
  }
  if (Object.keys(builders).length > 0 && options.origin === undefined) {
    throw new ConfigurationError('createAuthHandler: challenges need the app origin (`origin`).');
  }
  const origin = () => {
    const value = typeof options.origin === 'function' ? options.origin() : options.origin;
    if (!value) throw new ConfigurationError('createAuthHandler: no origin is configured.');
    return value;
  };
  const builderOf = (id: string) => (Object.hasOwn(builders, id) ? builders[id] : undefined);
  const bindings = createChallengeStore<{ provider: string; challengeId: string }>({
    provider: 'web',
    ttlMs: CHALLENGE_TTL_MS,
    ...(options.challengeStore ? { store: options.challengeStore } : {}),
  });
  const secure = sessions.cookie.attributes.secure;
  const cookieName = (name: string) => (secure ? `__Host-${name}` : name);
  const CHALLENGE_COOKIE = cookieName('authbridge-challenge');
  const BROWSER_COOKIE = cookieName('authbridge-browser');
  const cookieAttributes = `Path=/; HttpOnly; SameSite=${sessions.cookie.attributes.sameSite === 'lax' ? 'Lax' : 'Strict'}${secure ? '; Secure' : ''}`;
  const setCookie = (name: string, value: string, maxAge: number) =>
    `${name}=${value}; Max-Age=${maxAge}; ${cookieAttributes}`;
  const clearCookie = (name: string) =>
    `${name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; ${cookieAttributes}`;
  const bodyOptions = { maxBytes: options.maxBodyBytes, maxDepth: options.maxJsonDepth };

  const json = (body: unknown, status = 200, cookies: string[] = []) => {
    const headers = new Headers({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    for (const cookie of cookies) headers.append('set-cookie', cookie);
    return new Response(JSON.stringify(body), { status, headers });
  };

  const errorResponse = (error: unknown, request?: Request, cookies: string[] = []) => {
    const { status, body, headers } = errorResponseOf(error, messages);
    if (onError && request) onError(error, { request, status });
    const response = json(body, status, cookies);
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };

  const getSession = (request: Request) =>
    sessions.read(sessions.cookie.parse(request.headers.get('cookie')));

  async function limit(route: RateLimitedRoute, provider: string, request: Request, context: HandleContext) {
    if (!rateLimit) return;
    const verdict = await rateLimit({ route, provider, clientAddress: context.clientAddress, request });
    if (verdict?.limited) {
      throw new RequestError('ERR_RATE_LIMITED', `Too many ${route} requests.`, {
        ...(verdict.retryAfterSeconds !== undefined ? { retryAfter: verdict.retryAfterSeconds } : {}),
      });
    }
  }

  function providerOf(segment: string): P['id'] {
    if (!PROVIDER_ID.test(segment) || !auth.has(segment)) {
      throw new RequestError(
        'ERR_UNKNOWN_PROVIDER',
        `No provider '${segment.slice(0, 64)}' is offered here.`,
      );
    }
    return segment;
  }

  async function browserIdOf(request: Request): Promise<{ browserId: string; cookie: string }> {
    const cookies = request.headers.get('cookie') ?? '';
    let token = readCookie(cookies, BROWSER_COOKIE);
    if (!token || !BROWSER_TOKEN.test(token))
      token = bytesToBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    return { browserId: await sha256Hex(token), cookie: setCookie(BROWSER_COOKIE, token, BROWSER_MAX_AGE) };
  }

  async function challenge(id: P['id'], request: Request, context: HandleContext): Promise<Response> {
    const build = builderOf(id);
    if (!build || !auth.hasChallenge(id)) {
      throw new RequestError('ERR_UNKNOWN_PROVIDER', `The provider '${id}' signs in without a challenge.`);
    }
    await limit('challenge', id, request, context);
    const body = await readJsonBody(request, bodyOptions);
    const { browserId, cookie: browserCookie } = await browserIdOf(request);
    const session = await getSession(request).catch(() => undefined);
    const input = await build({ body, origin: origin(), browserId, session, request });
    const started = await auth.createChallenge(id, input as never, { signal: request.signal });
    const binding = await bindings.issue({ provider: id, challengeId: started.id });
    return json(
      {
        challenge: {
          provider: started.provider,
          id: started.id,
          ...(started.message !== undefined ? { message: started.message } : {}),
          ...(started.expiresAt ? { expiresAt: started.expiresAt.toISOString() } : {}),
        },
      },
      200,
      [browserCookie, setCookie(CHALLENGE_COOKIE, binding.id, Math.floor(CHALLENGE_TTL_MS / 1000))],
    );
  }

  async function verify(id: P['id'], request: Request, context: HandleContext): Promise<Response> {
    await limit('verify', id, request, context);
    const body = await readJsonBody(request, bodyOptions);
    if (body.credential === undefined || body.credential === null) {
      throw new RequestError('ERR_REQUEST_MALFORMED', 'Send the credential as JSON: {"credential": ...}.');
    }
    const credential = auth.parseCredential(id, body.credential);
    const cookies: string[] = [];
    if (auth.hasChallenge(id)) {
      // The challenge must be one this browser started: a challenge id seen elsewhere (a Toopher request
      // id on a shared screen) cannot be finished by someone else.
      cookies.push(clearCookie(CHALLENGE_COOKIE));
      const bindingId = readCookie(request.headers.get('cookie') ?? '', CHALLENGE_COOKIE);
      const started = bindingId ? await bindings.consume(bindingId).catch(rethrowUnlessChallenge) : undefined;
      const challengeId = (credential as { challengeId?: unknown } | null)?.challengeId;
      if (!started || started.provider !== id || started.challengeId !== challengeId) {
        throw new InvalidCredentialError(
          'ERR_CREDENTIAL_CHALLENGE',
          'The credential answers no challenge this browser started.',
          { provider: id },
        );
      }
    }
    const result = (await auth.verify(id, credential, { signal: request.signal })) as AuthResultOf<P>;
    const data = options.onLogin ? await options.onLogin(result, { request }) : (undefined as Data);
    const issued = await sessions.issue(result, data);
    cookies.push(sessions.cookie.serialize(issued.token, issued.maxAgeSeconds));
    return json({ session: bodyOf(issued.session) }, 200, cookies);
  }

  async function logout(request: Request): Promise<Response> {
    await readJsonBody(request, bodyOptions);
    const cleared = [sessions.cookie.clear()];
    let session: Session<Data>;
    try {
      session = await getSession(request);
    } catch (error) {
      if (isAuthBridgeError(error) && error.code.startsWith('ERR_SESSION_')) {
        return json({ signedOut: false }, 200, cleared);
      }
      throw error;
    }
    // The local session ends whatever the provider says: a user who asked to leave must not stay signed in.
    if (sessions.revocable) await sessions.revoke(session);
    let providerSignedOut = false;
    if (auth.has(session.provider) && auth.hasLogout(session.provider)) {
      try {
        await auth.logout(session.provider, session.subject, { signal: request.signal });
        providerSignedOut = true;
      } catch (error) {
        onError?.(error, { request, status: 200 });
      }
    }
    return json({ signedOut: true, providerSignedOut }, 200, cleared);
  }

  async function refresh(request: Request, context: HandleContext): Promise<Response> {
    await readJsonBody(request, bodyOptions);
    const token = sessions.cookie.parse(request.headers.get('cookie'));
    const current = await sessions.read(token);
    await limit('refresh', current.provider, request, context);
    const issued = await sessions.refresh(token);
    return json({ session: bodyOf(issued.session) }, 200, [
      sessions.cookie.serialize(issued.token, issued.maxAgeSeconds),
    ]);
  }

  async function route(request: Request, context: HandleContext): Promise<Response> {
    const path = new URL(request.url).pathname;
    const rest = path.slice(basePath.length).replace(/^\//, '');
    const segments = rest === '' ? [] : rest.split('/');
    const method = request.method;
    const only = (allowed: string, run: () => Promise<Response>) =>
      method === allowed
        ? run()
        : Promise.resolve(new Response(null, { status: 405, headers: { allow: allowed } }));
    if (segments.length === 1) {
      switch (segments[0]) {
        case 'providers':
          return only('GET', async () =>
            json({
              providers: auth.ids.map((id) => ({
                id,
                challenge: auth.hasChallenge(id) && builderOf(id) !== undefined,
                logout: auth.hasLogout(id),
              })),
            }),
          );
        case 'me':
          return only('GET', async () => json({ session: bodyOf(await getSession(request)) }));
        case 'logout':
          return only('POST', () => logout(request));
        case 'refresh':
          return only('POST', () => refresh(request, context));
      }
    }
    if (segments.length === 2 && (segments[1] === 'challenge' || segments[1] === 'verify')) {
      const step = segments[1];
      return only('POST', async () => {
        const id = providerOf(decodeSegment(segments[0] as string));
        return step === 'challenge' ? challenge(id, request, context) : verify(id, request, context);
      });
    }
    return json({ code: 'ERR_UNKNOWN_PROVIDER', message: 'No such route.' }, 404);
  }

  return {
    basePath,
    matches: (request) => {
      const path = new URL(request.url).pathname;
      return path === basePath || path.startsWith(`${basePath}/`);
    },
    async handle(request, context = {}) {
      try {
        return await route(request, context);
      } catch (error) {
        const cookies = isAuthBridgeError(error, 'ERR_CREDENTIAL_CHALLENGE')
          ? [clearCookie(CHALLENGE_COOKIE)]
          : [];
        return errorResponse(error, request, cookies);
      }
    },
    getSession,
    errorResponse: (error, request) => errorResponse(error, request),
  };
}

function bodyOf<Data>(session: Session<Data>): SessionBody<Data> {
  return {
    provider: session.provider,
    subject: session.subject,
    ...(session.username !== undefined ? { username: session.username } : {}),
    ...(session.email !== undefined ? { email: session.email } : {}),
    ...(session.wallet !== undefined ? { wallet: session.wallet } : {}),
    data: session.data,
    expiresAt: session.expiresAt.toISOString(),
  };
}

/** A challenge id that names no binding is a refused login, not a failure; anything else is passed on. */
function rethrowUnlessChallenge(error: unknown): undefined {
  if (
    isAuthBridgeError(error, 'ERR_CREDENTIAL_CHALLENGE') ||
    isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED')
  )
    return undefined;
  throw error;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function normaliseBasePath(path: string): string {
  if (typeof path !== 'string' || !/^(\/[A-Za-z0-9._~-]+)*\/?$/.test(path) || path.length > 256) {
    throw new ConfigurationError(
      `createAuthHandler: basePath '${String(path).slice(0, 64)}' is not a URL path.`,
    );
  }
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The value of cookie `name` in a `Cookie` header, or `undefined`. */
export function readCookie(header: string, name: string): string | undefined {
  if (header.length > 16_384) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
