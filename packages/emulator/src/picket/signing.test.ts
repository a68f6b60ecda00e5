import { base58 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { signAsWallet, solanaSignatureMatches } from './signing.js';

// RFC 8032 §7.1 test 1 (wallet-standards.md §5).
const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const ADDRESS = 'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z';
const IDENTITY_SIGNATURE = base58.encode(Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0)));
const key = (hex: string) => base58.encode(Uint8Array.from(Buffer.from(hex, 'hex')));

describe('emulator Solana signature check', () => {
  it('accepts a seeded wallet signature and refuses it over another message', () => {
    const signature = signAsWallet({ chain: 'solana', privateKey: SEED }, 'hello');
    expect(solanaSignatureMatches(ADDRESS, 'hello', signature)).toBe(true);
    expect(solanaSignatureMatches(ADDRESS, 'hello!', signature)).toBe(false);
  });

  it.each([
    ['all zero (the system program id)', '00'.repeat(32)],
    ['the identity', `01${'00'.repeat(31)}`],
    ['an order-8 point', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'],
    ['the identity as y = p + 1', `ee${'ff'.repeat(30)}7f`],
  ])('refuses R = identity, S = 0 under a small-order or non-canonical key: %s', (_, hex) => {
    expect(solanaSignatureMatches(key(hex), 'log me in', IDENTITY_SIGNATURE)).toBe(false);
  });
});
