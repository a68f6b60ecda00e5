import { isAuthBridgeError } from '@authbridge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toopherIframe } from './iframe.js';
import { P1, P1_SIG } from './postback-p1.fixture.js';

const SECRET = 'hijklmnop';
const iframe = toopherIframe({ consumerKey: 'abcdefg', consumerSecret: SECRET, now: () => 1_000_000 });

// The spec's P1 vector fixes the algorithm; the fuzzing mutates it.
const fields = P1;
const VALID = `${new URLSearchParams(fields).toString()}&toopher_sig=${encodeURIComponent(P1_SIG)}`;

describe('postback fuzzing', () => {
  it('the untouched P1 postback is granted (the baseline the properties perturb)', () => {
    expect(iframe.isAuthenticationGranted(VALID, { requestToken: 's9s7vsb' })).toBe(true);
  });

  it('any change to any signed field fails with a typed credential error', () => {
    fc.assert(
      fc.property(
        fc.nat(fields.length - 1),
        fc.string({ minLength: 0, maxLength: 20 }),
        (index, replacement) => {
          const [name, original] = fields[index] as [string, string];
          fc.pre(replacement !== original);
          const changed = fields.map(([n, v]) => [n, n === name ? replacement : v] as [string, string]);
          const data = `${new URLSearchParams(changed).toString()}&toopher_sig=${encodeURIComponent(P1_SIG)}`;
          let error: unknown;
          try {
            iframe.processPostback(data);
          } catch (e) {
            error = e;
          }
          expect(isAuthBridgeError(error), `${name}=${replacement}`).toBe(true);
          expect((error as { code: string }).code).toMatch(/^ERR_CREDENTIAL_(SIGNATURE|EXPIRED|MALFORMED)$/);
          expect(iframe.isAuthenticationGranted(data)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('an added field, or any change to the signature, fails too', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z_]{1,12}$/), fc.string({ maxLength: 10 }), (name, value) => {
        fc.pre(!fields.some(([n]) => n === name) && name !== 'toopher_sig' && name !== 'error_code');
        expect(
          iframe.isAuthenticationGranted(`${VALID}&${new URLSearchParams([[name, value]]).toString()}`),
        ).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.base64String({ minLength: 4, maxLength: 28 }), (sig) => {
        fc.pre(sig !== 's+fYUtChrNMjES5Xa+755H7BQKE=');
        const data = `${new URLSearchParams(fields).toString()}&toopher_sig=${encodeURIComponent(sig)}`;
        expect(() => iframe.processPostback(data)).toThrow(
          expect.objectContaining({ code: 'ERR_CREDENTIAL_SIGNATURE' }),
        );
      }),
    );
  });
});
