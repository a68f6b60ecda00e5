import { createAuth, isAuthBridgeError } from '@authbridge/core';
import { type DidTokenClaim, mintDidToken, signingKey } from '@authbridge/emulator';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { MAX_DID_TOKEN_CREDENTIAL_LENGTH, magic } from './provider.js';

const WEB = 'did:magic:web-app';
const MOBILE = 'did:magic:mobile-app';

function tokenFor(aud: string): string {
  const key = signingKey();
  const now = Math.floor(Date.now() / 1000);
  const claim: DidTokenClaim = {
    iat: now,
    ext: now + 900,
    iss: `did:ethr:${key.address}`,
    sub: 'user',
    aud,
    nbf: now,
    tid: crypto.randomUUID(),
    add: '0x00',
  };
  return mintDidToken(claim, key.privateKey);
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('magic() options for several Magic apps', () => {
  it('registers under a configured id, which AuthResult.provider names', async () => {
    const eu = magic({ id: 'magic-eu', secretKey: 'sk_test_eu', clientId: WEB });
    expectTypeOf(eu.id).toEqualTypeOf<'magic-eu'>();
    const result = await eu.verify(tokenFor(WEB));
    expectTypeOf(result.provider).toEqualTypeOf<'magic-eu'>();
    expect(result.provider).toBe('magic-eu');
    const auth = createAuth({ providers: [eu, magic({ secretKey: 'sk_test_us', clientId: MOBILE })] });
    expect(auth.ids).toEqual(['magic-eu', 'magic']);
  });

  it('refuses an empty or over-long id with ERR_CONFIG', () => {
    for (const id of ['', 'x'.repeat(65)]) {
      expect(() => magic({ id, secretKey: 'sk_test_eu', clientId: WEB })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }),
      );
    }
  });

  it('accepts tokens of any of several client ids, and refuses any other audience', async () => {
    const provider = magic({ secretKey: 'sk_test_1', clientId: [WEB, MOBILE] });
    expect((await provider.verify(tokenFor(WEB))).provider).toBe('magic');
    expect((await provider.verify(tokenFor(MOBILE))).provider).toBe('magic');
    const error = await errorOf(provider.verify(tokenFor('did:magic:other-app')));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_AUDIENCE')).toBe(true);
    expect(await provider.admin.getClientId()).toBe(WEB);
  });

  it('refuses an empty list of client ids, or one holding an empty id, with ERR_CONFIG', () => {
    for (const clientId of [[], [WEB, '']]) {
      expect(() => magic({ secretKey: 'sk_test_1', clientId })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }),
      );
    }
  });
});

describe('magic().parseCredential', () => {
  const provider = magic({ secretKey: 'sk_test_1', clientId: WEB });

  it('passes a DID token string through unchanged', () => {
    const token = tokenFor(WEB);
    expect(provider.parseCredential(token)).toBe(token);
  });

  it('refuses anything but a string of 1 to 8192 characters with ERR_CREDENTIAL_MALFORMED only', () => {
    const refused = (input: unknown) => {
      try {
        provider.parseCredential(input);
      } catch (error) {
        return isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED');
      }
      return false;
    };
    expect(refused('')).toBe(true);
    expect(refused('a'.repeat(MAX_DID_TOKEN_CREDENTIAL_LENGTH + 1))).toBe(true);
    expect(refused('a'.repeat(MAX_DID_TOKEN_CREDENTIAL_LENGTH))).toBe(false);
    fc.assert(
      fc.property(
        fc.anything().filter((value) => typeof value !== 'string'),
        (value) => refused(value),
      ),
      { numRuns: 300 },
    );
  });
});
