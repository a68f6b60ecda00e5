import type { AuthResult } from '@authbridge/core';
import type { Emulator } from '@authbridge/emulator';
import { toopher } from '@authbridge/toopher';

/** An authentication request for the paired user, granted on the emulated phone while `verify` polls. */
export default async function login(emulator: Emulator): Promise<AuthResult<string, unknown>> {
  const fixtures = emulator.fixtures.toopher;
  const baseUrl = emulator.urls.toopher;
  if (!fixtures || !baseUrl) throw new Error('the Toopher emulator is not mounted');
  const { consumerKey, consumerSecret } = fixtures;
  const provider = toopher({
    consumerKey,
    consumerSecret,
    baseUrl,
    poll: { interval: 50, deadline: 30_000 },
  });
  const { paired } = fixtures.users;
  const challenge = await provider.createChallenge({
    username: paired.username,
    terminal: 'ci',
    action: 'Log In',
  });
  const verifying = provider.verify({ authenticationRequestId: challenge.id });
  const granted = await fetch(`${baseUrl}/_emulator/authentication_requests/${challenge.id}/grant`, {
    method: 'POST',
  });
  if (!granted.ok) throw new Error(`Toopher: the phone could not grant (${granted.status})`);
  const result = await verifying;
  if (result.subject !== paired.userId) throw new Error(`Toopher: subject ${result.subject}`);
  return result;
}
