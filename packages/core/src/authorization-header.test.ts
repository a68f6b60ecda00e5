import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_HEADER_MAX_LENGTH, parseAuthorizationHeader } from './authorization-header.js';
import { isAuthBridgeError } from './errors.js';

/** Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit makes only whole code points). */
const UTF16 = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const TOKEN = 'WyIweGFhNDE1YjEyMzQ1Njc4OTAiXQ==';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isAuthBridgeError(error)) {
      expect(error.message).not.toContain(TOKEN);
      return error.code;
    }
    throw error;
  }
  return undefined;
}

describe('parseAuthorizationHeader', () => {
  it('reads the token from a string, Headers, a Request and a Node header object', () => {
    expect(parseAuthorizationHeader(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(parseAuthorizationHeader(`bearer   ${TOKEN}  `)).toBe(TOKEN);
    expect(parseAuthorizationHeader(new Headers({ Authorization: `Bearer ${TOKEN}` }))).toBe(TOKEN);
    expect(
      parseAuthorizationHeader(new Request('http://x', { headers: { authorization: `Bearer ${TOKEN}` } })),
    ).toBe(TOKEN);
    expect(parseAuthorizationHeader({ headers: { authorization: `Bearer ${TOKEN}` } })).toBe(TOKEN);
    expect(parseAuthorizationHeader({ Authorization: `Bearer ${TOKEN}` })).toBe(TOKEN);
    expect(parseAuthorizationHeader({ headers: { authorization: [`Bearer ${TOKEN}`] } })).toBe(TOKEN);
  });

  it('accepts another scheme when asked', () => {
    expect(parseAuthorizationHeader(`Key ${TOKEN}`, 'Key')).toBe(TOKEN);
  });

  it('answers ERR_AUTH_HEADER_MISSING for no header or an empty one', () => {
    for (const source of [undefined, null, '', '   ', new Headers(), { headers: {} }]) {
      expect(codeOf(() => parseAuthorizationHeader(source))).toBe('ERR_AUTH_HEADER_MISSING');
    }
  });

  it('answers ERR_AUTH_HEADER_MALFORMED for a wrong scheme, no token, spaces or two headers', () => {
    for (const source of [
      `Basic ${TOKEN}`,
      'Bearer',
      'Bearer    ',
      `Bearer ${TOKEN} extra`,
      TOKEN,
      { headers: { authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] } },
    ]) {
      expect(codeOf(() => parseAuthorizationHeader(source))).toBe('ERR_AUTH_HEADER_MALFORMED');
    }
  });
});

describe('parseAuthorizationHeader is total and follows RFC 7230', () => {
  it('refuses a non-string header value with ERR_AUTH_HEADER_MALFORMED, not a TypeError', () => {
    for (const source of [
      { authorization: 42 },
      { headers: { authorization: { toString: () => 'x' } } },
      { headers: { authorization: [7] } },
      12 as unknown,
    ]) {
      expect(codeOf(() => parseAuthorizationHeader(source as never))).toBe('ERR_AUTH_HEADER_MALFORMED');
    }
  });

  it('strips only space and tab, and refuses control characters anywhere', () => {
    expect(parseAuthorizationHeader(`\t Bearer ${TOKEN}\t `)).toBe(TOKEN);
    for (const source of [
      `\nBearer ${TOKEN}`,
      `Bearer ${TOKEN}\r\n`,
      `Bearer ${TOKEN}\u0000`,
      `Bearer\t${TOKEN}`,
      `Bearer ${TOKEN.slice(0, 4)}\u000b${TOKEN.slice(4)}`,
      `\u000cBearer ${TOKEN}`,
      `Bearer ${TOKEN}\u007f`,
    ]) {
      expect(codeOf(() => parseAuthorizationHeader(source))).toBe('ERR_AUTH_HEADER_MALFORMED');
    }
  });

  it('refuses a header longer than AUTHORIZATION_HEADER_MAX_LENGTH before reading it', () => {
    const long = `Bearer ${'a'.repeat(AUTHORIZATION_HEADER_MAX_LENGTH)}`;
    expect(codeOf(() => parseAuthorizationHeader(long))).toBe('ERR_AUTH_HEADER_MALFORMED');
    const spaces = ' '.repeat(AUTHORIZATION_HEADER_MAX_LENGTH + 1);
    expect(codeOf(() => parseAuthorizationHeader(spaces))).toBe('ERR_AUTH_HEADER_MALFORMED');
  });

  it('property: any value throws nothing but an AuthBridgeError', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 64 }),
      fc.string({ unit: UTF16, maxLength: 64 }),
      fc.anything(),
    );
    const source = fc.oneof(
      value,
      fc.record({ authorization: value }),
      fc.record({ headers: fc.record({ authorization: value }) }),
    );
    fc.assert(
      fc.property(source, (s) => {
        try {
          parseAuthorizationHeader(s as never);
        } catch (error) {
          expect(isAuthBridgeError(error), String(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: a token68 round-trips through any scheme case and space or tab padding', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,40}={0,2}$/);
    const ows = fc.stringMatching(/^[ \t]{0,3}$/);
    fc.assert(
      fc.property(
        token,
        ows,
        ows,
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (t, left, right, gap, upper) => {
          const header = `${left}${upper ? 'BEARER' : 'bearer'}${' '.repeat(gap)}${t}${right}`;
          expect(parseAuthorizationHeader(header)).toBe(t);
        },
      ),
      { numRuns: 300 },
    );
  });
});
