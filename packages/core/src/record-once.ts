import { ConfigurationError, InvalidCredentialError, isAuthBridgeError, StoreError } from './errors.js';
import type { KeyValueStore } from './store.js';

/**
 * The default clock-skew margin of replay records: five minutes. A record must outlive the credential
 * on every instance that may see it again, and an instance whose clock runs behind still accepts a
 * credential for that long after it expired by the store's clock; so providers keep each record for
 * the credential's remaining life plus this margin (their `replaySkewMs` option).
 */
export const DEFAULT_REPLAY_SKEW_MS = 5 * 60_000;

/**
 * A provider's `replaySkewMs` option, checked: a whole number of ms, 0 or more; `undefined` gives
 * {@link DEFAULT_REPLAY_SKEW_MS}.
 *
 * Errors: `ERR_CONFIG` for anything else.
 *
 * @example
 * ```ts
 * const skewMs = replaySkewOf(options.replaySkewMs, 'magic'); // 300000 when not set
 * ```
 */
export function replaySkewOf(value: unknown, provider: string): number {
  if (value === undefined) return DEFAULT_REPLAY_SKEW_MS;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ConfigurationError(`${provider}: replaySkewMs must be a whole number of ms, 0 or more.`, {
      provider,
    });
  }
  return value;
}

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
