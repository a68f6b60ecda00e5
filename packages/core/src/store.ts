/**
 * The store contract for nonces and replay records. Implementations: {@link createMemoryStore} here,
 * `@authbridge/redis` and `@authbridge/postgres` for apps on many instances. All pass the same
 * conformance suite.
 */

/**
 * A key-value store with expiry and atomic one-time operations.
 *
 * Every method throws `StoreError` (`ERR_STORE`) when the backend fails or is too slow; callers treat
 * that as "not admitted" (fail closed).
 */
export interface KeyValueStore {
  /**
   * Stores `value` under `key` for `ttlMs` unless the key holds a live value. Resolves `true` when it
   * stored. Atomic: of concurrent calls for one key, exactly one resolves `true`.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Stores `value` under `key` for `ttlMs`, replacing any value. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** The live value under `key`, or `undefined`. */
  get(key: string): Promise<string | undefined>;
  /**
   * Deletes the live value under `key` and resolves to it, or to `undefined` when there was none.
   * Atomic: of concurrent calls for one key, exactly one gets the value.
   */
  consume(key: string): Promise<string | undefined>;
  /** Deletes `key` if present. */
  delete(key: string): Promise<void>;
}
