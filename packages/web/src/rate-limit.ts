/**
 * The rate-limit hook of the login routes, and a fixed-window limiter in memory for one instance.
 */

/** The routes a rate-limit hook is asked about. */
export type RateLimitedRoute = 'challenge' | 'verify' | 'refresh';

/** What the hook is told about a request. */
export interface RateLimitEvent {
  route: RateLimitedRoute;
  /** The provider id of the route (for `refresh`, the session's). */
  provider: string;
  /** The client's address as the adapter knows it (`req.ip` in Express), when it does. */
  clientAddress: string | undefined;
  request: Request;
}

/** Refuse with `{ limited: true }` (and, when known, the seconds until a retry may succeed). */
export type RateLimitVerdict = { limited: true; retryAfterSeconds?: number } | { limited: false } | undefined;

/** The hook: called before a challenge is started, a credential verified or a session refreshed. */
export type RateLimitHook = (event: RateLimitEvent) => RateLimitVerdict | Promise<RateLimitVerdict>;

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per key in each window. */
  limit: number;
  /** The window, in ms. */
  windowMs: number;
  /**
   * The key a request counts against. Default: route, provider and client address, so a client that
   * pushes Toopher requests or guesses at logins is slowed down per route.
   */
  keyOf?: (event: RateLimitEvent) => string;
  /** Keys kept at most; the oldest window is dropped first. Default 10 000. */
  maxKeys?: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * A fixed-window rate limiter held in this process's memory: right for one instance; apps on several
 * instances count in a shared store (Redis `INCR` with `PEXPIRE`) in their own hook.
 *
 * @example
 * ```ts
 * const handler = createAuthHandler({ auth, sessions, rateLimit: createRateLimiter({ limit: 10, windowMs: 60_000 }) });
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimitHook {
  const { limit, windowMs, maxKeys = 10_000, now = Date.now } = options;
  const keyOf =
    options.keyOf ??
    ((event: RateLimitEvent) => `${event.route}\n${event.provider}\n${event.clientAddress ?? ''}`);
  const windows = new Map<string, { start: number; count: number }>();
  return (event) => {
    const time = now();
    const key = keyOf(event);
    let window = windows.get(key);
    if (!window || time - window.start >= windowMs) {
      windows.delete(key);
      window = { start: time, count: 0 };
      windows.set(key, window);
      if (windows.size > maxKeys) windows.delete(windows.keys().next().value as string);
    }
    window.count += 1;
    if (window.count <= limit) return { limited: false };
    return {
      limited: true,
      retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - time) / 1000)),
    };
  };
}
