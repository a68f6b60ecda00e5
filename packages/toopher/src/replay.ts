/**
 * Accepting each Toopher authentication request once, when the app gives a replay store.
 */
import { InvalidCredentialError, isAuthBridgeError, type KeyValueStore, StoreError } from '@authbridge/core';

/** The replay key of an authentication request: the same for its id and for its postback. */
export function replayKey(authenticationRequestId: string): string {
  return `toopher:authentication_request:${authenticationRequestId}`;
}

/**
 * Records a granted authentication request; throws when it was recorded before. Called only after
 * every other check passed, so a forged or denied credential never burns a real request's id.
 *
 * Errors: `ERR_CREDENTIAL_REPLAYED`; `ERR_STORE` when the store fails (fail closed).
 */
export async function recordOnce(
  store: KeyValueStore,
  authenticationRequestId: string,
  ttlMs: number,
): Promise<void> {
  let stored: boolean;
  try {
    stored = await store.setIfAbsent(replayKey(authenticationRequestId), '1', ttlMs);
  } catch (error) {
    if (isAuthBridgeError(error)) throw error;
    throw new StoreError('toopher: the replay store failed; the authentication was not accepted.', {
      provider: 'toopher',
      cause: error,
    });
  }
  if (!stored) {
    throw new InvalidCredentialError(
      'ERR_CREDENTIAL_REPLAYED',
      'This Toopher authentication request was already used to sign in.',
      { provider: 'toopher' },
    );
  }
}
