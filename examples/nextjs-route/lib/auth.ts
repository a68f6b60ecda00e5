// The login of the app, built once per server instance (Next.js keeps module scope): providers, sessions,
// and the fetch handler the route handlers share. Configured from the environment.
import { createAuth, createMemoryStore } from '@authbridge/core';
import { magic } from '@authbridge/magic';
import { pi } from '@authbridge/pi';
import { createSessions } from '@authbridge/session';
import { createAuthHandler, createRateLimiter } from '@authbridge/web';

const env = process.env;
const origin = env.PUBLIC_ORIGIN ?? 'http://127.0.0.1:3000';

export const handler = createAuthHandler({
  basePath: '/api/auth',
  auth: createAuth({
    providers: [
      pi({ apiKey: env.PI_API_KEY ?? '', ...(env.PI_BASE_URL ? { baseUrl: env.PI_BASE_URL } : {}) }),
      magic({
        secretKey: env.MAGIC_SECRET_KEY ?? '',
        replayStore: createMemoryStore(),
        ...(env.MAGIC_BASE_URL ? { baseUrl: env.MAGIC_BASE_URL } : {}),
      }),
    ],
  }),
  sessions: createSessions({
    issuer: origin,
    audience: `${origin}:session`,
    keys: [{ kid: 'next-example', alg: 'HS256', secret: env.SESSION_SECRET ?? '' }],
    revocations: createMemoryStore(),
    // Secure (and __Host-) everywhere but plain http in development.
    cookie: { secure: env.NODE_ENV === 'production' || origin.startsWith('https:') },
  }),
  rateLimit: createRateLimiter({ limit: 20, windowMs: 60_000 }),
});
