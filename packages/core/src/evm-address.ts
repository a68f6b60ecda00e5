/**
 * EVM addresses in their one canonical spelling, EIP-55, so that one wallet has one subject in every
 * provider that names wallets.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from './encoding.js';

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
  const lower = address.slice(2).toLowerCase();
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const char = lower[i] as string;
    out += Number.parseInt(hash[i] as string, 16) >= 8 ? char.toUpperCase() : char;
  }
  return out;
}
