import { createAuth } from '@authbridge/core';
import { type MagicClaims, magic } from '@authbridge/magic';
import { type PiClaims, pi } from '@authbridge/pi';
import { describe, expect, expectTypeOf, it } from 'vitest';

// Compiled under the repository's `strict` tsconfig: this file holds no cast.
const auth = createAuth({
  providers: [
    magic({ secretKey: 'sk_test_types', clientId: 'did:magic:types' }),
    magic({
      id: 'magic-eu',
      secretKey: 'sk_test_types_eu',
      clientId: ['did:magic:eu-web', 'did:magic:eu-app'],
    }),
    pi({ apiKey: 'pi_types_key', cache: false }),
  ],
});

/** A generic login route: the provider id from the URL, the credential from the JSON body. */
async function loginRoute(params: { provider: string }, body: { credential?: unknown }) {
  if (!auth.has(params.provider)) return { status: 404 as const };
  const result = await auth.verify(params.provider, auth.parseCredential(params.provider, body.credential));
  switch (result.provider) {
    case 'pi':
      expectTypeOf(result.claims).toEqualTypeOf<PiClaims>();
      return { status: 200 as const, scopes: result.claims.scopes };
    case 'magic':
    case 'magic-eu':
      expectTypeOf(result.claims).toEqualTypeOf<MagicClaims>();
      return { status: 200 as const, issuer: result.claims.iss };
  }
}

describe('types of a generic login route over real providers', () => {
  it('narrows the id from a URL parameter, parses the body credential, and narrows claims by provider', async () => {
    expectTypeOf(auth.ids).toEqualTypeOf<readonly ('magic' | 'magic-eu' | 'pi')[]>();
    expect(await loginRoute({ provider: 'nope' }, {})).toEqual({ status: 404 });
    // A malformed credential is refused by the provider's own schema before any network call.
    await expect(loginRoute({ provider: 'pi' }, { credential: 42 })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_MALFORMED',
    });
    await expect(loginRoute({ provider: 'magic-eu' }, { credential: { token: 'x' } })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_MALFORMED',
    });
  });

  it('refuses, at compile time, an unchecked id and a credential of the wrong type', () => {
    const compileOnly = (id: string) => {
      // @ts-expect-error: an unchecked string is not a registered id
      void auth.verify(id, 'token');
      // @ts-expect-error: Magic's credential is a string
      void auth.verify('magic', { didToken: 'x' });
      // @ts-expect-error: `magic-us` is not registered
      void auth.get('magic-us');
    };
    expectTypeOf(compileOnly).toBeFunction();
  });
});
