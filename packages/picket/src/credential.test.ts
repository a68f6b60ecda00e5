import { runCredentialParserSuite } from '@authbridge/test-utils';
import { parsePicketCredential } from './credential.js';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';

runCredentialParserSuite('parsePicketCredential', parsePicketCredential, {
  accepted: [{ challengeId: ID, signature: '0xabcdef' }],
  // Fields the server holds, a malformed challenge id, wrong types.
  refused: [
    { challengeId: ID, signature: '0xab', walletAddress: '0x1' },
    { challengeId: ID, signature: '0xab', context: { domain: 'evil.example' } },
    { challengeId: 'short', signature: '0xab' },
    { challengeId: ID, signature: '' },
    { challengeId: ID, signature: 'x'.repeat(1025) },
    { challengeId: ID },
    'string',
    null,
    [ID, '0xab'],
  ],
});
