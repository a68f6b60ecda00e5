import { isAuthBridgeError } from '@authbridge/core';
import { describe, expect, it } from 'vitest';
import { meetsAuthRequirements } from './requirements.js';

describe('meetsAuthRequirements (picket-js arithmetic, spec §5)', () => {
  const balances = {
    contractAddress: { '0xNFT': '3', '0xERC20': '0.1337' },
    collection: { colA: '1', colB: '2' },
    creatorAddress: { creator: '1' },
    tokenIds: { mintA: '2', mintB: '0' },
  };

  it('passes without requirements, or with only an allow-list (checked by Picket)', () => {
    expect(meetsAuthRequirements(undefined)).toBe(true);
    expect(meetsAuthRequirements({}, {})).toBe(true);
    expect(meetsAuthRequirements({}, { allowedWallets: ['0xabc'] })).toBe(true);
  });

  it('fails with requirements and no balances', () => {
    expect(meetsAuthRequirements({}, { contractAddress: '0xNFT' })).toBe(false);
    expect(meetsAuthRequirements(undefined, { tokenIds: ['mintA'] })).toBe(false);
  });

  it('needs a non-zero balance when there is no minimum', () => {
    expect(meetsAuthRequirements(balances, { contractAddress: '0xNFT' })).toBe(true);
    expect(meetsAuthRequirements(balances, { tokenIds: ['mintB'] })).toBe(false);
    expect(meetsAuthRequirements(balances, { minTokenBalance: '', tokenIds: ['mintB'] })).toBe(false);
  });

  it('compares decimal balances exactly', () => {
    expect(meetsAuthRequirements(balances, { contractAddress: '0xERC20', minTokenBalance: '0.1337' })).toBe(
      true,
    );
    expect(meetsAuthRequirements(balances, { contractAddress: '0xERC20', minTokenBalance: 0.13370001 })).toBe(
      false,
    );
    expect(meetsAuthRequirements(balances, { contractAddress: '0xNFT', minTokenBalance: 3 })).toBe(true);
    expect(
      meetsAuthRequirements(balances, { contractAddress: '0xNFT', minTokenBalance: '3.0000000000000000001' }),
    ).toBe(false);
  });

  it('sums contract, collections, creator and mints', () => {
    expect(meetsAuthRequirements(balances, { collection: ['colA', 'colB'], minTokenBalance: 3 })).toBe(true);
    expect(
      meetsAuthRequirements(balances, {
        collection: 'colA',
        creatorAddress: 'creator',
        tokenIds: ['mintA'],
        minTokenBalance: 4,
      }),
    ).toBe(true);
    expect(
      meetsAuthRequirements(balances, {
        collection: 'colA',
        creatorAddress: 'creator',
        tokenIds: ['mintA'],
        minTokenBalance: 5,
      }),
    ).toBe(false);
  });

  it('matches keys exactly, as picket-js does', () => {
    expect(meetsAuthRequirements(balances, { contractAddress: '0xnft' })).toBe(false);
  });

  it('counts a balance that is not a plain decimal as nothing', () => {
    expect(meetsAuthRequirements({ contractAddress: { c: 'NaN' } }, { contractAddress: 'c' })).toBe(false);
    expect(
      meetsAuthRequirements({ contractAddress: { c: '-5' } }, { contractAddress: 'c', minTokenBalance: 0 }),
    ).toBe(false);
  });

  it('throws ERR_CONFIG for a minimum that is not a non-negative decimal', () => {
    let caught: unknown;
    try {
      meetsAuthRequirements(balances, { contractAddress: '0xNFT', minTokenBalance: '-1' });
    } catch (error) {
      caught = error;
    }
    expect(isAuthBridgeError(caught, 'ERR_CONFIG')).toBe(true);
  });
});
