// The Node entry, configured from the environment. On Bun, Deno or Workers, export `createApp(...)` instead.
import { createMemoryStore } from '@authbridge/core';
import { magic } from '@authbridge/magic';
import { pi } from '@authbridge/pi';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const app = createApp({
  providers: [
    ...(env.PI_API_KEY
      ? [pi({ apiKey: env.PI_API_KEY, ...(env.PI_BASE_URL ? { baseUrl: env.PI_BASE_URL } : {}) })]
      : []),
    ...(env.MAGIC_SECRET_KEY
      ? [
          magic({
            secretKey: env.MAGIC_SECRET_KEY,
            replayStore: createMemoryStore(),
            ...(env.MAGIC_BASE_URL ? { baseUrl: env.MAGIC_BASE_URL } : {}),
          }),
        ]
      : []),
  ],
  sessionSecret: env.SESSION_SECRET ?? '',
  origin: env.PUBLIC_ORIGIN ?? `http://127.0.0.1:${port}`,
  secureCookies: env.NODE_ENV === 'production',
});
serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => {
  console.log(`Hono example on http://127.0.0.1:${info.port}`);
});
