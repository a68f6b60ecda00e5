/**
 * Accepting each Toopher authentication request once, when the app gives a replay store.
 */
import { type KeyValueStore, recordOnce } from '@authbridge/core';

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
export function recordRequestOnce(
  store: KeyValueStore,
  authenticationRequestId: string,
  ttlMs: number,
): Promise<void> {
  return recordOnce(store, replayKey(authenticationRequestId), ttlMs, {
    provider: 'toopher',
    credential: 'Toopher authentication request',
  });
}
