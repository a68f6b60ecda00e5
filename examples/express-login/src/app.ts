import { join } from 'node:path';
import type { AnyAuthProvider, Auth, AuthResult } from '@authbridge/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError, stringsIn, toErrorResponse } from './http-errors.js';
import {
  BROWSER_COOKIE,
  CHALLENGE_COOKIE,
  SESSION_COOKIE,
  type Sessions,
  type SessionUser,
} from './session.js';

/** What the server itself knows when it starts a challenge, beside the request body. */
export interface ChallengeContext {
  /** The origin users open this server at (`https://app.example`): configuration, never a request header. */
  publicOrigin: string;
  /**
   * An opaque, stable id of the browser: the SHA-256 of a random value in its httpOnly cookie. Only this
   * browser can present it, and the provider never sees the cookie itself.
   */
  browserId: string;
}

/**
 * Builds a provider's `createChallenge` input on the server. `body` is untrusted: a builder takes the
 * fields it allows from it and sets everything else itself.
 */
export type ChallengeInputOf = (body: Record<string, unknown>, context: ChallengeContext) => unknown;

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The providers this server offers; which ones is configuration (see `providers.ts`). */
  auth: Auth<AnyAuthProvider>;
  sessions: Sessions;
  /** Configured secrets (API keys, consumer secrets), scrubbed from every error body as a last guard. */
  secrets?: readonly string[];
  /**
   * For providers whose credential names the challenge it answers (Toopher's `challengeId`):
   * where to find that id. Verify then accepts only a challenge this browser started, so that a request
   * id seen elsewhere cannot be finished by someone else. Providers that bind the challenge to the user
   * themselves (Picket's nonce is signed by the wallet) need no entry.
   */
  challengeIdOf?: Readonly<Record<string, (credential: unknown) => unknown>>;
  /**
   * Per provider with a challenge step: how its input is built. A provider without an entry is offered
   * without its challenge step, since the request body is never passed through as it is.
   */
  challengeInputs?: Readonly<Record<string, ChallengeInputOf>>;
  /**
   * The origin users open this server at, for what a provider binds to it (a SIWE message's domain and
   * uri). A function when it is known only once the server listens.
   */
  publicOrigin: string | (() => string);
  /** Extra routes mounted before the login routes, such as the development tools of the demo. */
  extraRoutes?: express.Router;
  /** Where failed requests are reported, one line each. Default `console.error`. */
  log?: (line: string) => void;
}

const publicDir = join(import.meta.dirname, '..', 'public');

/**
 * The login backend. Nothing in it names a provider: `:provider` picks one of `auth.ids`, the challenge
 * input comes from that provider's entry in `challengeInputs`, and the credential is handed to its
 * `verify` as sent.
 */
export function createApp(options: AppOptions): express.Express {
  const { auth, sessions } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const publicOrigin =
    typeof options.publicOrigin === 'function' ? options.publicOrigin : () => options.publicOrigin as string;
  const inputOf = (id: string) =>
    options.challengeInputs && Object.hasOwn(options.challengeInputs, id)
      ? options.challengeInputs[id]
      : undefined;
  const hasChallengeStep = (id: string) => auth.hasChallenge(id) && inputOf(id) !== undefined;
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '32kb' }));
  app.use(express.static(publicDir));
  if (options.extraRoutes) app.use(options.extraRoutes);
  app.use('/auth', requireJsonPosts);

  app.get('/api/providers', (_req, res) => {
    res.json({
      providers: auth.ids.map((id) => ({ id, challenge: hasChallengeStep(id), logout: auth.hasLogout(id) })),
    });
  });

  app.post('/auth/:provider/challenge', async (req, res) => {
    const id = providerParam(auth, req);
    const buildInput = inputOf(id);
    if (!auth.hasChallenge(id) || !buildInput) {
      throw new AppError('ERR_NO_CHALLENGE_STEP', 400, `The provider '${id}' signs in without a challenge.`);
    }
    const body =
      typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    const browserId = await browserIdOf(req, res, sessions);
    const input = buildInput(body, { publicOrigin: publicOrigin(), browserId }) as never;
    const challenge = await auth.createChallenge(id as never, input, { signal: abortOnClose(res) });
    res.cookie(
      CHALLENGE_COOKIE,
      await sessions.issueChallenge({ provider: id, id: challenge.id }),
      sessions.challengeCookie,
    );
    res.json({
      provider: challenge.provider,
      id: challenge.id,
      message: challenge.message,
      expiresAt: challenge.expiresAt?.toISOString(),
    });
  });

  app.post('/auth/:provider/verify', async (req, res) => {
    const id = providerParam(auth, req);
    const credential = (req.body as { credential?: unknown } | undefined)?.credential;
    if (credential === undefined || credential === null || credential === '') {
      throw new AppError('ERR_BAD_REQUEST', 400, 'Send the credential as JSON: {"credential": ...}.');
    }
    res.locals.credential = credential;
    const challengeIdOf = options.challengeIdOf?.[id];
    if (challengeIdOf) {
      const started = await sessions.readChallenge(readCookie(req, CHALLENGE_COOKIE));
      if (started?.provider !== id || started.id !== challengeIdOf(credential)) {
        throw new AppError(
          'ERR_CHALLENGE_MISMATCH',
          401,
          'This sign-in was not started in this browser, or it took too long. Please start again.',
        );
      }
    }
    const result = await auth.verify(id, credential, { signal: abortOnClose(res) });
    const user = sessionUser(result);
    res.cookie(SESSION_COOKIE, await sessions.issue(user), sessions.cookie);
    res.clearCookie(CHALLENGE_COOKIE, withoutMaxAge(sessions.challengeCookie));
    res.json({ user });
  });

  app.get('/me', async (req, res) => {
    res.json({ user: await sessions.read(readCookie(req, SESSION_COOKIE)) });
  });

  app.post('/auth/logout', async (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    // The local session ends whatever the provider says: a user who asked to leave must not stay signed in.
    res.clearCookie(SESSION_COOKIE, withoutMaxAge(sessions.cookie));
    if (!token) {
      res.json({ signedOut: false });
      return;
    }
    const user = await sessions.read(token);
    if (auth.has(user.provider) && auth.hasLogout(user.provider)) {
      await auth.logout(user.provider as never, user.subject, { signal: abortOnClose(res) });
    }
    res.json({ signedOut: true });
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const secrets = [...(options.secrets ?? []), ...stringsIn(res.locals.credential)];
    const { status, body } = toErrorResponse(parseError(error), secrets);
    log(`${req.method} ${req.path} -> ${status} ${body.code}: ${body.message}`);
    res.status(status).json(body);
  });
  return app;
}

/**
 * State-changing routes take JSON only. A cross-site HTML form can send `text/plain` or a form encoding
 * but not `application/json` (that needs a CORS preflight), so this keeps other sites from posting a
 * login of their own choosing (login CSRF), whatever the body parser would make of it.
 */
function requireJsonPosts(req: Request, _res: Response, next: NextFunction): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (req.method === 'POST' && type !== 'application/json') {
    throw new AppError(
      'ERR_UNSUPPORTED_MEDIA_TYPE',
      415,
      'Send the request body as JSON, with content-type: application/json.',
    );
  }
  next();
}

const BROWSER_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * This browser's id for providers that remember devices (Toopher terminals): a random value kept in an
 * httpOnly cookie, drawn on first use, and sent on as its SHA-256 so that the provider (or anyone who
 * reads its records) never holds the cookie itself.
 */
async function browserIdOf(req: Request, res: Response, sessions: Sessions): Promise<string> {
  let token = readCookie(req, BROWSER_COOKIE);
  if (!token || !BROWSER_TOKEN.test(token)) {
    token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  }
  res.cookie(BROWSER_COOKIE, token, sessions.browserCookie);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Buffer.from(digest).toString('hex');
}

/** Cookie attributes for clearing: Express refuses `maxAge` there. */
function withoutMaxAge<T extends { maxAge: number }>(cookie: T): Omit<T, 'maxAge'> {
  const { maxAge: _maxAge, ...rest } = cookie;
  return rest;
}

function providerParam(auth: Auth<AnyAuthProvider>, req: Request): string {
  const id = String(req.params.provider);
  if (!auth.has(id)) {
    throw new AppError(
      'ERR_UNKNOWN_PROVIDER',
      404,
      `No provider '${id}' here. Offered: ${auth.ids.join(', ')}.`,
    );
  }
  return id;
}

/** The profile the session keeps. `claims` stay out: they can be large and hold provider data. */
function sessionUser(result: AuthResult): SessionUser {
  return {
    provider: result.provider,
    subject: result.subject,
    ...(result.username ? { username: result.username } : {}),
    ...(result.email ? { email: result.email } : {}),
    ...(result.wallet ? { wallet: result.wallet } : {}),
  };
}

/** A signal that fires when the client goes away, so a provider call (or a Toopher poll) stops with it. */
function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A mangled cookie is no session at all.
      return undefined;
    }
  }
  return undefined;
}

/** Express's own body-parser errors (bad JSON, too large) become the example's 400. */
function parseError(error: unknown): unknown {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed')
    return new AppError('ERR_BAD_REQUEST', 400, 'The request body is not valid JSON.');
  if (type === 'entity.too.large')
    return new AppError('ERR_BAD_REQUEST', 413, 'The request body is too large.');
  return error;
}
