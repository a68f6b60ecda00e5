import { describe, expect, expectTypeOf, it } from 'vitest';
import { createAuth } from './create-auth.js';
import { InvalidCredentialError } from './errors.js';
import type { AuthProvider, AuthResult, AuthResultOf } from './provider.js';

interface TokenClaims {
  scopes: string[];
}
interface WalletClaims {
  chain: string;
}

function tokenProvider(): AuthProvider<'token', string, TokenClaims> {
  return {
    id: 'token',
    verify: async (token) => ({ provider: 'token', subject: token, claims: { scopes: [] } }),
    parseCredential(input) {
      if (typeof input !== 'string') throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', 'string');
      return input;
    },
  };
}

function walletProvider(): AuthProvider<'wallet', { challengeId: string; signature: string }, WalletClaims> {
  return {
    id: 'wallet',
    verify: async ({ signature }) => ({ provider: 'wallet', subject: signature, claims: { chain: 'eth' } }),
    parseCredential(input) {
      const value = input as { challengeId?: unknown; signature?: unknown };
      if (typeof value?.challengeId !== 'string' || typeof value.signature !== 'string')
        throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', 'shape');
      return { challengeId: value.challengeId, signature: value.signature };
    },
  };
}

describe('createAuth types', () => {
  const auth = createAuth({ providers: [tokenProvider(), walletProvider()] });

  it('a route with the id from a URL and the credential from a body compiles without a cast', () => {
    const route = async (params: Record<string, string>, body: { credential?: unknown }) => {
      const id = params.provider ?? '';
      if (!auth.has(id)) return undefined;
      const result = await auth.verify(id, auth.parseCredential(id, body.credential));
      if (result.provider === 'token') {
        expectTypeOf(result.claims).toEqualTypeOf<TokenClaims>();
      } else {
        expectTypeOf(result.provider).toEqualTypeOf<'wallet'>();
        expectTypeOf(result.claims).toEqualTypeOf<WalletClaims>();
      }
      return result;
    };
    expectTypeOf(route).returns.resolves.toEqualTypeOf<
      AuthResult<'token', TokenClaims> | AuthResult<'wallet', WalletClaims> | undefined
    >();
  });

  it('AuthResultOf is the union discriminated on provider', () => {
    type Result = AuthResultOf<ReturnType<typeof tokenProvider> | ReturnType<typeof walletProvider>>;
    expectTypeOf<Extract<Result, { provider: 'wallet' }>['claims']>().toEqualTypeOf<WalletClaims>();
  });

  it('still refuses a wrongly typed credential for a known id, and an unknown id', () => {
    // Only compiled: the calls are type errors, which is what this test checks.
    const compileOnly = () => {
      // @ts-expect-error: the token provider takes a string
      void auth.verify('token', { challengeId: 'x', signature: 'y' });
      // @ts-expect-error: no provider 'magic' is registered
      void auth.parseCredential('magic', 'x');
      // @ts-expect-error: an unchecked string is not a provider id
      void auth.verify('x' as string, auth.parseCredential('token', 'x'));
    };
    expectTypeOf(compileOnly).toBeFunction();
  });
});

describe('createAuth().parseCredential at runtime', () => {
  const auth = createAuth({ providers: [tokenProvider(), walletProvider()] });
  const noParser: AuthProvider<'bare', string, null> = {
    id: 'bare',
    verify: async (token) => ({ provider: 'bare', subject: token, claims: null }),
  };

  it("hands the input to the named provider's own parser", () => {
    expect(auth.parseCredential('token', 'abc')).toBe('abc');
    expect(auth.parseCredential('wallet', { challengeId: 'c', signature: 's', extra: 1 })).toEqual({
      challengeId: 'c',
      signature: 's',
    });
    expect(() => auth.parseCredential('wallet', 'abc')).toThrow(
      expect.objectContaining({ code: 'ERR_CREDENTIAL_MALFORMED' }),
    );
  });

  it('throws ERR_CONFIG for a provider without parseCredential', () => {
    const bare = createAuth({ providers: [noParser] });
    expect(() => bare.parseCredential('bare', 'abc')).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }),
    );
  });
});
