import { describe, expect, it } from 'vitest';
import { isAllowedWallet, meetsTokenRequirement, readRequirements } from './gating.js';

describe('Picket emulator gating (spec §5)', () => {
  const balances = { contractAddress: { '0xNFT': '3' }, tokenIds: { mintA: '2' } };

  it('a requirement with nothing to count is not met, whatever the balances', () => {
    expect(meetsTokenRequirement(balances, { allowedWallets: ['0xabc'] })).toBe(false);
    expect(meetsTokenRequirement(balances, { minTokenBalance: '5' })).toBe(false);
    expect(meetsTokenRequirement(balances, { minTokenBalance: '0' })).toBe(false);
  });

  it('sums the balances the requirement reads against the minimum', () => {
    expect(
      meetsTokenRequirement(balances, {
        contractAddress: '0xNFT',
        tokenIds: ['mintA'],
        minTokenBalance: '5',
      }),
    ).toBe(true);
    expect(
      meetsTokenRequirement(balances, {
        contractAddress: '0xNFT',
        tokenIds: ['mintA'],
        minTokenBalance: '6',
      }),
    ).toBe(false);
    expect(
      meetsTokenRequirement(balances, { contractAddress: '0xNFT', minTokenBalance: 'lots' }),
    ).toBeUndefined();
  });

  it('reads empty values as absent (picket-python and picket-go send empty objects and strings)', () => {
    expect(readRequirements({})).toBeUndefined();
    expect(readRequirements({ contractAddress: '', allowedWallets: [], token_ids: [] })).toBeUndefined();
    expect(readRequirements({ allowed_wallets: ['0xabc'], min_token_balance: 2 })).toEqual({
      allowedWallets: ['0xabc'],
      minTokenBalance: '2',
    });
  });

  it('matches EVM allow-list entries in any case and Solana ones exactly', () => {
    const evm = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
    expect(isAllowedWallet({ allowedWallets: [evm.toLowerCase()] }, evm)).toBe(true);
    expect(
      isAllowedWallet(
        { allowedWallets: ['fven3x669xlzsi6n2v91doiyzhzg1uagqit8jz9ns96z'] },
        'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z',
      ),
    ).toBe(false);
    expect(isAllowedWallet({ minTokenBalance: '1' }, evm)).toBe(false);
  });
});
