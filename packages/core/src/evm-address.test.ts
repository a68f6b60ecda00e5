import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumEvmAddress } from './evm-address.js';

describe('checksumEvmAddress', () => {
  it("follows EIP-55's test vectors from any case", () => {
    for (const address of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ]) {
      expect(checksumEvmAddress(address.toLowerCase())).toBe(address);
      expect(checksumEvmAddress(`0x${address.slice(2).toUpperCase()}`)).toBe(address);
    }
  });

  it('answers undefined for anything that is not 0x + 40 hex digits', () => {
    for (const bad of ['', '0x', `0x${'g'.repeat(40)}`, `0X${'a'.repeat(40)}`, `0x${'a'.repeat(41)}`]) {
      expect(checksumEvmAddress(bad)).toBeUndefined();
    }
  });

  it('property: every casing of one address gives one spelling, which is a fixed point', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (bytes, upper) => {
          const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
          const cased = `0x${[...hex].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')}`;
          const canonical = checksumEvmAddress(cased);
          expect(canonical).toBe(checksumEvmAddress(`0x${hex}`));
          expect(checksumEvmAddress(canonical as string)).toBe(canonical);
        },
      ),
      { numRuns: 200 },
    );
  });
});
