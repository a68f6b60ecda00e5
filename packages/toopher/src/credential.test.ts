import { runCredentialParserSuite } from '@authbridge/test-utils';
import { parseToopherCredential } from './credential.js';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';

runCredentialParserSuite('parseToopherCredential', parseToopherCredential, {
  accepted: [
    { challengeId: ID },
    { challengeId: ID, postback: { toopher_sig: 'x', id: 'y' } },
    { challengeId: ID, postback: 'a=b&c=d' },
  ],
  // Fields the server holds, a malformed challenge id, wrong types.
  refused: [
    { challengeId: ID, authenticationRequestId: 'abc' },
    { challengeId: ID, username: 'alice' },
    { challengeId: 'bad id!' },
    { challengeId: ID, postback: { nested: { a: 1 } } },
    { challengeId: ID, postback: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, 'v'])) },
    { challengeId: ID, postback: 'x'.repeat(8193) },
    42,
    undefined,
  ],
});
