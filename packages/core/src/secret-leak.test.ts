/**
 * Secrets reach no error: not its message, `data`, `cause` chain (at any depth) nor what
 * `console.log(error)` prints, whoever built the error.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createChallengeStore } from './challenge-store.js';
import {
  AuthBridgeError,
  isAuthBridgeError,
  ProviderRequestError,
  StoreError,
  UnexpectedResponseError,
} from './errors.js';
import { recordOnce } from './record-once.js';
import { checkSecret } from './secret.js';
import type { KeyValueStore } from './store.js';

const DATABASE_URL = 'postgres://app:hunter2-db-password@db.internal:5432/app';
const printed = (error: unknown) => `${inspect(error, { depth: 20 })} ${JSON.stringify(error)}`;

function failingStore(error: unknown): KeyValueStore {
  const fail = async (): Promise<never> => {
    throw error;
  };
  return { get: fail, set: fail, setIfAbsent: fail, consume: fail, delete: fail } as unknown as KeyValueStore;
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('errors redact their cause and data', () => {
  it("a custom store's error naming a database URL reaches recordOnce's cause without its password", async () => {
    const inner = new Error(`connect ECONNREFUSED ${DATABASE_URL}`);
    const error = await errorOf(
      recordOnce(failingStore(new Error('query failed', { cause: inner })), 'k', 1000, {
        provider: 'magic',
        credential: 'DID token',
      }),
    );
    expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
    expect(printed(error)).toContain('db.internal');
    expect(printed(error)).not.toContain('hunter2-db-password');
    // The store's own error object is left as it was.
    expect(inner.message).toContain('hunter2-db-password');
  });

  it("the challenge store's error keeps no password in its cause", async () => {
    const store = failingStore(
      Object.assign(new Error('down'), { url: DATABASE_URL, password: 'pw-123456' }),
    );
    const challenges = createChallengeStore({ provider: 'picket', store });
    const error = await errorOf(challenges.issue({ nonce: 'n' }));
    expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
    expect(printed(error)).not.toContain('hunter2-db-password');
    expect(printed(error)).not.toContain('pw-123456');
  });

  it('data with secret fields or URL userinfo is attached redacted', () => {
    const error = new ProviderRequestError('bad', {
      status: 401,
      data: [{ message: `your key sk_live_echo=1 at ${DATABASE_URL}`, api_key: 'sk_live_abcdef0123456789' }],
    });
    const text = printed(error) + inspect(error.data, { depth: 10 });
    expect(text).not.toContain('hunter2-db-password');
    expect(text).not.toContain('sk_live_abcdef0123456789');
  });

  it('a non-Error cause (a string, an object) and cycles are redacted too', () => {
    const loop: Record<string, unknown> = { note: DATABASE_URL };
    loop.self = loop;
    for (const cause of [DATABASE_URL, { config: { url: DATABASE_URL } }, loop]) {
      const error = new StoreError('down', { cause });
      expect(printed(error)).not.toContain('hunter2-db-password');
    }
  });

  it('a remembered secret is hidden from providerCode and bodyExcerpt too', () => {
    const key = checkSecret('sk_live_excerpt_0123456789', { provider: 'magic', name: 'secretKey' });
    const unexpected = new UnexpectedResponseError('odd body', {
      bodyExcerpt: `{"echo":"${key}"}`,
      providerCode: key,
    });
    expect(printed(unexpected)).not.toContain(key);
  });

  it('keeps the cause itself when it holds nothing to hide', () => {
    const cause = new TypeError('plain failure');
    const error = new AuthBridgeError('ERR_NETWORK', 'x', { cause });
    expect(error.cause).toBe(cause);
  });
});
