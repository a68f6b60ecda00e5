/**
 * `authbridge(...)`: the login routes and the session guard as Hono middleware.
 */
import type { AnyAuthProvider } from '@authbridge/core';
import type { Session } from '@authbridge/session';
import { type AuthHandler, type AuthHandlerOptions, createAuthHandler } from '@authbridge/web';
import type { Context, MiddlewareHandler } from 'hono';

/** The Hono `Env` of routes behind the guard: `c.var.session` is the typed session. */
export interface AuthbridgeEnv<Data = undefined> {
  Variables: { session: Session<Data> };
}

/** Options of {@link authbridge}: those of `createAuthHandler`, plus how to find the client address. */
export interface HonoAuthbridgeOptions<P extends AnyAuthProvider, Data> extends AuthHandlerOptions<P, Data> {
  /**
   * The client's address for the rate-limit hook, such as `getConnInfo(c).remote.address` of your
   * runtime's adapter (`@hono/node-server/conninfo`), or a header your proxy sets.
   */
  clientAddressOf?: (c: Context) => string | undefined;
}

/** What {@link authbridge} returns. */
export interface HonoAuthbridge<Data> {
  readonly handler: AuthHandler<Data>;
  /** Mount with `app.use('<basePath>/*', routes)`: answers the login routes, passes anything else on. */
  readonly routes: MiddlewareHandler;
  /** The guard: puts the session in `c.var.session`, or answers 401 with the session error. */
  readonly requireSession: MiddlewareHandler<AuthbridgeEnv<Data>>;
}

/**
 * The login routes of `@authbridge/web` (providers, challenge, verify, me, refresh, logout) and a
 * session guard, for Hono on any runtime.
 *
 * Errors: those of `createAuthHandler` at construction (`ERR_CONFIG`); the routes answer errors as
 * JSON `{ code, message }` (see `@authbridge/web`).
 *
 * @example
 * ```ts
 * const login = authbridge({ auth, sessions });
 * const app = new Hono<AuthbridgeEnv>();
 * app.use('/auth/*', login.routes);
 * app.get('/profile', login.requireSession, (c) => c.json({ subject: c.var.session.subject }));
 * ```
 */
export function authbridge<const P extends AnyAuthProvider, Data = undefined>(
  options: HonoAuthbridgeOptions<P, Data>,
): HonoAuthbridge<Data> {
  const { clientAddressOf, ...handlerOptions } = options;
  const handler = createAuthHandler<P, Data>(handlerOptions);
  const routes: MiddlewareHandler = async (c, next) => {
    if (!handler.matches(c.req.raw)) return next();
    const clientAddress = clientAddressOf?.(c);
    return handler.handle(c.req.raw, clientAddress !== undefined ? { clientAddress } : {});
  };
  const requireSession: MiddlewareHandler<AuthbridgeEnv<Data>> = async (c, next) => {
    let session: Session<Data>;
    try {
      session = await handler.getSession(c.req.raw);
    } catch (error) {
      return handler.errorResponse(error, c.req.raw);
    }
    c.set('session', session);
    await next();
  };
  return { handler, routes, requireSession };
}
