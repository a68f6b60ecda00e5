import type { EvmFixtures } from '@authbridge/emulator';
import { runProviderConformance } from '@authbridge/test-utils';
import { evmKey, personalSign } from '../test/keys.js';
import { type WalletProvider, wallet } from './index.js';

// The emulator's JSON-RPC node holds one ERC-1271 smart account: a valid login is that account's,
// so that verify goes over HTTP (the suite checks the injected fetch, aborts and timeouts there).
const fixturesOf = (fixtures: unknown) => fixtures as EvmFixtures;
let provider: WalletProvider | undefined;

async function login(p: WalletProvider, account: string, key: string) {
  const challenge = await p.createChallenge({ address: account });
  const message = challenge.message as string;
  return { challengeId: challenge.id, message, signature: personalSign(message, key) };
}

runProviderConformance<WalletProvider>('wallet', {
  emulator: 'evm',
  create: ({ emulator }, { baseUrl, ...http }) => {
    const { chainId } = fixturesOf(emulator.fixtures.evm);
    provider = wallet({ domain: 'app.example', chainIds: [chainId], rpc: { [chainId]: baseUrl }, ...http });
    return provider;
  },
  // Challenges live in the provider that issued them: each credential is issued by the provider under test.
  validCredential: ({ emulator }) => {
    const { smartAccount, ownerKey } = fixturesOf(emulator.fixtures.evm);
    return login(provider as WalletProvider, smartAccount, ownerKey);
  },
  expectedSubject: ({ emulator }) => {
    const { chainId, smartAccount } = fixturesOf(emulator.fixtures.evm);
    return `eip155:${chainId}:${smartAccount}`;
  },
  verifyPath: '/',
  failures: [
    {
      name: 'a challenge id that was never issued',
      credential: async ({ emulator }) => ({
        ...(await login(
          provider as WalletProvider,
          fixturesOf(emulator.fixtures.evm).smartAccount,
          evmKey().privateKey,
        )),
        challengeId: 'AAAAAAAAAAAAAAAAAAAAAA',
      }),
      code: 'ERR_CREDENTIAL_CHALLENGE',
    },
    {
      name: "a signature by a key that is not the smart account's owner",
      credential: ({ emulator }) =>
        login(
          provider as WalletProvider,
          fixturesOf(emulator.fixtures.evm).smartAccount,
          evmKey().privateKey,
        ),
      code: 'ERR_CREDENTIAL_SIGNATURE',
    },
    {
      name: 'a signature that is not hex',
      credential: async ({ emulator }) => ({
        ...(await login(
          provider as WalletProvider,
          fixturesOf(emulator.fixtures.evm).smartAccount,
          evmKey().privateKey,
        )),
        signature: 'not-a-signature-at-all',
      }),
      code: 'ERR_CREDENTIAL_MALFORMED',
    },
    {
      name: 'a message signed for another domain',
      credential: async ({ emulator }) => {
        const { smartAccount, ownerKey } = fixturesOf(emulator.fixtures.evm);
        const honest = await login(provider as WalletProvider, smartAccount, ownerKey);
        const message = honest.message.replace('app.example wants', 'evil.example wants');
        return { ...honest, message, signature: personalSign(message, ownerKey) };
      },
      code: 'ERR_CREDENTIAL_DOMAIN',
    },
  ],
});
