/**
 * Ed25519 verification for Solana wallets: Web Crypto where the runtime has it (Node 20+, Deno, Bun,
 * recent browsers), @noble/curves elsewhere. Keys that RFC 8032 strict verification refuses
 * (non-canonical or of small order) are refused before either backend runs, so both answer alike.
 *
 * Imported Web Crypto keys are kept in a small cache: importing a key costs about as much as the
 * verification itself, and a login server sees the same wallets again and again.
 */
import { ed25519 } from '@noble/curves/ed25519.js';

/** Which ed25519 implementation is used in this runtime. */
export type Ed25519Backend = 'webcrypto' | 'noble';

// RFC 8032 §7.1 test 1: probing with a known-good signature also rules out a runtime that
// accepts the algorithm name but verifies wrongly.
const PROBE_KEY = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const PROBE_SIGNATURE = hex(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
);

function hex(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(text.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
}

const ALGORITHM = { name: 'Ed25519' } as const;

async function webCryptoVerify(
  subtle: SubtleCrypto,
  key: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  return subtle.verify(ALGORITHM, key, signature, message);
}

/**
 * Picks the backend for a given `crypto.subtle` (or none): `webcrypto` when it verifies the RFC 8032
 * probe, `noble` when it is missing, lacks Ed25519 or verifies wrongly.
 *
 * @example
 * ```ts
 * await detectEd25519Backend(globalThis.crypto?.subtle); // 'webcrypto' on Node 20
 * ```
 */
export async function detectEd25519Backend(subtle: SubtleCrypto | undefined): Promise<Ed25519Backend> {
  try {
    if (!subtle) return 'noble';
    const key = await subtle.importKey('raw', PROBE_KEY, ALGORITHM, false, ['verify']);
    return (await webCryptoVerify(subtle, key, PROBE_SIGNATURE, new Uint8Array(0))) ? 'webcrypto' : 'noble';
  } catch {
    return 'noble';
  }
}

let backendPromise: Promise<Ed25519Backend> | undefined;
let backendResolved: Ed25519Backend | undefined;

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
  backendPromise ??= detectEd25519Backend(typeof crypto === 'undefined' ? undefined : crypto.subtle).then(
    (name) => {
      backendResolved = name;
      return name;
    },
  );
  return backendPromise;
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
].map(hex);

/**
 * Whether a 32-byte key is one RFC 8032 strict verification can accept: y below p = 2^255 - 19
 * (Web Crypto takes larger, non-canonical encodings; noble strict does not) and not of small order.
 *
 * @example
 * ```ts
 * isAcceptableEd25519Key(new Uint8Array(32)); // false: y = 0 is of small order
 * ```
 */
export function isAcceptableEd25519Key(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  const y = Uint8Array.from(publicKey);
  y[31] = (y[31] as number) & 0x7f;
  const atLeastP = y[31] === 0x7f && y.subarray(1, 31).every((b) => b === 0xff) && (y[0] as number) >= 0xed;
  if (atLeastP) return false;
  return !SMALL_ORDER_Y.some((small) => small.every((b, i) => b === y[i]));
}

/**
 * Verifies an ed25519 signature with @noble/curves, RFC 8032 strict (no ZIP-215 leniency; non-canonical
 * and small-order keys refused). With the key check, the two backends give the same answer for every
 * key a wallet can generate; they differ only on a signature its own key holder builds with a
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
  if (!isAcceptableEd25519Key(publicKey)) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

const KEY_CACHE_SIZE = 1024;
const keyCache = new Map<string, Promise<CryptoKey>>();

function keyId(publicKey: Uint8Array): string {
  let id = '';
  for (const byte of publicKey) id += String.fromCharCode(byte);
  return id;
}

function importedKey(subtle: SubtleCrypto, publicKey: Uint8Array): Promise<CryptoKey> {
  const id = keyId(publicKey);
  const cached = keyCache.get(id);
  if (cached) return cached;
  const imported = subtle.importKey('raw', Uint8Array.from(publicKey), ALGORITHM, false, ['verify']);
  // Evict the oldest entry (insertion order); a rejected import is not kept.
  if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(id, imported);
  imported.catch(() => keyCache.delete(id));
  return imported;
}

function arrayBufferBacked(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : Uint8Array.from(bytes);
}

/**
 * Verifies an ed25519 `signature` (64 bytes) of `message` under `publicKey` (32 bytes) on the given
 * backend, or on this runtime's ({@link ed25519Backend}) when none is named. Never throws: a key
 * Web Crypto refuses outright (not a curve point) is a wrong signature, not a crash.
 *
 * @example
 * ```ts
 * await verifyEd25519(publicKey, signature, utf8ToBytes(message)); // true or false
 * ```
 */
export async function verifyEd25519(
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
  backend?: Ed25519Backend,
): Promise<boolean> {
  if (signature.length !== 64 || !isAcceptableEd25519Key(publicKey)) return false;
  const name = backend ?? backendResolved ?? (await ed25519Backend());
  if (name === 'noble') return verifyEd25519Noble(signature, message, publicKey);
  try {
    const key = await importedKey(crypto.subtle, publicKey);
    return await webCryptoVerify(
      crypto.subtle,
      key,
      arrayBufferBacked(signature),
      arrayBufferBacked(message),
    );
  } catch {
    return false;
  }
}
