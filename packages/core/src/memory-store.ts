import { ConfigurationError, StoreError } from './errors.js';
import type { KeyValueStore } from './store.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Live entries held at most. Default 100000. */
  maxEntries?: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/** Checks a TTL argument; shared by every store so they reject the same inputs. */
export function assertTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ConfigurationError(`A store TTL must be a positive number of ms, got ${ttlMs}.`);
  }
}

/**
 * An in-process {@link KeyValueStore}: bounded, expiring, and with no timer, so it never keeps a
 * process alive. Expired entries are swept as the store is used.
 *
 * When it holds `maxEntries` live entries it refuses new ones with `ERR_STORE` instead of evicting a
 * live one: evicting a replay record would admit a replay, so a full store fails closed.
 * Use it for one process; apps on several instances need a shared store such as `@authbridge/redis`.
 *
 * Errors: `ERR_STORE` when full; `ERR_CONFIG` for a bad TTL or option.
 *
 * @example
 * ```ts
 * const store = createMemoryStore({ maxEntries: 10_000 });
 * await store.setIfAbsent('nonce:abc', '1', 120_000); // true
 * await store.consume('nonce:abc'); // '1', and never again
 * ```
 */
export function createMemoryStore(
  options: MemoryStoreOptions = {},
): KeyValueStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isInteger(maxEntries) || maxEntries <= 0) {
    throw new ConfigurationError('maxEntries must be a positive integer.');
  }
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  // No entry expires before this (a lower bound: deletions can leave it early). A full store scans
  // only when something can have expired, so refusing while full of live entries costs O(1).
  let soonestExpiry = Number.POSITIVE_INFINITY;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = (): void => {
    const t = now();
    if (t < soonestExpiry) return;
    soonestExpiry = Number.POSITIVE_INFINITY;
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= t) entries.delete(key);
      else soonestExpiry = Math.min(soonestExpiry, entry.expiresAt);
    }
  };
  const room = (): void => {
    if (entries.size < maxEntries) return;
    sweep();
    if (entries.size >= maxEntries) {
      throw new StoreError(
        `The memory store is full (${maxEntries} live entries); refusing to evict a live one.`,
      );
    }
  };
  const put = (key: string, value: string, ttlMs: number): void => {
    entries.delete(key);
    room();
    const expiresAt = now() + ttlMs;
    entries.set(key, { value, expiresAt });
    soonestExpiry = Math.min(soonestExpiry, expiresAt);
  };

  return {
    get size() {
      sweep();
      return entries.size;
    },
    async setIfAbsent(key, value, ttlMs) {
      assertTtl(ttlMs);
      if (live(key)) return false;
      put(key, value, ttlMs);
      return true;
    },
    async set(key, value, ttlMs) {
      assertTtl(ttlMs);
      put(key, value, ttlMs);
    },
    async get(key) {
      return live(key)?.value;
    },
    async consume(key) {
      const entry = live(key);
      if (!entry) return undefined;
      entries.delete(key);
      return entry.value;
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
