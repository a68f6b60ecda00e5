// The login server on its own, configured from the environment (see README): no emulator, no dev tools.
import { createAuth } from '@authbridge/core';
import { createApp } from './app.js';
import { listen } from './listen.js';
import { buildProviders, challengeInputs, rateLimits, settingsFromEnv } from './providers.js';
import { demoSessions } from './sessions.js';

const settings = settingsFromEnv(process.env);
const providers = buildProviders(settings);
if (providers.length === 0) {
  console.error(
    'No provider is configured. Set PI_API_KEY, MAGIC_SECRET_KEY, PICKET_API_KEY, TOOPHER_CONSUMER_KEY or WALLET_CHAINS.',
  );
  process.exit(1);
}
const secret = process.env.SESSION_SECRET;
if (secret !== undefined && new TextEncoder().encode(secret).byteLength < 32) {
  console.error('SESSION_SECRET must be at least 32 bytes long.');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const production = process.env.NODE_ENV === 'production';
if (production && !process.env.PUBLIC_ORIGIN) {
  console.error('Set PUBLIC_ORIGIN to the origin users open the app at, such as https://app.example.');
  process.exit(1);
}
const publicOrigin = new URL(process.env.PUBLIC_ORIGIN ?? `http://127.0.0.1:${port}`).origin;
const cookieSecure = process.env.COOKIE_SECURE;
const app = createApp({
  auth: createAuth({ providers }),
  sessions: demoSessions({
    ...(secret ? { secret } : {}),
    // Secure in production; COOKIE_SECURE=true|false overrides it.
    secure: cookieSecure === 'true' || cookieSecure === 'false' ? cookieSecure === 'true' : production,
  }),
  challenges: challengeInputs,
  rateLimit: rateLimits(),
  publicOrigin,
});
const server = await listen(app, port);
console.log(`authbridge example listening on ${server.url} with ${providers.map((p) => p.id).join(', ')}`);
