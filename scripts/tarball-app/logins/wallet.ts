import type { AuthResult } from '@authbridge/core';
import type { Emulator } from '@authbridge/emulator';
import { wallet } from '@authbridge/wallet';

/**
 * Self-hosted Sign-In with Ethereum: an address-bound challenge, the EIP-191 signature of a seeded
 * wallet (the Picket emulator signs as the browser wallet would), and a local verify: no provider API.
 */
export default async function login(emulator: Emulator): Promise<AuthResult<string, unknown>> {
  const signer = emulator.fixtures.picket?.wallets.find((w) => w.chain === 'ethereum' && w.privateKey);
  if (!emulator.urls.picket || !signer)
    throw new Error('the Picket emulator (the signing wallet) is not mounted');
  const provider = wallet({ domain: 'app.example.com', chains: ['eip155:1'] });
  const challenge = await provider.createChallenge({ chain: 'eip155:1', address: signer.address });
  if (!challenge.message) throw new Error('wallet: an address-bound challenge has no message');
  const signed = await fetch(`${emulator.urls.picket}/_emulator/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ walletAddress: signer.address, message: challenge.message }),
  });
  const { signature } = (await signed.json()) as { signature: string };
  const result = await provider.verify({ challengeId: challenge.id, message: challenge.message, signature });
  if (result.subject !== `eip155:1:${signer.address}`) throw new Error(`wallet: subject ${result.subject}`);
  return result;
}
