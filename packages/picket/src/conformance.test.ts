import { runProviderConformance } from '@authbridge/test-utils';
import { EVM_ADDRESS, EVM_EMPTY_ADDRESS, EVM_EMPTY_KEY, signEvm } from '../test/wallets.js';
import { picket } from './index.js';

const API_KEY = 'sk_test_emulator_simple';
const NFT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

/** A fresh login for a seeded wallet: a nonce from the emulator, signed as the wallet would. */
async function login(baseUrl: string, walletAddress = EVM_ADDRESS, key?: string) {
  const provider = picket({ apiKey: API_KEY, baseUrl: `${baseUrl}/api/v1` });
  const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress });
  return { chain: 'ethereum', walletAddress, signature: signEvm(challenge.message as string, key) };
}

runProviderConformance('picket', {
  emulator: 'picket',
  create: (_context, http) => picket({ apiKey: API_KEY, ...http, baseUrl: `${http.baseUrl}/api/v1` }),
  secrets: () => [API_KEY, btoa(`${API_KEY}:`)],
  validCredential: ({ baseUrl }) => login(baseUrl),
  expectedSubject: () => `ethereum:${EVM_ADDRESS}`,
  verifyPath: '/api/v1/auth',
  failures: [
    {
      name: 'a signature that is not hex',
      credential: () => ({ chain: 'ethereum', walletAddress: EVM_ADDRESS, signature: 'not-a-signature' }),
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
      name: 'a signature with no nonce issued',
      credential: () => ({
        chain: 'ethereum',
        walletAddress: '0x000000000000000000000000000000000000dEaD',
        signature: `0x${'11'.repeat(65)}`,
      }),
      code: 'ERR_CREDENTIAL_SIGNATURE',
    },
    {
      name: 'a wallet without the required tokens',
      credential: async ({ baseUrl }) => ({
        ...(await login(baseUrl, EVM_EMPTY_ADDRESS, EVM_EMPTY_KEY)),
        requirements: { contractAddress: NFT },
      }),
      code: 'ERR_CREDENTIAL_REJECTED',
    },
  ],
});
