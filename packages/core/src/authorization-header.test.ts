import { describe, expect, it } from 'vitest';
import { parseAuthorizationHeader } from './authorization-header.js';
import { isAuthBridgeError } from './errors.js';

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
