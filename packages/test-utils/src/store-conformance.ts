import { isAuthBridgeError, type KeyValueStore } from '@authbridge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Builds a fresh store; keys are made unique per test, so a shared backend is fine. */
  create(): KeyValueStore | Promise<KeyValueStore>;
  /** Releases the store (closes connections). */
  dispose?(store: KeyValueStore): void | Promise<void>;
}

let counter = 0;
const uniqueKey = (label: string) => `conformance:${label}:${process.pid}:${Date.now()}:${counter++}`;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The suite every {@link KeyValueStore} must pass unchanged: atomic set-if-absent and consume under
 * concurrency, expiry, overwrite, delete, and TTL validation.
 *
 * @example
 * ```ts
 * runStoreConformance('memory', { create: () => createMemoryStore() });
 * ```
 */
export function runStoreConformance(name: string, options: StoreConformanceOptions): void {
  describe(`KeyValueStore conformance: ${name}`, () => {
    let store: KeyValueStore;
    beforeAll(async () => {
      store = await options.create();
    });
    afterAll(async () => {
      await options.dispose?.(store);
    });

    it('stores once with setIfAbsent and reads the value back', async () => {
      const key = uniqueKey('sia');
      expect(await store.setIfAbsent(key, 'first', 10_000)).toBe(true);
      expect(await store.setIfAbsent(key, 'second', 10_000)).toBe(false);
      expect(await store.get(key)).toBe('first');
    });

    it('consume returns the value exactly once', async () => {
      const key = uniqueKey('consume');
      await store.set(key, 'v', 10_000);
      expect(await store.consume(key)).toBe('v');
      expect(await store.consume(key)).toBeUndefined();
      expect(await store.get(key)).toBeUndefined();
    });

    it('answers undefined for keys never written', async () => {
      const key = uniqueKey('missing');
      expect(await store.get(key)).toBeUndefined();
      expect(await store.consume(key)).toBeUndefined();
    });

    it('of 50 concurrent setIfAbsent calls on one key, exactly one wins', async () => {
      const key = uniqueKey('race-set');
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.setIfAbsent(key, String(i), 10_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await store.get(key)).toBe(String(winner));
    });

    it('of 50 concurrent consume calls on one key, exactly one gets the value', async () => {
      const key = uniqueKey('race-consume');
      await store.set(key, 'nonce', 10_000);
      const results = await Promise.all(Array.from({ length: 50 }, () => store.consume(key)));
      expect(results.filter((r) => r === 'nonce')).toHaveLength(1);
      expect(results.filter((r) => r === undefined)).toHaveLength(49);
    });

    it('forgets a value after its TTL, and setIfAbsent succeeds again', async () => {
      const key = uniqueKey('ttl');
      expect(await store.setIfAbsent(key, 'short', 100)).toBe(true);
      await wait(300);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.consume(key)).toBeUndefined();
      expect(await store.setIfAbsent(key, 'again', 10_000)).toBe(true);
    });

    it('keeps a value before its TTL', async () => {
      const key = uniqueKey('ttl-live');
      await store.set(key, 'long', 60_000);
      await wait(50);
      expect(await store.get(key)).toBe('long');
    });

    it('set overwrites and delete removes', async () => {
      const key = uniqueKey('overwrite');
      await store.set(key, 'a', 10_000);
      await store.set(key, 'b', 10_000);
      expect(await store.get(key)).toBe('b');
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
      await store.delete(key);
    });

    it('keeps keys that differ only in case, punctuation or script apart', async () => {
      const base = uniqueKey('keys');
      const keys = [`${base}:A`, `${base}:a`, `${base}:{a}`, `${base}:ä`, `${base}: a`];
      await Promise.all(keys.map((key, i) => store.set(key, String(i), 10_000)));
      expect(await Promise.all(keys.map((key) => store.get(key)))).toEqual(['0', '1', '2', '3', '4']);
    });

    it('stores values with any characters unchanged', async () => {
      const key = uniqueKey('value');
      const value = '{"tid":"9f1c","iss":"did:ethr:0xAbC"}\n\u00e9\u{1F511}';
      await store.set(key, value, 10_000);
      expect(await store.consume(key)).toBe(value);
    });

    it('rejects a TTL that is not a positive number with ERR_CONFIG', async () => {
      for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        const error = await store.setIfAbsent(uniqueKey('bad-ttl'), 'v', ttl).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isAuthBridgeError(error, 'ERR_CONFIG'), `ttl ${ttl}`).toBe(true);
      }
    });
  });
}
