import { type Emulator, startEmulator } from '@authbridge/emulator';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { type PiProvider, pi } from './pi.js';

// Both cases run in one process against one emulator, so their ratio is what the cache buys an app
// that verifies on every request; the absolute figures depend on the machine.
let emulator: Emulator;
let token: string;
let uncached: PiProvider;
let cached: PiProvider;

beforeAll(async () => {
  emulator = await startEmulator({ providers: ['pi'] });
  const fixtures = emulator.fixtures.pi as { apiKey: string; users: Record<string, { accessToken: string }> };
  token = fixtures.users.alice!.accessToken;
  uncached = pi({ apiKey: fixtures.apiKey, baseUrl: emulator.urls.pi! });
  cached = pi({ apiKey: fixtures.apiKey, baseUrl: emulator.urls.pi!, cache: { ttlMs: 30_000 } });
  await cached.verify(token);
});
afterAll(async () => {
  await emulator?.close();
});

describe('pi verify of one access token, against the emulator', () => {
  bench('without cache (GET /v2/me every time)', async () => {
    await uncached.verify(token);
  });
  bench('with cache (ttl 30 s)', async () => {
    await cached.verify(token);
  });
});
