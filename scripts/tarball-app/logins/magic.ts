import { type AuthResult, isAuthBridgeError } from '@authbridge/core';
import type { Emulator } from '@authbridge/emulator';
import { magic } from '@authbridge/magic';

/** A DID token minted by the emulator (Magic's client side), verified locally, then refused a second time. */
export default async function login(emulator: Emulator): Promise<AuthResult<string, unknown>> {
  const fixtures = emulator.fixtures.magic;
  if (!fixtures || !emulator.urls.magic) throw new Error('the Magic emulator is not mounted');
  const minted = await fetch(`${emulator.urls.magic}/_emulator/did-tokens`, { method: 'POST' });
  const { didToken } = (await minted.json()) as { didToken: string };
  const provider = magic({ secretKey: fixtures.secretKey, baseUrl: emulator.urls.magic });
  const result = await provider.verify(didToken);
  if (result.subject !== fixtures.user.issuer) throw new Error(`Magic: subject ${result.subject}`);
  try {
    await provider.verify(`${didToken.slice(0, -4)}AAAA`);
    throw new Error('Magic: a tampered token was accepted');
  } catch (error) {
    if (!isAuthBridgeError(error)) throw error;
  }
  return result;
}
