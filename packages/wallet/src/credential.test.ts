import { runCredentialParserSuite } from '@authbridge/test-utils';
import { expect, it } from 'vitest';
import { parseWalletCredential } from './credential.js';
import { wallet } from './wallet.js';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const SIGNATURE = `0x${'ab'.repeat(65)}`;

runCredentialParserSuite('parseWalletCredential', parseWalletCredential, {
  accepted: [
    { challengeId: ID, message: 'example.com wants you to sign in', signature: SIGNATURE },
    {
      challengeId: ID,
      message: 'm',
      signature: '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW',
    },
  ],
  // Fields the server holds, a malformed challenge id, empty or over-long strings, wrong types.
  refused: [
    { challengeId: ID, message: 'm', signature: SIGNATURE, chain: 'eip155:1' },
    { challengeId: ID, message: 'm', signature: SIGNATURE, nonce: 'abc' },
    { challengeId: 'bad id!', message: 'm', signature: SIGNATURE },
    { challengeId: ID, message: '', signature: SIGNATURE },
    { challengeId: ID, message: 'm', signature: '' },
    { challengeId: ID, message: 'x'.repeat(16_385), signature: SIGNATURE },
    { challengeId: ID, message: 'm', signature: 'x'.repeat(16_385) },
    { challengeId: ID, message: 'm', signature: 42 },
    { challengeId: ID, message: 'm' },
    'credential',
    undefined,
  ],
});

it('is the provider parseCredential', () => {
  expect(wallet({ domain: 'example.com' }).parseCredential).toBe(parseWalletCredential);
});
