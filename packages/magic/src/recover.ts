/**
 * Recovering the Ethereum address that `personal_sign`ed a message, the way the official JS SDK does
 * it (raw secp256k1 recovery, not ethers' `verifyMessage`): v must be 27 or 28, high-s is accepted.
 */
import { bytesToHex, isAscii, utf8ToBytes } from '@authbridge/core';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

/**
 * A secp256k1 public-key recovery: the 64-byte `r‖s`, the recovery id (0 or 1) and the 32-byte hash
 * give the 65-byte uncompressed public key, or throw.
 */
export type RecoverPublicKey = (signature: Uint8Array, recovery: number, hash: Uint8Array) => Uint8Array;

/** A recovery backend: the pure-JS one below, or the native one of `native-recovery.ts`. */
export interface RecoveryBackend {
  readonly name: 'js' | 'native';
  readonly recoverPublicKey: RecoverPublicKey;
}

/**
 * The pure-JS backend (@noble/curves). Always available.
 *
 * @example
 * ```ts
 * const admin = createMagicAdmin({ secretKey, recovery: jsRecovery });
 * ```
 */
export const jsRecovery: RecoveryBackend = {
  name: 'js',
  recoverPublicKey: (signature, recovery, hash) =>
    secp256k1.Signature.fromBytes(signature, 'compact')
      .addRecoveryBit(recovery)
      .recoverPublicKey(hash)
      .toBytes(false),
};

const SIGNATURE = /^0x[0-9a-f]{130}$/;
const encoder = new TextEncoder();

/**
 * keccak256 of the EIP-191 `personal_sign` envelope of `message`:
 * `keccak256("\x19Ethereum Signed Message:\n" + utf8Length + message)`. Never throws.
 *
 * @example
 * ```ts
 * bytesToHex(hashPersonalMessage('none')); // the hash `claim.add` signs for the default attachment
 * ```
 */
export function hashPersonalMessage(message: string): Uint8Array {
  // A claim is ASCII JSON in practice: its UTF-8 bytes are its char codes, one per char, so the
  // prefix is known first and the text is encoded straight into the one buffer that is hashed.
  // Anything else is encoded first, to learn its length.
  const body = isAscii(message) ? undefined : utf8ToBytes(message);
  const length = body ? body.length : message.length;
  const prefix = `\x19Ethereum Signed Message:\n${length}`;
  const all = new Uint8Array(prefix.length + length);
  for (let i = 0; i < prefix.length; i++) all[i] = prefix.charCodeAt(i);
  if (body) all.set(body, prefix.length);
  else encoder.encodeInto(message, all.subarray(prefix.length));
  return keccak_256(all);
}

/** The value of one lowercase hex digit (the caller has checked the alphabet). */
const nibble = (code: number) => (code <= 57 ? code - 48 : code - 87);

/**
 * The lowercase `0x` address that signed `message` with `personal_sign`, or a thrown `Error` when the
 * signature is not `0x` + 65 lowercase-hex bytes with v ∈ {27, 28}, or recovers no point.
 *
 * Lowercase only: Magic emits lowercase proofs, and one spelling per signature means a re-cased
 * token is a different, refused, credential rather than a second spelling of an accepted one.
 *
 * @example
 * ```ts
 * recoverPersonalSigner('none', claim.add, jsRecovery); // '0xb2ec9b61699762491b6542278e9dfec9050f8089'
 * ```
 */
export function recoverPersonalSigner(message: string, signature: string, backend: RecoveryBackend): string {
  if (!SIGNATURE.test(signature))
    throw new Error('The signature is not 0x followed by 65 lowercase hex bytes.');
  const bytes = new Uint8Array(65);
  for (let i = 0, at = 2; i < 65; i++, at += 2)
    bytes[i] = (nibble(signature.charCodeAt(at)) << 4) | nibble(signature.charCodeAt(at + 1));
  const v = bytes[64] as number;
  if (v !== 27 && v !== 28) throw new Error('The signature recovery byte v is not 27 or 28.');
  const publicKey = backend.recoverPublicKey(bytes.subarray(0, 64), v - 27, hashPersonalMessage(message));
  if (publicKey.length !== 65 || publicKey[0] !== 4)
    throw new Error('The recovered key is not uncompressed.');
  return `0x${bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))}`;
}
