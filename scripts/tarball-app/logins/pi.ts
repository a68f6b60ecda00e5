import type { AuthResult } from '@authbridge/core';
import type { Emulator } from '@authbridge/emulator';
import { pi } from '@authbridge/pi';

/** A seeded Pioneer's access token verified through `/v2/me`. */
export default async function login(emulator: Emulator): Promise<AuthResult<string, unknown>> {
  const fixtures = emulator.fixtures.pi;
  const alice = fixtures?.users.alice;
  if (!fixtures || !alice || !emulator.urls.pi) throw new Error('the Pi emulator is not mounted');
  const result = await pi({ apiKey: fixtures.apiKey, baseUrl: emulator.urls.pi }).verify(alice.accessToken);
  if (result.subject !== alice.uid) throw new Error(`Pi: subject ${result.subject}`);
  return result;
}
