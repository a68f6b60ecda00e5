import { createMemoryStore, DEFAULT_REPLAY_SKEW_MS, isAuthBridgeError } from '@authbridge/core';
import { type DidTokenClaim, mintDidToken, signingKey } from '@authbridge/emulator';
import { describe, expect, it } from 'vitest';
import * as V from '../test/vectors.js';
import { createMagicAdmin, type MagicAdminOptions } from './admin.js';
import { REPLAY_MAX_LIFESPAN_SECONDS } from './replay.js';

const AUD = 'did:magic:replay-cap-app';
const DAY = 86_400;
const START_MS = Date.UTC(2026, 10, 23, 12);
const START = START_MS / 1000;

/** A correctly signed token from a fresh key, as anyone can mint: Magic tokens are self-signed. */
function selfMinted(times: { iat: number; ext: number }, tid = crypto.randomUUID()): string {
  const key = signingKey();
  const claim: DidTokenClaim = {
    iat: times.iat,
    ext: times.ext,
    iss: `did:ethr:${key.address}`,
    sub: 'throwaway',
    aud: AUD,
    nbf: times.iat,
    tid,
    add: '0x00',
  };
  return mintDidToken(claim, key.privateKey);
}

/** An admin with a replay store whose clock is the test's, and `validate` judging by the same clock. */
function replayClient(options: { maxEntries?: number } & Partial<MagicAdminOptions> = {}) {
  const { maxEntries, ...adminOptions } = options;
  const clock = { ms: START_MS };
  const store = createMemoryStore({ maxEntries, now: () => clock.ms });
  const admin = createMagicAdmin({
    secretKey: 'sk_test_123',
    clientId: AUD,
    replayStore: store,
    ...adminOptions,
  });
  const login = (didToken: string) => admin.token.validate(didToken, { now: clock.ms });
  return { admin, store, clock, login };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('replay lifespan cap', () => {
  it('defaults to one day', () => {
    expect(REPLAY_MAX_LIFESPAN_SECONDS).toBe(DAY);
  });

  it('refuses a login token living longer than the cap (ext - iat) with ERR_CREDENTIAL_REJECTED, writing no record', async () => {
    const { store, login } = replayClient();
    const token = selfMinted({ iat: START, ext: START + DAY + 1 });
    const error = await errorOf(login(token));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    expect(error).toMatchObject({ provider: 'magic', providerCode: undefined });
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(token);
    expect(store.size).toBe(0);
  });

  it('refuses a token whose ext lies further ahead than the cap, even when ext - iat is within it', async () => {
    const { store, login } = replayClient();
    // iat one second ahead of the server's clock: ext - iat is the cap, ext - now one second over.
    const error = await errorOf(login(selfMinted({ iat: START + 1, ext: START + 1 + DAY })));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    expect(store.size).toBe(0);
  });

  it('accepts a token of exactly the cap, once', async () => {
    const { store, login } = replayClient();
    const token = selfMinted({ iat: START, ext: START + DAY });
    await expect(login(token)).resolves.toMatchObject({ claim: { ext: START + DAY } });
    expect(store.size).toBe(1);
    await expect(login(token)).rejects.toMatchObject({ code: 'ERR_CREDENTIAL_REPLAYED' });
  });

  it('follows a configured replayMaxLifespan', async () => {
    const { store, login } = replayClient({ replayMaxLifespan: 900 });
    await expect(login(selfMinted({ iat: START, ext: START + 901 }))).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_REJECTED',
    });
    await expect(login(selfMinted({ iat: START, ext: START + 900 }))).resolves.toBeDefined();
    expect(store.size).toBe(1);
  });

  it('keeps the checks the official SDKs make first: a long-lived token for another app is an audience mismatch', async () => {
    const { login } = replayClient({ clientId: 'did:magic:another-app' });
    await expect(login(selfMinted({ iat: START, ext: START + 10 * 365 * DAY }))).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_AUDIENCE',
    });
  });

  it('applies to logins only: without a replay store, or with consume: false, a long-lived token passes as in the SDKs', async () => {
    const token = selfMinted({ iat: START, ext: START + 10 * 365 * DAY });
    const plain = createMagicAdmin({ secretKey: 'sk_test_123', clientId: AUD });
    await expect(plain.token.validate(token, { now: START_MS })).resolves.toBeDefined();
    await expect(
      plain.token.validate(V.VALID_DIDT, { clientId: null, now: START_MS }),
    ).resolves.toBeDefined();
    const { admin, store } = replayClient();
    await expect(admin.token.validate(token, { now: START_MS, consume: false })).resolves.toBeDefined();
    expect(store.size).toBe(0);
    // The spec's VALID_DIDT lives ten years: refused as a login under the default cap.
    await expect(admin.token.validate(V.VALID_DIDT, { clientId: null, now: START_MS })).rejects.toMatchObject(
      { code: 'ERR_CREDENTIAL_REJECTED' },
    );
  });

  it('refuses a replayMaxLifespan that is not a positive finite number (ERR_CONFIG)', () => {
    for (const replayMaxLifespan of [
      0,
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '900' as unknown as number,
    ]) {
      expect(() => createMagicAdmin({ secretKey: 'sk_test_123', replayMaxLifespan })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }),
      );
    }
  });

  it('a flood of self-minted tokens cannot hold a small memory store for longer than the cap', async () => {
    const { store, clock, login } = replayClient({ maxEntries: 5 });
    // Tokens years ahead: refused, none stored.
    for (let i = 0; i < 5; i++) {
      await expect(login(selfMinted({ iat: START, ext: START + 5 * 365 * DAY }))).rejects.toMatchObject({
        code: 'ERR_CREDENTIAL_REJECTED',
      });
    }
    expect(store.size).toBe(0);
    // The most a flood can do: fill the store with tokens at the cap.
    for (let i = 0; i < 5; i++) await login(selfMinted({ iat: START, ext: START + DAY }));
    const realUser = () =>
      login(selfMinted({ iat: Math.floor(clock.ms / 1000), ext: Math.floor(clock.ms / 1000) + 900 }));
    await expect(realUser()).rejects.toMatchObject({ code: 'ERR_STORE' });
    // The records last as long as the tokens could pass, plus the skew margin, and expire within the
    // cap plus that margin (and the second ext includes).
    clock.ms = START_MS + DAY * 1000 + DEFAULT_REPLAY_SKEW_MS;
    expect(store.size).toBe(5);
    clock.ms = START_MS + (DAY + 1) * 1000 + DEFAULT_REPLAY_SKEW_MS;
    expect(store.size).toBe(0);
    await expect(realUser()).resolves.toBeDefined();
  });
});

describe('replay records outlive the token by the clock-skew margin', () => {
  /** One shared store (as Redis would be) that keeps real time, and instances that judge by `skewMs` behind it. */
  function sharedStore(options: Partial<MagicAdminOptions> = {}) {
    const real = { ms: START_MS };
    const store = createMemoryStore({ now: () => real.ms });
    const admin = createMagicAdmin({
      secretKey: 'sk_test_123',
      clientId: AUD,
      replayStore: store,
      ...options,
    });
    const loginBehind = (token: string, skewMs: number) =>
      admin.token.validate(token, { now: real.ms - skewMs });
    return { real, store, loginBehind };
  }

  it('an instance whose clock is behind by less than the margin refuses the replay', async () => {
    const { real, loginBehind } = sharedStore();
    const token = selfMinted({ iat: START, ext: START + 900 });
    await loginBehind(token, 0);
    // Two seconds past ext by the real clock: an instance 10 s slow still reads 8 s before ext.
    real.ms = (START + 902) * 1000;
    const error = await errorOf(loginBehind(token, 10_000));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_REPLAYED')).toBe(true);
    // An instance a second less than the default margin (five minutes) behind, at the last moment it
    // still reads the token as live, finds the record too.
    const behind = DEFAULT_REPLAY_SKEW_MS - 1000;
    real.ms = (START + 901) * 1000 + behind - 1;
    await expect(loginBehind(token, behind)).rejects.toMatchObject({ code: 'ERR_CREDENTIAL_REPLAYED' });
  });

  it('follows a configured replaySkewMs, and refuses one that is not a whole number of ms', async () => {
    const { real, store, loginBehind } = sharedStore({ replaySkewMs: 20_000 });
    const token = selfMinted({ iat: START, ext: START + 900 });
    await loginBehind(token, 0);
    real.ms = (START + 901) * 1000 + 19_999;
    expect(store.size).toBe(1);
    real.ms = (START + 901) * 1000 + 20_000;
    expect(store.size).toBe(0);
    for (const replaySkewMs of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
      expect(() => createMagicAdmin({ secretKey: 'sk_test_123', replaySkewMs })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }),
      );
    }
  });
});
