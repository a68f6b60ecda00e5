import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache.js';

describe('createTtlCache', () => {
  it('returns a value until its own expiry', () => {
    let now = 0;
    const cache = createTtlCache<string>({ maxEntries: 10, now: () => now });
    cache.set('a', 'A', 100);
    now = 99;
    expect(cache.get('a')).toBe('A');
    now = 100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stores nothing for an expiry in the past', () => {
    const cache = createTtlCache<string>({ maxEntries: 10, now: () => 50 });
    cache.set('a', 'A', 50);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = createTtlCache<number>({ maxEntries: 2, now: () => 0 });
    cache.set('a', 1, 1000);
    cache.set('b', 2, 1000);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3, 1000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('rejects a bad maxEntries with ERR_CONFIG', () => {
    expect(() => createTtlCache({ maxEntries: 1.5 })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }),
    );
  });
});
