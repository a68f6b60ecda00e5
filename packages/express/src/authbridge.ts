/**
 * `authbridge(...)`: the login routes and the session guard as Express middleware.
 */
import { type AnyAuthProvider, RequestError, SessionError } from '@authbridge/core';
import type { Session } from '@authbridge/session';
import { type AuthHandler, type AuthHandlerOptions, createAuthHandler } from '@authbridge/web';
import type {
  ErrorRequestHandler,
  Request as ExpressRequest,
  NextFunction,
  RequestHandler,
  Response,
} from 'express';
import { sendWebResponse, toWebRequest } from './node-fetch.js';

/** What {@link authbridge} returns. */
export interface ExpressAuthbridge<Data> {
  readonly handler: AuthHandler<Data>;
  /**
   * Mount with `app.use(routes)` (after any body parser): answers the login routes under `basePath`,
   * passes anything else on.
   * A body parser's error on these routes (bad JSON, too large) is answered as the routes' own JSON error.
   */
  readonly routes: [RequestHandler, ErrorRequestHandler];
  /** The guard: puts the session in `res.locals.session` (read it typed with `sessionOf(res)`), or answers 401. */
  readonly requireSession: RequestHandler;
  /** The session the guard put on `res`. Throws `ERR_SESSION_MISSING` on a route without the guard. */
  sessionOf(res: Response): Session<Data>;
}

/**
 * The login routes of `@authbridge/web` (providers, challenge, verify, me, refresh, logout) and a
 * session guard, for Express 4 and 5. The rate-limit hook gets `req.ip` as the client address (set
 * `trust proxy` behind a proxy).
 *
 * Errors: those of `createAuthHandler` at construction (`ERR_CONFIG`); the routes answer errors as
 * JSON `{ code, message }` (see `@authbridge/web`); a failure to send is passed to `next`.
 *
 * @example
 * ```ts
 * const login = authbridge({ auth, sessions });
 * app.use(login.routes);
 * app.get('/profile', login.requireSession, (req, res) => res.json({ subject: login.sessionOf(res).subject }));
 * ```
 */
export function authbridge<const P extends AnyAuthProvider, Data = undefined>(
  options: AuthHandlerOptions<P, Data>,
): ExpressAuthbridge<Data> {
  const handler = createAuthHandler<P, Data>(options);
  const underBase = (path: string) => path === handler.basePath || path.startsWith(`${handler.basePath}/`);
  const serve: RequestHandler = (req: ExpressRequest, res: Response, next: NextFunction) => {
    if (!underBase(req.path)) {
      next();
      return;
    }
    let request: Request;
    try {
      request = toWebRequest(req, res, options.maxJsonDepth);
    } catch (error) {
      sendWebResponse(res, handler.errorResponse(error)).catch(next);
      return;
    }
    handler
      .handle(request, req.ip !== undefined ? { clientAddress: req.ip } : {})
      .then((response) => sendWebResponse(res, response))
      .catch(next);
  };
  // Body-parser errors (express.json() in front) on the login routes: answered as JSON, never as
  // Express's default HTML page with a stack trace. Other errors go on to the app's own handler.
  const parserErrors: ErrorRequestHandler = (
    error: unknown,
    req: ExpressRequest,
    res: Response,
    next: NextFunction,
  ) => {
    const mapped = bodyParserError(error);
    if (!underBase(req.path) || res.headersSent || mapped === undefined) {
      next(error);
      return;
    }
    const request = new Request(new URL(req.originalUrl, 'http://express.invalid'), { method: req.method });
    sendWebResponse(res, handler.errorResponse(mapped, request)).catch(next);
  };
  // A pair, not a Router: Express passes errors only to four-argument handlers, which a Router is not.
  const routes: [RequestHandler, ErrorRequestHandler] = [serve, parserErrors];
  const requireSession: RequestHandler = (req: ExpressRequest, res: Response, next: NextFunction) => {
    const cookie = req.headers.cookie;
    const request = new Request('http://express.invalid/', { headers: cookie ? { cookie } : {} });
    handler.getSession(request).then(
      (session) => {
        res.locals.session = session;
        next();
      },
      (error: unknown) => sendWebResponse(res, handler.errorResponse(error, request)).catch(next),
    );
  };
  return {
    handler,
    routes,
    requireSession,
    sessionOf(res) {
      const session = res.locals.session as Session<Data> | undefined;
      if (!session) {
        throw new SessionError(
          'ERR_SESSION_MISSING',
          'sessionOf(res) was called on a route without requireSession.',
          {
            provider: 'express',
          },
        );
      }
      return session;
    },
  };
}

/** body-parser's errors (by their `type`) as the routes' own request errors; `undefined` for any other error. */
function bodyParserError(error: unknown): RequestError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large')
    return new RequestError('ERR_PAYLOAD_TOO_LARGE', 'The request body is too large.');
  if (
    typeof type === 'string' &&
    /^(entity\.parse\.failed|encoding\.unsupported|charset\.unsupported|request\.aborted|stream\.encoding\.set)$/.test(
      type,
    )
  ) {
    return new RequestError('ERR_REQUEST_MALFORMED', 'The request body could not be read as JSON.');
  }
  return undefined;
}
