import { runStoreConformance } from '@authbridge/test-utils';
import { describe, expect, it } from 'vitest';
import { isAuthBridgeError } from './errors.js';
import { createMemoryStore } from './memory-store.js';

runStoreConformance('memory', { create: () => createMemoryStore() });

describe('createMemoryStore', () => {
  it('expires entries by its clock, with no timer', async () => {
    let now = 1_000;
    const store = createMemoryStore({ now: () => now });
    await store.set('a', '1', 100);
    now += 99;
    expect(await store.get('a')).toBe('1');
    now += 1;
    expect(await store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('refuses a new entry when full of live entries instead of evicting one', async () => {
    const store = createMemoryStore({ maxEntries: 2 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    const error = await store.setIfAbsent('c', '3', 60_000).catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
    expect(await store.get('a')).toBe('1');
    await store.set('a', 'replaced', 60_000);
    expect(await store.get('a')).toBe('replaced');
  });

  it('makes room by sweeping expired entries', async () => {
    let now = 0;
    const store = createMemoryStore({ maxEntries: 2, now: () => now });
    await store.set('a', '1', 10);
    await store.set('b', '2', 10);
    now = 20;
    expect(await store.setIfAbsent('c', '3', 10)).toBe(true);
    expect(store.size).toBe(1);
  });

  it('refuses while full without scanning its entries until one can have expired', async () => {
    let now = 0;
    const store = createMemoryStore({ maxEntries: 1_000, now: () => now });
    for (let i = 0; i < 1_000; i++) await store.set(`k${i}`, 'v', 60_000 + i);
    // A sweep iterates the store's Map; count how often that happens.
    const iterate = Map.prototype[Symbol.iterator];
    let scans = 0;
    Map.prototype[Symbol.iterator] = function (this: Map<unknown, unknown>) {
      scans += 1;
      return iterate.call(this);
    };
    try {
      for (let i = 0; i < 100; i++) {
        const error = await store.setIfAbsent(`new${i}`, 'v', 1_000).catch((e: unknown) => e);
        expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
      }
      expect(scans).toBe(0);
      now = 60_000; // k0 expires: the next insert sweeps once and takes its place
      expect(await store.setIfAbsent('late', 'v', 1_000)).toBe(true);
      expect(scans).toBe(1);
    } finally {
      Map.prototype[Symbol.iterator] = iterate;
    }
    expect(await store.get('k0')).toBeUndefined();
    expect(await store.get('k1')).toBe('v');
  });

  it('rejects a bad maxEntries with ERR_CONFIG', () => {
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }),
    );
  });
});
