import { describe, expect, it } from 'vitest';
import { isAuthBridgeError } from './errors.js';
import { createMemoryStore } from './memory-store.js';
import { recordOnce } from './record-once.js';
import type { KeyValueStore } from './store.js';

const options = { provider: 'magic', credential: 'DID token' };
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('recordOnce', () => {
  it('accepts a key once, then answers ERR_CREDENTIAL_REPLAYED', async () => {
    const store = createMemoryStore();
    await recordOnce(store, 'k', 60_000, { ...options, value: 'ext' });
    expect(await store.get('k')).toBe('ext');
    const replayed = await errorOf(recordOnce(store, 'k', 60_000, options));
    expect(isAuthBridgeError(replayed, 'ERR_CREDENTIAL_REPLAYED')).toBe(true);
    expect(replayed).toMatchObject({
      provider: 'magic',
      shortMessage: 'This DID token was already used to sign in.',
    });
  });

  it('lets exactly one of many concurrent calls through', async () => {
    const store = createMemoryStore();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => recordOnce(store, 'race', 60_000, options)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('fails closed with ERR_STORE when the store throws, and passes a store’s own typed error on', async () => {
    const broken = {
      setIfAbsent: () => Promise.reject(new Error('connection reset')),
    } as unknown as KeyValueStore;
    const error = await errorOf(recordOnce(broken, 'k', 1_000, options));
    expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
    expect(error).toMatchObject({ provider: 'magic' });
    const full = createMemoryStore({ maxEntries: 1 });
    await full.set('other', 'v', 60_000);
    expect(isAuthBridgeError(await errorOf(recordOnce(full, 'k', 1_000, options)), 'ERR_STORE')).toBe(true);
  });
});
