import { isAuthBridgeError } from '@authbridge/core';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVM_ADDRESS, EVM_EMPTY_ADDRESS, EVM_EMPTY_KEY, SOLANA_ADDRESS, signEvm, signSolana } from '../test/wallets.js';
import { picket } from './index.js';

const SIMPLE_KEY = 'sk_test_emulator_simple';
const SIWE_KEY = 'sk_test_emulator_siwe';
const NFT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const MINT = 'EmuMint1111111111111111111111111111111111111';

let emulator: Emulator;
let baseUrl: string;

beforeAll(async () => {
  emulator = await startEmulator({ providers: ['picket'] });
  baseUrl = `${emulator.urls.picket}/api/v1`;
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const client = (apiKey = SIMPLE_KEY) => picket({ apiKey, baseUrl, retry: false });

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('picket against the emulator: simple format', () => {
  it('signs in an EVM wallet with a token requirement and validates the token', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    expect(challenge.message).toBe(`Sign in with your wallet\n\nAddress: ${EVM_ADDRESS}\nNonce: ${challenge.id}`);
    const result = await provider.verify({
      chain: 'ethereum',
      walletAddress: EVM_ADDRESS,
      signature: signEvm(challenge.message as string),
      requirements: { contractAddress: NFT, minTokenBalance: 2 },
    });
    expect(result.subject).toBe(`ethereum:${EVM_ADDRESS}`);
    expect(result.wallet).toEqual({ chain: 'ethereum', address: EVM_ADDRESS });
    expect(result.claims.displayAddress).toBe('emulator-holder.eth');
    expect(result.claims.tokenBalances).toEqual({ contractAddress: { [NFT]: '3' } });
    expect(result.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect(JSON.stringify(result)).not.toContain(result.claims.accessToken);

    const again = await provider.verifyAccessToken(result.claims.accessToken);
    expect(again.subject).toBe(result.subject);
    expect(again.claims.aud).toBe('53e74bdf-6e6e-4f31-b0d1-ceda189a6a25');
  });

  it('signs in a Solana wallet', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'solana', walletAddress: SOLANA_ADDRESS });
    const result = await provider.verify({
      chain: 'solana',
      walletAddress: SOLANA_ADDRESS,
      signature: signSolana(challenge.message as string),
      requirements: { tokenIds: [MINT], minTokenBalance: '2' },
    });
    expect(result.subject).toBe(`solana:${SOLANA_ADDRESS}`);
    expect(result.claims.tokenIds).toEqual([MINT]);
  });

  it('rejects a wrong signature with ERR_CREDENTIAL_SIGNATURE and keeps the nonce', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    const error = await errorOf(
      provider.verify({ chain: 'ethereum', walletAddress: EVM_ADDRESS, signature: signEvm(challenge.message as string, EVM_EMPTY_KEY) }),
    );
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
    expect((error as { status: number }).status).toBe(401);
    const retry = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    expect(retry.id).toBe(challenge.id);
  });

  it('a nonce used once cannot be used again', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    const credential = { chain: 'ethereum', walletAddress: EVM_ADDRESS, signature: signEvm(challenge.message as string) };
    await provider.verify(credential);
    const error = await errorOf(provider.verify(credential));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
    const next = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    expect(next.id).not.toBe(challenge.id);
  });

  it('of concurrent logins with one nonce exactly one succeeds', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    const credential = { chain: 'ethereum', walletAddress: EVM_ADDRESS, signature: signEvm(challenge.message as string) };
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => provider.verify(credential)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(isAuthBridgeError(o.reason, 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
    }
  });

  it('a nonce expires after two minutes', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    emulator.clock.advance(121_000);
    const error = await errorOf(
      provider.verify({ chain: 'ethereum', walletAddress: EVM_ADDRESS, signature: signEvm(challenge.message as string) }),
    );
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
  });

  it('fails token gating with ERR_CREDENTIAL_REJECTED, but the allow-list is ORed in', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_EMPTY_ADDRESS });
    const credential = {
      chain: 'ethereum',
      walletAddress: EVM_EMPTY_ADDRESS,
      signature: signEvm(challenge.message as string, EVM_EMPTY_KEY),
    };
    const error = await errorOf(provider.verify({ ...credential, requirements: { contractAddress: NFT } }));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    expect((error as { providerCode: string }).providerCode).toBe('permission_denied');
    const result = await provider.verify({
      ...credential,
      requirements: { contractAddress: NFT, allowedWallets: [EVM_EMPTY_ADDRESS.toLowerCase()] },
    });
    expect(result.subject).toBe(`ethereum:${EVM_EMPTY_ADDRESS}`);
  });
});
