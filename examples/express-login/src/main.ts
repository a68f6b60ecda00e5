// The login server on its own, configured from the environment (see README): no emulator, no dev tools.
import { createAuth } from '@authbridge/core';
import { createApp } from './app.js';
import { listen } from './listen.js';
import { buildProviders, challengeIdOf, secretsOf, settingsFromEnv } from './providers.js';
import { createSessions } from './session.js';

const settings = settingsFromEnv(process.env);
const providers = buildProviders(settings);
if (providers.length === 0) {
  console.error(
    'No provider is configured. Set PI_API_KEY, MAGIC_SECRET_KEY, PICKET_API_KEY or TOOPHER_CONSUMER_KEY.',
  );
  process.exit(1);
}
const secret = process.env.SESSION_SECRET;
if (secret !== undefined && new TextEncoder().encode(secret).byteLength < 32) {
  console.error('SESSION_SECRET must be at least 32 bytes long.');
  process.exit(1);
}
const app = createApp({
  auth: createAuth({ providers }),
  sessions: createSessions({
    ...(secret ? { secret: new TextEncoder().encode(secret) } : {}),
    secure: process.env.COOKIE_SECURE === 'true',
  }),
  secrets: secretsOf(settings),
  challengeIdOf,
});
const server = await listen(app, Number(process.env.PORT ?? 3000));
console.log(`authbridge example listening on ${server.url} with ${providers.map((p) => p.id).join(', ')}`);
