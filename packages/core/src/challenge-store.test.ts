import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { challengeAnswerOf, createChallengeStore, isChallengeId } from './challenge-store.js';
import { isAuthBridgeError } from './errors.js';
import { createMemoryStore } from './memory-store.js';
import type { KeyValueStore } from './store.js';

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('createChallengeStore', () => {
  it('gives back what was issued, once, and keeps it under a prefixed key', async () => {
    const store = createMemoryStore();
    const challenges = createChallengeStore<{ nonce: string; chainId: number }>({
      provider: 'wallet',
      store,
    });
    const { id, expiresAt } = await challenges.issue({ nonce: 'n-1', chainId: 1 });
    expect(isChallengeId(id)).toBe(true);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await store.get(`authbridge:challenge:wallet:${id}`)).toBe('{"nonce":"n-1","chainId":1}');
    expect(await challenges.peek(id)).toEqual({ nonce: 'n-1', chainId: 1 });
    expect(await challenges.consume(id)).toEqual({ nonce: 'n-1', chainId: 1 });
    const again = await errorOf(challenges.consume(id));
    expect(isAuthBridgeError(again, 'ERR_CREDENTIAL_CHALLENGE')).toBe(true);
    expect(again).toMatchObject({ provider: 'wallet' });
  });

  it('lets exactly one of many concurrent consumes through', async () => {
    const challenges = createChallengeStore<string>({ provider: 'picket' });
    const { id } = await challenges.issue('state');
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => challenges.consume(id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(isAuthBridgeError(r.reason, 'ERR_CREDENTIAL_CHALLENGE')).toBe(true);
    }
  });

  it('refuses a challenge past its TTL', async () => {
    let t = 1_000_000;
    const store = createMemoryStore({ now: () => t });
    const challenges = createChallengeStore<number>({
      provider: 'toopher',
      store,
      ttlMs: 1000,
      now: () => t,
    });
    const { id, expiresAt } = await challenges.issue(7);
    expect(expiresAt.getTime()).toBe(1_001_000);
    t += 1000;
    expect(isAuthBridgeError(await errorOf(challenges.peek(id)), 'ERR_CREDENTIAL_CHALLENGE')).toBe(true);
  });

  it('issues distinct ids', async () => {
    const challenges = createChallengeStore<number>({ provider: 'wallet' });
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) ids.add((await challenges.issue(i)).id);
    expect(ids.size).toBe(200);
  });

  it('refuses a bad TTL with ERR_CONFIG', () => {
    for (const ttlMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createChallengeStore({ provider: 'wallet', ttlMs })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }),
      );
    }
  });

  it('answers a store failure with ERR_STORE, keeping the cause', async () => {
    const boom = new Error('connect ECONNREFUSED');
    const broken: KeyValueStore = {
      setIfAbsent: () => Promise.reject(boom),
      set: () => Promise.reject(boom),
      get: () => Promise.reject(boom),
      consume: () => Promise.reject(boom),
      delete: () => Promise.reject(boom),
    };
    const challenges = createChallengeStore<number>({ provider: 'wallet', store: broken });
    const issued = await errorOf(challenges.issue(1));
    expect(isAuthBridgeError(issued, 'ERR_STORE')).toBe(true);
    expect(issued).toMatchObject({ cause: boom });
    const consumed = await errorOf(challenges.consume('A'.repeat(22)));
    expect(isAuthBridgeError(consumed, 'ERR_STORE')).toBe(true);
  });

  it('throws only typed errors for any id a client can send, before touching the store', async () => {
    let touched = 0;
    const counting: KeyValueStore = {
      ...createMemoryStore(),
      get: async () => {
        touched++;
        return undefined;
      },
      consume: async () => {
        touched++;
        return undefined;
      },
    };
    const challenges = createChallengeStore<number>({ provider: 'wallet', store: counting });
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (id) => {
        const before = touched;
        const error = await errorOf(challenges.consume(id));
        expect(isAuthBridgeError(error)).toBe(true);
        const wellFormed = isChallengeId(id);
        expect((error as { code: string }).code).toBe(
          wellFormed ? 'ERR_CREDENTIAL_CHALLENGE' : 'ERR_CREDENTIAL_MALFORMED',
        );
        expect(touched - before).toBe(wellFormed ? 1 : 0);
      }),
      { numRuns: 300 },
    );
    expect(
      isAuthBridgeError(await errorOf(challenges.consume(`${'A'.repeat(22)}\n`)), 'ERR_CREDENTIAL_MALFORMED'),
    ).toBe(true);
  });
});

describe('challengeAnswerOf', () => {
  const options = {
    provider: 'wallet',
    answerFields: ['signature'] as const,
    shape: '{ challengeId, signature }',
  };

  it('returns an answer that has only the challenge id and the answer fields', () => {
    expect(challengeAnswerOf({ challengeId: 'c', signature: 's' }, options)).toEqual({
      challengeId: 'c',
      signature: 's',
    });
    expect(challengeAnswerOf({ challengeId: 'c' }, options)).toEqual({ challengeId: 'c' });
  });

  it('refuses anything else as ERR_CREDENTIAL_MALFORMED, naming the fields the server issued', () => {
    for (const credential of [null, 'c', 7, ['c', 's'], undefined]) {
      expect(() => challengeAnswerOf(credential, options)).toThrow(
        expect.objectContaining({ code: 'ERR_CREDENTIAL_MALFORMED', provider: 'wallet' }),
      );
    }
    expect(() =>
      challengeAnswerOf({ challengeId: 'c', signature: 's', nonce: 'n', context: {} }, options),
    ).toThrow(/nonce, context come from the server's challenge/);
  });
});

describe('challengeAnswerOf on any input (property)', () => {
  it('returns the credential itself or throws ERR_CREDENTIAL_MALFORMED, nothing else', () => {
    const options = {
      provider: 'wallet',
      answerFields: ['signature'] as const,
      shape: '{ challengeId, signature }',
    };
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.record({ challengeId: fc.string(), signature: fc.string() })),
        (value) => {
          try {
            expect(challengeAnswerOf(value, options)).toBe(value);
            const keys = Object.keys(value as object);
            expect(keys.every((key) => key === 'challengeId' || key === 'signature')).toBe(true);
          } catch (error) {
            expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
