// The Node entry: which providers, which keys. On Bun, Deno or Workers, export `app` instead of serving it.
import { magic } from '@authbridge/magic';
import { pi } from '@authbridge/pi';
import { serve } from '@hono/node-server';
import { loginRoutes } from './app.js';

const sessionSecret = process.env.SESSION_SECRET ?? '';
if (new TextEncoder().encode(sessionSecret).byteLength < 32)
  throw new Error('Set SESSION_SECRET to 32 bytes or more.');

const app = loginRoutes(
  [pi({ apiKey: process.env.PI_API_KEY ?? '' }), magic({ secretKey: process.env.MAGIC_SECRET_KEY ?? '' })],
  new TextEncoder().encode(sessionSecret),
);

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
