// A Hono app whose login is @authbridge/hono: the routes never name a provider, so adding one is a line
// in `providers`. Only Web APIs: it runs on Node, Bun, Deno and Workers alike.
import { type AnyAuthProvider, createAuth } from '@authbridge/core';
import { type AuthbridgeEnv, authbridge } from '@authbridge/hono';
import { createSessions } from '@authbridge/session';
import { createRateLimiter } from '@authbridge/web';
import { Hono } from 'hono';

export interface AppOptions {
  providers: readonly AnyAuthProvider[];
  /** At least 32 bytes; every instance behind one load balancer needs the same one. */
  sessionSecret: string;
  /** The origin users open the app at, for the session's issuer. */
  origin: string;
  /** Off only for plain http://127.0.0.1 in development. */
  secureCookies: boolean;
}

export function createApp(options: AppOptions) {
  const login = authbridge({
    auth: createAuth({ providers: options.providers }),
    sessions: createSessions({
      issuer: options.origin,
      audience: `${options.origin}:session`,
      keys: [{ kid: 'hono-example', alg: 'HS256', secret: options.sessionSecret }],
      cookie: { secure: options.secureCookies },
    }),
    rateLimit: createRateLimiter({ limit: 20, windowMs: 60_000 }),
  });
  const app = new Hono<AuthbridgeEnv>();
  app.use('/auth/*', login.routes);
  app.get('/api/profile', login.requireSession, (c) => {
    const { provider, subject, username, email } = c.var.session;
    return c.json({ provider, subject, username, email });
  });
  return app;
}
