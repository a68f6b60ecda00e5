import { describe, expect, expectTypeOf, it } from 'vitest';
import { createAuth } from './create-auth.js';
import { isAuthBridgeError } from './errors.js';
import type { AuthProvider, AuthResult, Challenge, ChallengeProvider } from './provider.js';

const tokenProvider: AuthProvider<'token', string, { scopes: string[] }> = {
  id: 'token',
  async verify(token) {
    return { provider: 'token', subject: `u:${token}`, claims: { scopes: ['username'] } };
  },
};

const calls: string[] = [];
const walletProvider = {
  id: 'wallet' as const,
  async verify(credential: {
    challengeId: string;
    signature: string;
  }): Promise<AuthResult<'wallet', { balance: number }>> {
    return { provider: 'wallet', subject: `ethereum:${credential.challengeId}`, claims: { balance: 1 } };
  },
  async createChallenge(input: { address: string }): Promise<Challenge<'wallet', { nonce: string }>> {
    calls.push(`challenge:${input.address}`);
    return { provider: 'wallet', id: 'challenge-1', message: 'Sign this', data: { nonce: 'n-1' } };
  },
  async logout(subject: string) {
    calls.push(`logout:${subject}`);
  },
};

describe('createAuth', () => {
  const auth = createAuth({ providers: [tokenProvider, walletProvider] });

  it('routes verify, createChallenge and logout to the provider named by id', async () => {
    expect(await auth.verify('token', 'abc')).toEqual({
      provider: 'token',
      subject: 'u:abc',
      claims: { scopes: ['username'] },
    });
    expect((await auth.verify('wallet', { challengeId: '0x1', signature: '0x2' })).subject).toBe(
      'ethereum:0x1',
    );
    expect((await auth.createChallenge('wallet', { address: '0x1' })).id).toBe('challenge-1');
    await auth.logout('wallet', 'ethereum:0x1');
    expect(calls).toEqual(['challenge:0x1', 'logout:ethereum:0x1']);
    expect(auth.ids).toEqual(['token', 'wallet']);
    expect(auth.get('token')).toBe(tokenProvider);
  });

  it('tells which steps each provider has', () => {
    expect(auth.has('wallet')).toBe(true);
    expect(auth.has('nope')).toBe(false);
    expect(auth.hasChallenge('wallet')).toBe(true);
    expect(auth.hasChallenge('token')).toBe(false);
    expect(auth.hasLogout('wallet')).toBe(true);
    expect(auth.hasLogout('token')).toBe(false);
  });

  it('rejects with ERR_CONFIG for unknown ids and missing steps, never throwing synchronously', async () => {
    const untyped = auth as unknown as {
      verify(id: string, credential: unknown): Promise<unknown>;
      createChallenge(id: string, input: unknown): Promise<unknown>;
      logout(id: string, subject: string): Promise<void>;
    };
    for (const call of [
      () => untyped.verify('nope', 'x'),
      () => untyped.createChallenge('token', {}),
      () => untyped.createChallenge('nope', {}),
      () => untyped.logout('token', 'subject'),
    ]) {
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = call();
      }).not.toThrow();
      expect(isAuthBridgeError(await pending?.catch((e: unknown) => e), 'ERR_CONFIG')).toBe(true);
    }
  });

  it('throws ERR_CONFIG for duplicate ids', () => {
    expect(() => createAuth({ providers: [tokenProvider, tokenProvider] })).toThrow(/Two providers/);
  });

  it('types the credential and claims by provider id', () => {
    expectTypeOf(auth.verify<'token'>)
      .parameter(1)
      .toEqualTypeOf<string>();
    expectTypeOf(auth.verify<'wallet'>)
      .parameter(1)
      .toEqualTypeOf<{ challengeId: string; signature: string }>();
    expectTypeOf(auth.verify<'wallet'>)
      .returns.resolves.toHaveProperty('claims')
      .toEqualTypeOf<{ balance: number }>();
    expectTypeOf(auth.createChallenge).parameter(0).toEqualTypeOf<'wallet'>();
    expectTypeOf(auth.createChallenge<'wallet'>)
      .returns.resolves.toHaveProperty('data')
      .toEqualTypeOf<{ nonce: string }>();
    const id = 'wallet' as 'token' | 'wallet';
    if (auth.hasChallenge(id)) expectTypeOf(id).toEqualTypeOf<'wallet'>();
    if (auth.hasLogout(id)) expectTypeOf(id).toEqualTypeOf<'wallet'>();
    // @ts-expect-error: a string credential is not a wallet credential.
    void (() => auth.verify('wallet', 'token'));
  });

  it('types a challenge credential as the challenge id and the answer, nothing the server issued', () => {
    // @ts-expect-error: the nonce is the server's; the credential names the challenge by id.
    void (() => auth.verify('wallet', { challengeId: 'c', signature: 's', nonce: 'n-1' }));
    // @ts-expect-error: a credential without the challenge id cannot answer a challenge.
    void (() => auth.verify('wallet', { signature: 's' }));
    // A provider with a challenge step whose credential does not name the challenge is not one.
    // @ts-expect-error: { nonce, signature } has no challengeId.
    expectTypeOf<ChallengeProvider<'x', { nonce: string; signature: string }>>().toBeObject();
    expectTypeOf<ChallengeProvider['verify']>().parameter(0).toEqualTypeOf<{ challengeId: string }>();
  });
});
