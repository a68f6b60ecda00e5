/**
 * Next.js App Router route handlers: Next hands a route handler a Web `Request` and takes a `Response`,
 * so the handler core serves it as it is.
 */
import type { AuthHandler } from './handler.js';

/** Options of {@link nextRouteHandlers}. */
export interface NextRouteHandlerOptions {
  /**
   * The client's address for the rate-limit hook. Next passes none to route handlers; behind a proxy
   * you trust (Vercel, your load balancer), read it from the header that proxy sets.
   */
  clientAddressOf?: (request: Request) => string | undefined;
}

/** The exports of a catch-all route file. */
export interface NextRouteHandlers {
  /** Serves the GET routes (`providers`, `me`). */
  GET(request: Request): Promise<Response>;
  /** Serves the POST routes (`challenge`, `verify`, `refresh`, `logout`). */
  POST(request: Request): Promise<Response>;
}

/**
 * `GET` and `POST` for `app/<basePath>/[...authbridge]/route.ts` (with `basePath: '/api/auth'`, the file
 * is `app/api/auth/[...authbridge]/route.ts`).
 *
 * @example
 * ```ts
 * // app/api/auth/[...authbridge]/route.ts
 * import { nextRouteHandlers } from '@authbridge/web';
 * import { handler } from '@/lib/auth';
 * export const { GET, POST } = nextRouteHandlers(handler);
 * ```
 */
export function nextRouteHandlers(
  handler: AuthHandler<unknown>,
  options: NextRouteHandlerOptions = {},
): NextRouteHandlers {
  const run = (request: Request) => {
    const clientAddress = options.clientAddressOf?.(request);
    return handler.handle(request, clientAddress !== undefined ? { clientAddress } : {});
  };
  return { GET: run, POST: run };
}
