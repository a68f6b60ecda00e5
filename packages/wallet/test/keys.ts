/** Test wallets: keys generated here, signing as `personal_sign` and Solana wallets do. */
import { bytesToHex, hexToBytes } from '@authbridge/core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58 } from '@scure/base';
import { hashPersonalMessage, toChecksumAddress } from '../src/index.js';

/** An EVM key pair: `0x` hex private key and EIP-55 address. */
export interface EvmKey {
  privateKey: string;
  address: string;
}

export function evmKey(privateKey = `0x${bytesToHex(secp256k1.utils.randomSecretKey())}`): EvmKey {
  const publicKey = secp256k1.getPublicKey(hexToBytes(privateKey), false);
  const address = toChecksumAddress(`0x${bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))}`);
  return { privateKey, address };
}

/** Signs a 32-byte digest as Ethereum does: `r‖s‖v` with v 27/28, low s. */
export function signDigest(digest: Uint8Array, privateKey: string): string {
  const recovered = secp256k1.sign(digest, hexToBytes(privateKey), { prehash: false, format: 'recovered' });
  const v = (recovered[0] as number) + 27;
  return `0x${bytesToHex(recovered.subarray(1))}${v.toString(16)}`;
}

/** `personal_sign(message)`. */
export function personalSign(message: string, privateKey: string): string {
  return signDigest(hashPersonalMessage(message), privateKey);
}

/** A Solana key pair: the 32-byte seed and the base58 address. */
export interface SolanaKey {
  seed: Uint8Array;
  publicKey: Uint8Array;
  address: string;
}

export function solanaKey(seed = ed25519.utils.randomSecretKey()): SolanaKey {
  const publicKey = ed25519.getPublicKey(seed);
  return { seed, publicKey, address: base58.encode(publicKey) };
}

/** Signs the UTF-8 bytes of `message`; the base58 signature, as wallet adapters return it. */
export function solanaSign(message: string, key: SolanaKey): string {
  return base58.encode(ed25519.sign(new TextEncoder().encode(message), key.seed));
}
