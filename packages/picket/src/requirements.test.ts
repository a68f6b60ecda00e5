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

  it('passes only without requirements or with an empty requirements object', () => {
    expect(meetsAuthRequirements(undefined)).toBe(true);
    expect(meetsAuthRequirements({}, {})).toBe(true);
    expect(meetsAuthRequirements(balances, {})).toBe(true);
  });

  it('never passes on an allow-list alone: Picket checks allowedWallets, so the local answer is false', () => {
    expect(meetsAuthRequirements({}, { allowedWallets: ['0xabc'] })).toBe(false);
    expect(meetsAuthRequirements(balances, { allowedWallets: ['0xabc'] })).toBe(false);
    expect(meetsAuthRequirements(balances, { allowedWallets: [] })).toBe(false);
  });

  it('fails on a minimum with nothing to count, as picket-js sums nothing to 0', () => {
    expect(meetsAuthRequirements(balances, { minTokenBalance: 5 })).toBe(false);
    expect(meetsAuthRequirements(balances, { minTokenBalance: 0 })).toBe(false);
    expect(meetsAuthRequirements(balances, { allowedWallets: ['0xabc'], minTokenBalance: '1' })).toBe(false);
  });

  it('fails closed on a key that is present but undefined, as picket-js counts keys', () => {
    expect(meetsAuthRequirements(balances, { contractAddress: undefined })).toBe(false);
  });

  it('still passes an allow-list ORed with a token requirement the balances meet', () => {
    expect(meetsAuthRequirements(balances, { allowedWallets: ['0xabc'], contractAddress: '0xNFT' })).toBe(
      true,
    );
    expect(
      meetsAuthRequirements(balances, {
        allowedWallets: ['0xabc'],
        contractAddress: '0xNFT',
        minTokenBalance: 4,
      }),
    ).toBe(false);
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
