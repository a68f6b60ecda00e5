/**
 * Solana wallet signatures: ed25519 over the UTF-8 message, with base58 keys and signatures.
 *
 * Web Crypto Ed25519 is used where the runtime has it (Node 20+, Deno, Bun, recent browsers) and
 * @noble/curves elsewhere; see the README for the measurements behind the choice.
 */
import { InvalidCredentialError, utf8ToBytes } from '@authbridge/core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';

/** Input of {@link verifySolanaSignature}. */
export interface VerifySolanaSignatureInput {
  /** The wallet: its base58 ed25519 public key. */
  address: string;
  /** The exact text (or bytes) that was signed. */
  message: string | Uint8Array;
  /** The base58 64-byte detached signature, as Solana wallet adapters return it. */
  signature: string;
}

/** Which ed25519 implementation {@link verifySolanaSignature} uses in this runtime. */
export type Ed25519Backend = 'webcrypto' | 'noble';

function malformed(message: string): never {
  throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', message, { provider: 'picket' });
}

function decodeBase58(text: string, length: number, what: string): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(text);
  } catch {
    malformed(`The ${what} is not base58.`);
  }
  if (bytes.length !== length) malformed(`The ${what} is not ${length} bytes.`);
  return Uint8Array.from(bytes);
}

// RFC 8032 §7.1 test 1: probing with a known-good signature also rules out a runtime that
// accepts the algorithm name but verifies wrongly.
const PROBE_KEY = Uint8Array.from([
  0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1,
  0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
]);
const PROBE_SIGNATURE = Uint8Array.from([
  0xe5, 0x56, 0x43, 0x00, 0xc3, 0x60, 0xac, 0x72, 0x90, 0x86, 0xe2, 0xcc, 0x80, 0x6e, 0x82, 0x8a, 0x84, 0x87,
  0x7f, 0x1e, 0xb8, 0xe5, 0xd9, 0x74, 0xd8, 0x73, 0xe0, 0x65, 0x22, 0x49, 0x01, 0x55, 0x5f, 0xb8, 0x82, 0x15,
  0x90, 0xa3, 0x3b, 0xac, 0xc6, 0x1e, 0x39, 0x70, 0x1c, 0xf9, 0xb4, 0x6b, 0xd2, 0x5b, 0xf5, 0xf0, 0x59, 0x5b,
  0xbe, 0x24, 0x65, 0x51, 0x41, 0x43, 0x8e, 0x7a, 0x10, 0x0b,
]);

async function webCryptoVerify(
  subtle: SubtleCrypto,
  publicKey: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  return subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

/**
 * Picks the backend for a given `crypto.subtle` (or none): `webcrypto` when it verifies the RFC 8032
 * probe, `noble` when it is missing, lacks Ed25519 or verifies wrongly. Internal: exported for tests.
 *
 * @internal
 */
export async function detectEd25519Backend(subtle: SubtleCrypto | undefined): Promise<Ed25519Backend> {
  try {
    if (!subtle) return 'noble';
    return (await webCryptoVerify(subtle, PROBE_KEY, PROBE_SIGNATURE, new Uint8Array(0)))
      ? 'webcrypto'
      : 'noble';
  } catch {
    return 'noble';
  }
}

let backend: Promise<Ed25519Backend> | undefined;

/**
 * The ed25519 implementation this runtime uses: `webcrypto` when `crypto.subtle` verifies Ed25519
 * correctly, `noble` otherwise. Decided once per process.
 *
 * @example
 * ```ts
 * console.log(await ed25519Backend()); // 'webcrypto' on Node 20
 * ```
 */
export function ed25519Backend(): Promise<Ed25519Backend> {
  backend ??= detectEd25519Backend(typeof crypto === 'undefined' ? undefined : crypto.subtle);
  return backend;
}

// The y coordinates (sign bit cleared) of the eight points of small order: 1, p - 1, 0 and the two
// of order 8. Any signature (R = identity, S = 0) verifies under such a key on Web Crypto (OpenSSL),
// so these keys, which nobody can hold a secret for, are refused before either backend runs.
const SMALL_ORDER_Y = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
].map((hex) => Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16)));

/**
 * Whether a 32-byte key is one RFC 8032 strict verification can accept: y below p = 2^255 - 19
 * (Web Crypto takes larger, non-canonical encodings; noble strict does not) and not of small order.
 */
function isAcceptableKey(publicKey: Uint8Array): boolean {
  const y = Uint8Array.from(publicKey);
  y[31] = (y[31] as number) & 0x7f;
  const atLeastP = y[31] === 0x7f && y.subarray(1, 31).every((b) => b === 0xff) && (y[0] as number) >= 0xed;
  if (atLeastP) return false;
  return !SMALL_ORDER_Y.some((small) => small.every((b, i) => b === y[i]));
}

/**
 * Verifies an ed25519 signature with @noble/curves, RFC 8032 strict (no ZIP-215 leniency; non-canonical
 * and small-order keys refused). With the key check above, the two backends give the same answer for
 * every key a wallet can generate; they differ only on a signature its own key holder builds with a
 * small-order component (noble checks the cofactored equation, OpenSSL the cofactorless one), which
 * forges nothing.
 *
 * @example
 * ```ts
 * verifyEd25519Noble(signatureBytes, messageBytes, publicKeyBytes); // true or false
 * ```
 */
export function verifyEd25519Noble(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

async function verifyEd25519(
  backendName: Ed25519Backend,
  publicKey: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  if (!isAcceptableKey(publicKey)) return false;
  if (backendName === 'noble') return verifyEd25519Noble(signature, message, publicKey);
  try {
    return await webCryptoVerify(crypto.subtle, publicKey, signature, message);
  } catch {
    // Web Crypto refuses some keys outright (not a curve point); that is a wrong signature, not a crash.
    return false;
  }
}

/**
 * {@link verifySolanaSignature} on a chosen backend. Internal: exported so that tests run the
 * pure-JS fallback on a runtime that has Web Crypto.
 *
 * @internal
 */
export async function verifySolanaSignatureWith(
  backendName: Ed25519Backend,
  input: VerifySolanaSignatureInput,
): Promise<void> {
  const publicKey = decodeBase58(input.address, 32, 'wallet address');
  const signature = decodeBase58(input.signature, 64, 'signature');
  const message =
    typeof input.message === 'string' ? utf8ToBytes(input.message) : Uint8Array.from(input.message);
  if (!(await verifyEd25519(backendName, publicKey, signature, message))) {
    throw new InvalidCredentialError(
      'ERR_CREDENTIAL_SIGNATURE',
      'The signature was not made by this wallet.',
      {
        provider: 'picket',
      },
    );
  }
}

/**
 * Checks a Solana wallet's signature of `message` (a Picket login message or any text).
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` when the address or signature is not base58 of 32 / 64 bytes;
 * `ERR_CREDENTIAL_SIGNATURE` when the signature is not the wallet's.
 *
 * @example
 * ```ts
 * await verifySolanaSignature({ address: 'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z', message, signature });
 * ```
 */
export async function verifySolanaSignature(input: VerifySolanaSignatureInput): Promise<void> {
  return verifySolanaSignatureWith(await ed25519Backend(), input);
}
