import { createMemoryStore } from '@authbridge/core';
import type { Emulator } from '@authbridge/emulator';
import { magic } from '@authbridge/magic';
import { pi } from '@authbridge/pi';
import { createApp } from './app.js';

/** The example against the emulators, with their seeded keys. Development only. */
export function emulatorApp(emulator: Emulator, origin: string) {
  const fixtures = emulator.fixtures as { pi: { apiKey: string }; magic: { secretKey: string } };
  return createApp({
    providers: [
      pi({ apiKey: fixtures.pi.apiKey, baseUrl: emulator.urls.pi as string }),
      magic({
        secretKey: fixtures.magic.secretKey,
        baseUrl: emulator.urls.magic as string,
        replayStore: createMemoryStore(),
      }),
    ],
    sessionSecret: crypto.randomUUID() + crypto.randomUUID(),
    origin,
    secureCookies: false,
  });
}
