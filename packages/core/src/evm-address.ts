/**
 * EVM addresses in their one canonical spelling, EIP-55, so that one wallet has one subject in every
 * provider that names wallets.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * The EIP-55 mixed-case checksum spelling of an EVM address given in any case, or `undefined` when
 * `address` is not `0x` + 40 hex digits. Never throws: each provider refuses with its own typed error.
 *
 * @example
 * ```ts
 * checksumEvmAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed');
 * // '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
 * ```
 */
export function checksumEvmAddress(address: string): string | undefined {
  if (typeof address !== 'string' || !EVM_ADDRESS.test(address)) return undefined;
  // The address is ASCII hex (checked above): its lower-case bytes are written by char code, and
  // each digit's case is read from its nibble of the hash, without a hex string of the hash.
  const lower = new Uint8Array(40);
  for (let i = 0; i < 40; i++) lower[i] = address.charCodeAt(i + 2) | 0x20;
  const hash = keccak_256(lower);
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const code = lower[i] as number;
    const nibble = ((hash[i >> 1] as number) >> (i & 1 ? 0 : 4)) & 0xf;
    // Only the letters a-f have an upper case; digits stay as they are.
    out += String.fromCharCode(nibble >= 8 && code >= 0x61 ? code - 0x20 : code);
  }
  return out;
}
