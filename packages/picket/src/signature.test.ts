import { isAuthBridgeError } from '@authbridge/core';
import { base58 } from '@scure/base';
import { describe, expect, it, vi } from 'vitest';
import type { Erc1271Provider } from './evm.js';
import { chainTypeOf, verifyWalletSignature } from './signature.js';

// picket.md §8.3: the simple message signed by Hardhat account #0.
const EVM_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const EVM_MESSAGE =
  'Sign in with your wallet\n\nAddress: 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\nNonce: a1b2c3d4e5f6a7b8';
const EVM_SIGNATURE =
  '0x4c60594ca509b229d60e189dad7a7b76e2841fbda74d88ee95eab25e6edbc59655f3762e344ba12c81ef14bd0cd4965595e1c65b35d0d8b7c17514807c9e1f571c';
// wallet-standards.md §5: RFC 8032 §7.1 test 2 (message 0x72 = "r").
const SOLANA_ADDRESS = '586Z7H2vpX9qNhN2T4e9Utugie3ogjbxzGaMtM3E6HR5';
const SOLANA_SIGNATURE = base58.encode(
  Buffer.from(
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    'hex',
  ),
);

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (isAuthBridgeError(error) ? error.code : String(error)),
  );
}

describe('chainTypeOf', () => {
  it.each([
    ['ethereum', 'ethereum'],
    ['polygon', 'ethereum'],
    ['optimism', 'ethereum'],
    ['arbitrum', 'ethereum'],
    ['avalanche', 'ethereum'],
    ['solana', 'solana'],
    ['flow', 'flow'],
  ])('%s is %s', (chain, type) => {
    expect(chainTypeOf(chain)).toBe(type);
  });

  it('treats any other slug as an EVM chain, as documented (slugs are exact, lower case)', () => {
    expect(chainTypeOf('base')).toBe('ethereum');
    expect(chainTypeOf('Solana')).toBe('ethereum');
  });
});

describe('verifyWalletSignature', () => {
  it('verifies personal_sign on EVM chains', async () => {
    for (const chain of ['ethereum', 'polygon', 'arbitrum']) {
      await expect(
        verifyWalletSignature({
          chain,
          walletAddress: EVM_ADDRESS,
          message: EVM_MESSAGE,
          signature: EVM_SIGNATURE,
        }),
      ).resolves.toBeUndefined();
    }
    expect(
      await codeOf(
        verifyWalletSignature({
          chain: 'ethereum',
          walletAddress: EVM_ADDRESS,
          message: `${EVM_MESSAGE}!`,
          signature: EVM_SIGNATURE,
        }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('verifies ed25519 on solana', async () => {
    const input = { chain: 'solana', walletAddress: SOLANA_ADDRESS, signature: SOLANA_SIGNATURE };
    await expect(verifyWalletSignature({ ...input, message: 'r' })).resolves.toBeUndefined();
    expect(await codeOf(verifyWalletSignature({ ...input, message: 's' }))).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('dispatches by the chain name: a credential checked as the other family is malformed', async () => {
    expect(
      await codeOf(
        verifyWalletSignature({
          chain: 'solana',
          walletAddress: EVM_ADDRESS,
          message: EVM_MESSAGE,
          signature: EVM_SIGNATURE,
        }),
      ),
    ).toBe('ERR_CREDENTIAL_MALFORMED');
    expect(
      await codeOf(
        verifyWalletSignature({
          chain: 'ethereum',
          walletAddress: SOLANA_ADDRESS,
          message: 'r',
          signature: SOLANA_SIGNATURE,
        }),
      ),
    ).toBe('ERR_CREDENTIAL_MALFORMED');
  });

  it('passes the provider to the ERC-1271 check on EVM chains only', async () => {
    const call = vi.fn<Erc1271Provider['call']>(async () => `0x1626ba7e${'0'.repeat(56)}`);
    const other = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
    await verifyWalletSignature({
      chain: 'polygon',
      walletAddress: other,
      message: EVM_MESSAGE,
      signature: EVM_SIGNATURE,
      provider: { call },
    });
    expect(call).toHaveBeenCalledTimes(1);
    expect(call.mock.calls[0]?.[0].to).toBe(other);
    expect(
      await codeOf(
        verifyWalletSignature({
          chain: 'solana',
          walletAddress: SOLANA_ADDRESS,
          message: 's',
          signature: SOLANA_SIGNATURE,
          provider: { call },
        }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('refuses Flow with ERR_CONFIG: its keys live on chain', async () => {
    const error = await verifyWalletSignature({
      chain: 'flow',
      walletAddress: '0x01cf0e2f2f715450',
      message: 'm',
      signature: 'abcd',
    }).catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_CONFIG')).toBe(true);
    expect((error as Error).message).toContain('Flow');
  });

  it('checks an unknown slug as EVM (documented): an EVM credential passes, a Solana one is malformed', async () => {
    await expect(
      verifyWalletSignature({
        chain: 'base',
        walletAddress: EVM_ADDRESS,
        message: EVM_MESSAGE,
        signature: EVM_SIGNATURE,
      }),
    ).resolves.toBeUndefined();
    expect(
      await codeOf(
        verifyWalletSignature({
          chain: 'bitcoin',
          walletAddress: SOLANA_ADDRESS,
          message: 'r',
          signature: SOLANA_SIGNATURE,
        }),
      ),
    ).toBe('ERR_CREDENTIAL_MALFORMED');
  });
});
