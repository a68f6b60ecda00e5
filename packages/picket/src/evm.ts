/**
 * EVM wallet signatures: EIP-191 `personal_sign` recovery (externally owned accounts) and, when the
 * app passes an RPC provider, ERC-1271 `isValidSignature` for contract wallets (Safe, Argent).
 */
import {
  bytesToHex,
  checksumEvmAddress,
  hexToBytes,
  InvalidCredentialError,
  NetworkError,
  utf8ToBytes,
} from '@authbridge/core';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

/**
 * The one method of an ethers v6 `Provider` (or any JSON-RPC wrapper) the ERC-1271 check needs.
 * Typed structurally so that this package never loads ethers: an app that has a provider has ethers.
 */
export interface Erc1271Provider {
  /** An `eth_call` of `data` to the contract at `to`; resolves to the returned hex. */
  call(transaction: { to: string; data: string }): Promise<string>;
}

/** Input of {@link verifyEvmSignature}. */
export interface VerifyEvmSignatureInput {
  /** The wallet that should have signed: `0x` + 40 hex digits, any case. */
  address: string;
  /** The exact text that was signed. */
  message: string | Uint8Array;
  /** `0x` + hex: 65 bytes `r‖s‖v` (v 27/28 or 0/1), 64 bytes EIP-2098, or any length for a contract wallet. */
  signature: string;
  /** Enables the ERC-1271 path; it must be connected to the chain of the message's `Chain ID`. */
  provider?: Erc1271Provider;
}

const ERC1271_MAGIC = '1626ba7e';
/** `bytes4` magic value ABI-encoded as the only return word: left-aligned, 28 zero bytes after. */
const ERC1271_VALID = new RegExp(`^0x${ERC1271_MAGIC}0{56}$`, 'i');
const PREFIX = utf8ToBytes('\x19Ethereum Signed Message:\n');

function malformed(message: string): never {
  throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', message, { provider: 'picket' });
}

/**
 * The EIP-191 digest `personal_sign` signs: keccak256 of `"\x19Ethereum Signed Message:\n" + byteLength + message`.
 * The length counts UTF-8 bytes, not string characters.
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
 * The EIP-55 mixed-case form of an address.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` when `address` is not `0x` + 40 hex digits.
 *
 * @example
 * ```ts
 * toChecksumAddress('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'); // '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
 * ```
 */
export function toChecksumAddress(address: string): string {
  return checksumEvmAddress(address) ?? malformed('The wallet address is not 0x followed by 40 hex digits.');
}

function signatureBytes(signature: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})+$/.test(signature))
    malformed('The signature is not 0x-prefixed hex of whole bytes.');
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

function addressOfPublicKey(publicKey: Uint8Array): string {
  // The address is the last 20 bytes of keccak256 over the uncompressed key without its 0x04 tag.
  return `0x${bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))}`;
}

function recoverFromDigest(digest: Uint8Array, bytes: Uint8Array): string | undefined {
  const recovered = toRecoveredLayout(bytes);
  if (!recovered) return undefined;
  try {
    const signature = secp256k1.Signature.fromBytes(recovered, 'recovered');
    // Ethereum accepts only low-s signatures (EIP-2); the high-s twin of a valid one is a forgery of form.
    if (signature.hasHighS()) return undefined;
    return toChecksumAddress(addressOfPublicKey(signature.recoverPublicKey(digest).toBytes(false)));
  } catch {
    return undefined;
  }
}

/**
 * The address that signed `message` with `personal_sign`, in EIP-55 form.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` when the signature is not hex; `ERR_CREDENTIAL_SIGNATURE` when
 * no address can be recovered (wrong length, bad recovery byte, high s, not a curve point).
 *
 * @example
 * ```ts
 * recoverPersonalSignAddress('hello world', '0xa461f509…3f5b1b'); // '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
 * ```
 */
export function recoverPersonalSignAddress(message: string | Uint8Array, signature: string): string {
  const address = recoverFromDigest(hashPersonalMessage(message), signatureBytes(signature));
  if (!address) {
    throw new InvalidCredentialError(
      'ERR_CREDENTIAL_SIGNATURE',
      'No address can be recovered from the signature.',
      {
        provider: 'picket',
      },
    );
  }
  return address;
}

function encodeIsValidSignature(digest: Uint8Array, signature: Uint8Array): string {
  const word = (n: number) => n.toString(16).padStart(64, '0');
  const padded = bytesToHex(signature).padEnd(Math.ceil(signature.length / 32) * 64, '0');
  // isValidSignature(bytes32,bytes): the digest, the offset of the bytes (0x40), their length, the bytes.
  return `0x${ERC1271_MAGIC}${bytesToHex(digest)}${word(64)}${word(signature.length)}${padded}`;
}

async function isValidErc1271(
  provider: Erc1271Provider,
  address: string,
  digest: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  let result: string;
  try {
    result = await provider.call({ to: address, data: encodeIsValidSignature(digest, signature) });
  } catch (error) {
    // A revert (an EOA, or a contract that says no) is an answer; anything else is the RPC failing.
    if ((error as { code?: unknown }).code === 'CALL_EXCEPTION') return false;
    throw new NetworkError('The ERC-1271 isValidSignature call failed before an answer.', {
      provider: 'picket',
    });
  }
  // Exactly one ABI word: the calldata starts with the same selector, so a prefix match would pass any
  // address that echoes its input (the identity precompile 0x…04, a fallback that returns calldata).
  return typeof result === 'string' && ERC1271_VALID.test(result);
}

/**
 * Checks an EVM `personal_sign` signature: recovery first; when that does not give `address` and a
 * `provider` is set, the contract wallet's ERC-1271 `isValidSignature` decides. ERC-6492
 * (undeployed wallets) is not supported.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` for an address or signature that is not hex of the right form;
 * `ERR_CREDENTIAL_SIGNATURE` when the signature is not the wallet's; `ERR_NETWORK` when the
 * ERC-1271 call fails for a reason other than a revert.
 *
 * @example
 * ```ts
 * await verifyEvmSignature({ address: '0xf39F…2266', message, signature });
 * await verifyEvmSignature({ address: safeAddress, message, signature, provider: new JsonRpcProvider(rpcUrl) });
 * ```
 */
export async function verifyEvmSignature(input: VerifyEvmSignatureInput): Promise<void> {
  const expected = toChecksumAddress(input.address);
  const bytes = signatureBytes(input.signature);
  const digest = hashPersonalMessage(input.message);
  if (recoverFromDigest(digest, bytes) === expected) return;
  if (input.provider && (await isValidErc1271(input.provider, expected, digest, bytes))) return;
  throw new InvalidCredentialError('ERR_CREDENTIAL_SIGNATURE', 'The signature was not made by this wallet.', {
    provider: 'picket',
  });
}
