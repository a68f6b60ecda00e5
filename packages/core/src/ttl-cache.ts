import { ConfigurationError } from './errors.js';

/** Options of {@link createTtlCache}. */
export interface TtlCacheOptions {
  /** Entries held at most; the least recently used goes first. */
  maxEntries: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/** A bounded, synchronous LRU cache whose entries each carry their own expiry. */
export interface TtlCache<V> {
  /** The live value under `key` (it becomes the most recently used), or `undefined`. */
  get(key: string): V | undefined;
  /** Stores `value` until `expiresAt` (ms since the epoch); an expiry in the past stores nothing. */
  set(key: string, value: V, expiresAt: number): void;
  /** Forgets `key`. */
  delete(key: string): void;
  /** Forgets every entry. */
  clear(): void;
  readonly size: number;
}

/**
 * Builds a {@link TtlCache}: the verified-token caches of Magic and Pi use it. No timers.
 *
 * Errors: `ERR_CONFIG` for a `maxEntries` that is not a positive integer.
 *
 * @example
 * ```ts
 * const cache = createTtlCache<AuthResult>({ maxEntries: 1000 });
 * cache.set(key, result, Math.min(Date.now() + 30_000, result.expiresAt?.getTime() ?? Infinity));
 * ```
 */
export function createTtlCache<V>(options: TtlCacheOptions): TtlCache<V> {
  if (!Number.isInteger(options.maxEntries) || options.maxEntries <= 0) {
    throw new ConfigurationError('A cache needs maxEntries to be a positive integer.');
  }
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, expiresAt) {
      entries.delete(key);
      if (!(expiresAt > now())) return;
      while (entries.size >= options.maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
      entries.set(key, { value, expiresAt });
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
