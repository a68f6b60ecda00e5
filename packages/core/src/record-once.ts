import { InvalidCredentialError, isAuthBridgeError, StoreError } from './errors.js';
import type { KeyValueStore } from './store.js';

/** Options of {@link recordOnce}. */
export interface RecordOnceOptions {
  /** The provider id carried by the errors. */
  provider: string;
  /** What the key stands for, in messages: `'DID token'`, `'Toopher authentication request'`. */
  credential: string;
  /** The value stored under the key. Default `'1'`. */
  value?: string;
}

/**
 * Records `key` in a replay store for `ttlMs`, so that the credential it names is accepted once: of
 * concurrent calls for one key exactly one resolves (the store's `setIfAbsent` is atomic). Call it
 * only after every other check passed, so a forged credential never burns a real one's key.
 *
 * Errors: `ERR_CREDENTIAL_REPLAYED` when the key was recorded before; `ERR_STORE` when the store
 * fails, so no login is admitted without its record (fail closed).
 *
 * @example
 * ```ts
 * await recordOnce(replayStore, `magic:didt:${address}:${claim.tid}`, ttlMs, {
 *   provider: 'magic',
 *   credential: 'DID token',
 * });
 * ```
 */
export async function recordOnce(
  store: KeyValueStore,
  key: string,
  ttlMs: number,
  options: RecordOnceOptions,
): Promise<void> {
  const { provider, credential } = options;
  let stored: boolean;
  try {
    stored = await store.setIfAbsent(key, options.value ?? '1', ttlMs);
  } catch (error) {
    if (isAuthBridgeError(error)) throw error;
    throw new StoreError(`${provider}: the replay store failed; the ${credential} was not accepted.`, {
      provider,
      cause: error,
    });
  }
  if (!stored) {
    throw new InvalidCredentialError(
      'ERR_CREDENTIAL_REPLAYED',
      `This ${credential} was already used to sign in.`,
      {
        provider,
      },
    );
  }
}
