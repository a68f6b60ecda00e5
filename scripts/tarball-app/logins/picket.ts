import type { AuthResult } from '@authbridge/core';
import type { Emulator } from '@authbridge/emulator';
import { picket } from '@authbridge/picket';

/** A nonce, a seeded wallet's signature (the emulator signs as the browser wallet would), a login. */
export default async function login(emulator: Emulator): Promise<AuthResult<string, unknown>> {
  const fixtures = emulator.fixtures.picket;
  const project = fixtures?.projects.find((p) => p.format === 'simple');
  const wallet = fixtures?.wallets.find((w) => w.chain === 'ethereum' && w.privateKey !== undefined);
  if (!emulator.urls.picket || !project || !wallet) throw new Error('the Picket emulator is not mounted');
  // emulator.urls.picket is the baseUrl, as for every provider.
  const provider = picket({ apiKey: project.secretKey, baseUrl: emulator.urls.picket });
  const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: wallet.address });
  const signed = await fetch(`${emulator.urls.picket}/_emulator/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ walletAddress: wallet.address, message: challenge.message }),
  });
  const { signature } = (await signed.json()) as { signature: string };
  const result = await provider.verify({ chain: 'ethereum', walletAddress: wallet.address, signature });
  if (result.subject !== `ethereum:${wallet.address}`) throw new Error(`Picket: subject ${result.subject}`);
  return result;
}
