/**
 * DID token minting, written from the spec independently of @authbridge/magic: the emulator plays
 * Magic's client-side signer.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** A user's signing key and the address (EIP-55) it controls. */
export interface SigningKey {
  privateKey: Uint8Array;
  address: string;
}

function checksum(addressHex: string): string {
  const hash = bytesToHex(keccak_256(utf8ToBytes(addressHex)));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const c = addressHex[i] as string;
    out += Number.parseInt(hash[i] as string, 16) >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

/** A key from 32 bytes (a fixed seed for fixtures, random otherwise). */
export function signingKey(privateKey: Uint8Array = secp256k1.utils.randomSecretKey()): SigningKey {
  const publicKey = secp256k1.getPublicKey(privateKey, false);
  return { privateKey, address: checksum(bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))) };
}

/** EIP-191 `personal_sign`: `0x` + r‖s‖v, v ∈ {27, 28}. */
export function personalSign(message: string, privateKey: Uint8Array): string {
  const body = utf8ToBytes(message);
  const prefix = utf8ToBytes(`\x19Ethereum Signed Message:\n${body.length}`);
  const hash = keccak_256(new Uint8Array([...prefix, ...body]));
  const signature = secp256k1.sign(hash, privateKey, { prehash: false, format: 'recovered' });
  // noble puts the recovery byte first; Ethereum wants r‖s‖(27 + recovery).
  const rs = signature.subarray(1);
  return `0x${bytesToHex(rs)}${(27 + (signature[0] as number)).toString(16)}`;
}

/** The claim of a DID token, in the key order of Magic's fixtures. */
export interface Claim {
  iat: number;
  ext: number;
  iss: string;
  sub: string;
  aud: string;
  nbf: number;
  tid: string;
  add: string;
}

/** `base64(JSON.stringify([personal_sign(claimJson), claimJson]))`. */
export function mintDidToken(claim: Claim, privateKey: Uint8Array): string {
  const claimJson = JSON.stringify(claim);
  return Buffer.from(JSON.stringify([personalSign(claimJson, privateKey), claimJson]), 'utf8').toString(
    'base64',
  );
}
