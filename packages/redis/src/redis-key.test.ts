import { isAuthBridgeError } from '@authbridge/core';
import { describe, expect, it } from 'vitest';
import { assertPrefix, redisKey } from './redis-key.js';

describe('redisKey', () => {
  it('makes the whole logical key the hash tag', () => {
    expect(redisKey('authbridge:', 'app:nonce:3f9a')).toBe('authbridge:{app:nonce:3f9a}');
  });

  it('encodes braces and percent signs so the tag cannot end early and keys stay distinct', () => {
    expect(redisKey('p:', 'x:{a}')).toBe('p:{x:%7Ba%7D}');
    expect(redisKey('p:', '%7B')).toBe('p:{%257B}');
    const keys = ['{', '%7B', '%257B', '}', '%7D', '{}', 'a}b{c'];
    const encoded = keys.map((key) => redisKey('p:', key));
    expect(new Set(encoded).size).toBe(keys.length);
    for (const key of encoded) expect(key.slice(3, -1)).not.toMatch(/[{}]/);
  });

  it('leaves every other character as it is', () => {
    expect(redisKey('', 'ä A:é 🔑')).toBe('{ä A:é 🔑}');
  });
});

describe('assertPrefix', () => {
  it('accepts an ordinary prefix and the empty one', () => {
    expect(() => assertPrefix('shop:')).not.toThrow();
    expect(() => assertPrefix('')).not.toThrow();
  });

  it('refuses braces with ERR_CONFIG', () => {
    let error: unknown;
    try {
      assertPrefix('{shop}:');
    } catch (e) {
      error = e;
    }
    expect(isAuthBridgeError(error, 'ERR_CONFIG')).toBe(true);
  });
});
