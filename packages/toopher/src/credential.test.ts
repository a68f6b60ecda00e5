import { isAuthBridgeError } from '@authbridge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseToopherCredential } from './credential.js';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const GOOD = [
  { challengeId: ID },
  { challengeId: ID, postback: { toopher_sig: 'x', id: 'y' } },
  { challengeId: ID, postback: 'a=b&c=d' },
];
const BAD: unknown[] = [
  { challengeId: ID, authenticationRequestId: 'abc' },
  { challengeId: ID, username: 'alice' },
  { challengeId: 'bad id!' },
  { challengeId: ID, postback: { nested: { a: 1 } } },
  { challengeId: ID, postback: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, 'v'])) },
  { challengeId: ID, postback: 'x'.repeat(8193) },
  42,
  undefined,
];

function refused(input: unknown): boolean {
  try {
    parseToopherCredential(input);
  } catch (error) {
    return isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED');
  }
  return false;
}

describe('parseToopherCredential', () => {
  it('passes a well-formed credential through', () => {
    for (const credential of GOOD) expect(parseToopherCredential(credential)).toEqual(credential);
  });

  it('refuses a credential with fields the server holds, a malformed id, or a wrong type', () => {
    for (const input of BAD) expect(refused(input), JSON.stringify(input)).toBe(true);
  });

  it('throws nothing but ERR_CREDENTIAL_MALFORMED, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          parseToopherCredential(input);
        } catch (error) {
          expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
