import { runProviderConformance } from '@authbridge/test-utils';
import { pi } from './pi.js';

interface PiFixtures {
  apiKey: string;
  users: Record<string, { uid: string; accessToken: string }>;
}
const fixtures = (context: { emulator: { fixtures: Record<string, unknown> } }) =>
  context.emulator.fixtures.pi as PiFixtures;

runProviderConformance('pi', {
  emulator: 'pi',
  verifyPath: '/v2/me',
  create: (context, http) => pi({ apiKey: fixtures(context).apiKey, ...http }),
  secrets: (context) => [fixtures(context).apiKey],
  validCredential: (context) => fixtures(context).users.alice!.accessToken,
  expectedSubject: (context) => fixtures(context).users.alice!.uid,
  failures: [
    {
      name: 'an unknown token',
      credential: () => 'never-issued-token-0123456789abcdef',
      code: 'ERR_CREDENTIAL_REJECTED',
    },
    { name: 'an empty token', credential: () => '', code: 'ERR_CREDENTIAL_MALFORMED' },
    {
      name: 'a "Bearer " prefixed token',
      credential: (c) => `Bearer ${fixtures(c).users.alice!.accessToken}`,
      code: 'ERR_CREDENTIAL_MALFORMED',
    },
    {
      name: 'an expired token',
      credential: async (context) => {
        const response = await fetch(`${context.baseUrl}/_emulator/tokens`, {
          method: 'POST',
          body: JSON.stringify({ username: 'alice', ttlSec: -60 }),
        });
        return ((await response.json()) as { accessToken: string }).accessToken;
      },
      code: 'ERR_CREDENTIAL_REJECTED',
    },
  ],
});
