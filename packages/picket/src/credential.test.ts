import { isAuthBridgeError } from '@authbridge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePicketCredential } from './credential.js';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const GOOD = [{ challengeId: ID, signature: '0xabcdef' }];
const BAD: unknown[] = [
  { challengeId: ID, signature: '0xab', walletAddress: '0x1' },
  { challengeId: ID, signature: '0xab', context: { domain: 'evil.example' } },
  { challengeId: 'short', signature: '0xab' },
  { challengeId: ID, signature: '' },
  { challengeId: ID, signature: 'x'.repeat(1025) },
  { challengeId: ID },
  'string',
  null,
  [ID, '0xab'],
];

function refused(input: unknown): boolean {
  try {
    parsePicketCredential(input);
  } catch (error) {
    return isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED');
  }
  return false;
}

describe('parsePicketCredential', () => {
  it('passes a well-formed credential through', () => {
    for (const credential of GOOD) expect(parsePicketCredential(credential)).toEqual(credential);
  });

  it('refuses a credential with fields the server holds, a malformed id, or a wrong type', () => {
    for (const input of BAD) expect(refused(input), JSON.stringify(input)).toBe(true);
  });

  it('throws nothing but ERR_CREDENTIAL_MALFORMED, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          parsePicketCredential(input);
        } catch (error) {
          expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
