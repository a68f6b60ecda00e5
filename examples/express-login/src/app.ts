import { join } from 'node:path';
import { type Auth, isAuthBridgeError } from '@authbridge/core';
import { authbridge } from '@authbridge/express';
import type { Sessions } from '@authbridge/session';
import { type ChallengeInputBuilders, errorResponseOf, type RateLimitHook } from '@authbridge/web';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from './http-errors.js';
import { escapeForLog } from './log.js';
import type { DemoProvider } from './providers.js';
import { securityHeaders } from './security-headers.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The providers this server offers; which ones is configuration (see `providers.ts`). */
  auth: Auth<DemoProvider>;
  sessions: Sessions;
  /** Per challenge provider, how its input is built on the server from the allowed body fields. */
  challenges: ChallengeInputBuilders<DemoProvider, undefined>;
  /** Login and challenge limits (see `rateLimits` in `providers.ts`). */
  rateLimit: RateLimitHook;
  /**
   * The origin users open this server at, for what a provider binds to it (a SIWE message's domain and
   * uri) and for the Host allow-list. A function when it is known only once the server listens.
   */
  publicOrigin: string | (() => string);
  /**
   * `Host` header values this server answers (`127.0.0.1:3000`); every other request gets 421. A page of
   * another site whose name was rebound to this machine's address (DNS rebinding) sends its own name,
   * so it reaches nothing here, the development routes least of all. Default: the public origin's host.
   */
  allowedHosts?: () => readonly string[];
  /** Extra routes mounted after the Host check and before the login routes: the demo's development tools. */
  extraRoutes?: express.Router;
  /** Where failed requests are reported, one line each, control characters escaped. Default `console.error`. */
  log?: (line: string) => void;
}

const publicDir = join(import.meta.dirname, '..', 'public');

/**
 * The login backend: `@authbridge/express` mounted under `/auth`, behind security headers and a Host
 * allow-list, with the sign-in page. Nothing in it names a provider.
 */
export function createApp(options: AppOptions): express.Express {
  const log = options.log ?? ((line: string) => console.error(line));
  const publicOrigin =
    typeof options.publicOrigin === 'function' ? options.publicOrigin : () => options.publicOrigin as string;
  const allowedHosts = options.allowedHosts ?? (() => [new URL(publicOrigin()).host]);
  const login = authbridge({
    auth: options.auth,
    sessions: options.sessions,
    origin: publicOrigin,
    challenges: options.challenges,
    rateLimit: options.rateLimit,
    onError: (error, { request, status }) => {
      const code = isAuthBridgeError(error) ? error.code : 'ERR_INTERNAL';
      // The developer's message (with its provider detail) goes to the log; the user got a plain one.
      const detail = isAuthBridgeError(error) ? error.shortMessage : 'unexpected error';
      log(escapeForLog(`${request.method} ${new URL(request.url).pathname} -> ${status} ${code}: ${detail}`));
    },
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use((req, _res, next) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      throw new AppError('ERR_HOST_NOT_ALLOWED', 421, 'This server does not answer for that host name.');
    }
    next();
  });
  app.use(express.static(publicDir));
  // Development routes read small JSON bodies; the login routes read and cap their own.
  if (options.extraRoutes) {
    app.use('/dev', express.json({ limit: '4kb' }));
    app.use(options.extraRoutes);
  }
  app.use(login.routes);
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = errorBodyOf(error);
    log(escapeForLog(`${req.method} ${req.path} -> ${status} ${body.code}: ${body.message}`));
    res.status(status).json(body);
  });
  return app;
}

/**
 * The JSON of anything the demo's own routes threw: the demo's errors, body-parser errors (bad JSON, too
 * large), authbridge errors; anything else is a 500 without detail. Never a stack trace.
 */
function errorBodyOf(error: unknown): { status: number; body: { code: string; message: string } } {
  if (error instanceof AppError)
    return { status: error.status, body: { code: error.code, message: error.message } };
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') {
    return { status: 400, body: { code: 'ERR_BAD_REQUEST', message: 'The request body is not valid JSON.' } };
  }
  if (type === 'entity.too.large') {
    return { status: 413, body: { code: 'ERR_BAD_REQUEST', message: 'The request body is too large.' } };
  }
  const { status, body } = errorResponseOf(error);
  return { status, body };
}
