/**
 * EVM signature primitives shared by every package that checks a wallet: the EIP-191 digest, EIP-55
 * addresses, `personal_sign` recovery (EIP-2 low s, v 27/28 or 0/1, EIP-2098 compact), and the
 * ERC-1271 call encoding with its exact magic answer.
 */
import { bytesToHex, checksumEvmAddress, hexToBytes, utf8ToBytes } from '@authbridge/core';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { malformed, WALLET_PROVIDER } from './errors.js';

/** The ERC-1271 `isValidSignature(bytes32,bytes)` selector, which is also its "valid" answer. */
export const ERC1271_MAGIC_VALUE = '0x1626ba7e';
/** The 32-byte suffix that marks an ERC-6492 wrapped signature. */
export const ERC6492_SUFFIX = `0x${'6492'.repeat(16)}`;

/** The `bytes4` magic value ABI-encoded as the only return word: left-aligned, 28 zero bytes after. */
const ERC1271_VALID = /^0x1626ba7e0{56}$/i;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})+$/;
const PREFIX = utf8ToBytes('\x19Ethereum Signed Message:\n');
const SUFFIX_BYTES = hexToBytes(ERC6492_SUFFIX);

/**
 * The EIP-191 (version 0x45) digest `personal_sign` signs: keccak256 of
 * `"\x19Ethereum Signed Message:\n" + byteLength + message`. The length counts UTF-8 bytes.
 *
 * @example
 * ```ts
 * bytesToHex(hashPersonalMessage('hello world')); // 'd9eba16e…7d68'
 * ```
 */
export function hashPersonalMessage(message: string | Uint8Array): Uint8Array {
  const bytes = typeof message === 'string' ? utf8ToBytes(message) : message;
  const length = utf8ToBytes(String(bytes.length));
  const data = new Uint8Array(PREFIX.length + length.length + bytes.length);
  data.set(PREFIX, 0);
  data.set(length, PREFIX.length);
  data.set(bytes, PREFIX.length + length.length);
  return keccak_256(data);
}

/**
 * Whether `text` is `0x` followed by 40 hex digits, in any case (no checksum check).
 *
 * @example
 * ```ts
 * isEvmAddress('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'); // true
 * ```
 */
export function isEvmAddress(text: unknown): text is string {
  return typeof text === 'string' && ADDRESS.test(text);
}

/**
 * The EIP-55 mixed-case form of an address.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` when `address` is not `0x` + 40 hex digits (`provider` names the
 * package in the error, `wallet` by default).
 *
 * @example
 * ```ts
 * toChecksumAddress('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'); // '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
 * ```
 */
export function toChecksumAddress(address: string, provider = WALLET_PROVIDER): string {
  // core's checksumEvmAddress is the one EIP-55 implementation of the workspace.
  return (
    checksumEvmAddress(address) ??
    malformed('The wallet address is not 0x followed by 40 hex digits.', undefined, provider)
  );
}

/**
 * The bytes of a `0x`-hex signature.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` when it is not `0x` + hex of whole bytes.
 *
 * @example
 * ```ts
 * signatureBytes('0xa461…1b').length; // 65
 * ```
 */
export function signatureBytes(signature: unknown, provider = WALLET_PROVIDER): Uint8Array {
  if (typeof signature !== 'string' || !HEX_BYTES.test(signature))
    malformed('The signature is not 0x-prefixed hex of whole bytes.', undefined, provider);
  return hexToBytes(signature);
}

/** `r‖s‖v` or EIP-2098 `r‖yParityAndS` as noble's recovered layout `recovery‖r‖s`, or undefined. */
function toRecoveredLayout(bytes: Uint8Array): Uint8Array | undefined {
  const out = new Uint8Array(65);
  if (bytes.length === 65) {
    const v = bytes[64] as number;
    const recovery = v >= 27 ? v - 27 : v;
    if (recovery !== 0 && recovery !== 1) return undefined;
    out[0] = recovery;
    out.set(bytes.subarray(0, 64), 1);
    return out;
  }
  if (bytes.length === 64) {
    const yParityAndS = bytes.subarray(32, 64);
    out[0] = (yParityAndS[0] as number) >> 7;
    out.set(bytes.subarray(0, 32), 1);
    out.set(yParityAndS, 33);
    out[33] = (out[33] as number) & 0x7f;
    return out;
  }
  return undefined;
}

/**
 * The EIP-55 address whose key made `signature` over `digest`, or `undefined` when none can be
 * recovered (wrong length, a recovery byte other than 0/1/27/28, high s, not a curve point).
 *
 * @example
 * ```ts
 * recoverDigestSigner(hashPersonalMessage('hello world'), signatureBytes(sig)); // '0xf39F…2266'
 * ```
 */
export function recoverDigestSigner(digest: Uint8Array, signature: Uint8Array): string | undefined {
  const recovered = toRecoveredLayout(signature);
  if (!recovered) return undefined;
  try {
    const parsed = secp256k1.Signature.fromBytes(recovered, 'recovered');
    // Ethereum accepts only low-s signatures (EIP-2); the high-s twin of a valid one is a forgery of form.
    if (parsed.hasHighS()) return undefined;
    const publicKey = parsed.recoverPublicKey(digest).toBytes(false);
    // The address is the last 20 bytes of keccak256 over the uncompressed key without its 0x04 tag.
    return toChecksumAddress(`0x${bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))}`);
  } catch {
    return undefined;
  }
}

const word = (n: number) => n.toString(16).padStart(64, '0');
const paddedBytes = (bytes: Uint8Array) => bytesToHex(bytes).padEnd(Math.ceil(bytes.length / 32) * 64, '0');

/**
 * The calldata of ERC-1271 `isValidSignature(bytes32 hash, bytes signature)`.
 *
 * @example
 * ```ts
 * encodeIsValidSignature(digest, signatureBytes(sig)); // '0x1626ba7e…'
 * ```
 */
export function encodeIsValidSignature(digest: Uint8Array, signature: Uint8Array): string {
  // The digest, the offset of the bytes (0x40), their length, the bytes padded to whole words.
  return `${ERC1271_MAGIC_VALUE}${bytesToHex(digest)}${word(64)}${word(signature.length)}${paddedBytes(signature)}`;
}

/**
 * Whether an `isValidSignature` answer is exactly the magic value as one ABI word. The calldata starts
 * with the same selector, so a prefix match would pass any contract that echoes its input.
 *
 * @example
 * ```ts
 * isErc1271Valid(`0x1626ba7e${'0'.repeat(56)}`); // true
 * ```
 */
export function isErc1271Valid(result: unknown): boolean {
  return typeof result === 'string' && ERC1271_VALID.test(result);
}

/**
 * Whether a signature is ERC-6492 wrapped (ends with the 32-byte `0x6492…6492` magic).
 *
 * @example
 * ```ts
 * isErc6492Signature(signatureBytes(wrapped)); // true
 * ```
 */
export function isErc6492Signature(signature: Uint8Array): boolean {
  if (signature.length < 32) return false;
  const tail = signature.subarray(signature.length - 32);
  return tail.every((b, i) => b === SUFFIX_BYTES[i]);
}

/**
 * ABI-encodes `(address, bytes32, bytes)`: the constructor arguments of the deployless ERC-6492
 * validator.
 *
 * @example
 * ```ts
 * encodeValidatorArguments(address, digest, signature); // 64 hex digits per word, no 0x
 * ```
 */
export function encodeValidatorArguments(address: string, digest: Uint8Array, signature: Uint8Array): string {
  const addressWord = address.slice(2).toLowerCase().padStart(64, '0');
  return `${addressWord}${bytesToHex(digest)}${word(96)}${word(signature.length)}${paddedBytes(signature)}`;
}

/**
 * Wraps a signature for a counterfactual account as ERC-6492 does:
 * `abi.encode(factory, factoryCalldata, signature) ‖ 0x6492…6492`.
 *
 * @example
 * ```ts
 * wrapErc6492Signature({ factory, factoryCalldata: '0xdeadbeef', signature: '0xa461…1b' });
 * ```
 */
export function wrapErc6492Signature(input: {
  factory: string;
  factoryCalldata: string;
  signature: string;
}): string {
  const factory = toChecksumAddress(input.factory);
  const calldata = signatureBytes(input.factoryCalldata);
  const inner = signatureBytes(input.signature);
  const calldataWords = Math.ceil(calldata.length / 32);
  const head = `${factory.slice(2).toLowerCase().padStart(64, '0')}${word(96)}${word(96 + 32 + calldataWords * 32)}`;
  return `0x${head}${word(calldata.length)}${paddedBytes(calldata)}${word(inner.length)}${paddedBytes(inner)}${ERC6492_SUFFIX.slice(2)}`;
}
