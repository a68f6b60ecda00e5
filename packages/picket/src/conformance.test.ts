import { createMemoryStore } from '@authbridge/core';
import { runProviderConformance } from '@authbridge/test-utils';
import { EVM_ADDRESS, EVM_EMPTY_ADDRESS, EVM_EMPTY_KEY, signEvm } from '../test/wallets.js';
import { type AuthRequirements, picket } from './index.js';

const API_KEY = 'sk_test_emulator_simple';
const NFT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
// Shared by every instance below, as a Redis store is shared by an app's instances.
const challengeStore = createMemoryStore();

const provider = (baseUrl: string) =>
  picket({ apiKey: API_KEY, baseUrl: `${baseUrl}/api/v1`, challengeStore });

/** A fresh login for a seeded wallet: a challenge from the server, signed as the wallet would. */
async function answered(
  baseUrl: string,
  walletAddress = EVM_ADDRESS,
  key?: string,
  requirements?: AuthRequirements,
) {
  const challenge = await provider(baseUrl).createChallenge({
    chain: 'ethereum',
    walletAddress,
    requirements,
  });
  return {
    challenge,
    credential: { challengeId: challenge.id, signature: signEvm(challenge.message as string, key) },
  };
}
const login = async (
  baseUrl: string,
  walletAddress?: string,
  key?: string,
  requirements?: AuthRequirements,
) => (await answered(baseUrl, walletAddress, key, requirements)).credential;

runProviderConformance('picket', {
  emulator: 'picket',
  create: (_context, http) =>
    picket({ apiKey: API_KEY, ...http, baseUrl: `${http.baseUrl}/api/v1`, challengeStore }),
  secrets: () => [API_KEY, btoa(`${API_KEY}:`)],
  validCredential: ({ baseUrl }) => login(baseUrl),
  expectedSubject: () => `ethereum:${EVM_ADDRESS}`,
  verifyPath: '/api/v1/auth',
  challenge: { answered: ({ baseUrl }) => answered(baseUrl) },
  failures: [
    {
      name: 'a signature that is not hex',
      credential: async ({ baseUrl }) => ({ ...(await login(baseUrl)), signature: 'not-a-signature' }),
      code: 'ERR_CREDENTIAL_MALFORMED',
    },
    {
      name: "another wallet's signature",
      credential: async ({ baseUrl }) => ({
        ...(await login(baseUrl)),
        signature: (await login(baseUrl, EVM_EMPTY_ADDRESS, EVM_EMPTY_KEY)).signature,
      }),
      code: 'ERR_CREDENTIAL_SIGNATURE',
    },
    {
      name: 'a challenge id this server never issued',
      credential: () => ({ challengeId: 'AAAAAAAAAAAAAAAAAAAAAA', signature: `0x${'11'.repeat(65)}` }),
      code: 'ERR_CREDENTIAL_CHALLENGE',
    },
    {
      name: 'a credential that carries the chain and wallet itself',
      credential: async ({ baseUrl }) =>
        ({ ...(await login(baseUrl)), chain: 'ethereum', walletAddress: EVM_ADDRESS }) as never,
      code: 'ERR_CREDENTIAL_MALFORMED',
    },
    {
      name: 'a wallet without the tokens the challenge requires',
      credential: ({ baseUrl }) => login(baseUrl, EVM_EMPTY_ADDRESS, EVM_EMPTY_KEY, { contractAddress: NFT }),
      code: 'ERR_CREDENTIAL_REJECTED',
    },
  ],
});
