/**
 * Session signing keys: HS256 secrets or EdDSA (Ed25519) key pairs, each named by a `kid` so that keys
 * can rotate while sessions signed with the previous one stay readable.
 */
import { ConfigurationError } from '@authbridge/core';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** An HS256 key: one shared secret of at least 32 bytes signs and verifies. */
export interface HmacSessionKey {
  kid: string;
  alg: 'HS256';
  /** At least 32 bytes; a string is taken as its UTF-8 bytes. */
  secret: Uint8Array | string;
}

/**
 * An EdDSA (Ed25519) key. With `privateKey` it can sign; with only `publicKey` it verifies sessions
 * another instance (or a retired key) signed.
 */
export interface EdDSASessionKey {
  kid: string;
  alg: 'EdDSA';
  privateKey?: CryptoKey | JWK;
  publicKey: CryptoKey | JWK;
}

/** A key of {@link SessionOptions.keys}. */
export type SessionKey = HmacSessionKey | EdDSASessionKey;

/** A key ready for jose: what it signs with (if it can) and what it verifies with. */
export interface ResolvedKey {
  kid: string;
  alg: 'HS256' | 'EdDSA';
  sign: CryptoKey | Uint8Array | undefined;
  verify: CryptoKey | Uint8Array;
}

const KID = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_SECRET_BYTES = 32;

/**
 * Checks the key list and imports each key: `ERR_CONFIG` for an empty list, a duplicate or malformed
 * `kid`, a short secret, an unknown `alg` or a key jose cannot import. The first key that can sign
 * signs new sessions.
 */
export async function resolveKeys(keys: readonly SessionKey[]): Promise<ResolvedKey[]> {
  assertKeys(keys);
  const resolved: ResolvedKey[] = [];
  for (const key of keys) resolved.push(await resolveKey(key));
  if (!resolved.some((key) => key.sign)) {
    throw configError('no key can sign: give an HS256 secret or an EdDSA privateKey');
  }
  return resolved;
}

/** Checks the parts of the key list that need no import, synchronously, so construction fails early. */
export function assertKeys(keys: unknown): asserts keys is readonly SessionKey[] {
  if (!Array.isArray(keys) || keys.length === 0) throw configError('keys must be a non-empty list');
  const seen = new Set<string>();
  for (const key of keys as SessionKey[]) {
    if (typeof key?.kid !== 'string' || !KID.test(key.kid)) {
      throw configError('each key needs a kid of 1 to 64 characters [A-Za-z0-9._-]');
    }
    if (seen.has(key.kid)) throw configError(`two keys have the kid '${key.kid}'`);
    seen.add(key.kid);
    if (key.alg === 'HS256') {
      if (secretBytes(key.secret).byteLength < MIN_SECRET_BYTES) {
        throw configError(`the HS256 secret of '${key.kid}' must be at least ${MIN_SECRET_BYTES} bytes`);
      }
    } else if (key.alg === 'EdDSA') {
      if (!key.publicKey) throw configError(`the EdDSA key '${key.kid}' needs a publicKey`);
    } else {
      throw configError(`the key '${(key as { kid: string }).kid}' has an alg other than HS256 or EdDSA`);
    }
  }
}

async function resolveKey(key: SessionKey): Promise<ResolvedKey> {
  if (key.alg === 'HS256') {
    const secret = secretBytes(key.secret);
    return { kid: key.kid, alg: 'HS256', sign: secret, verify: secret };
  }
  const importKey = async (value: CryptoKey | JWK, part: string): Promise<CryptoKey> => {
    if (isCryptoKey(value)) return value;
    try {
      return (await importJWK({ ...value, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey;
    } catch {
      throw configError(`the ${part} of '${key.kid}' is not an Ed25519 JWK`);
    }
  };
  return {
    kid: key.kid,
    alg: 'EdDSA',
    sign: key.privateKey ? await importKey(key.privateKey, 'privateKey') : undefined,
    verify: await importKey(key.publicKey, 'publicKey'),
  };
}

function secretBytes(secret: unknown): Uint8Array {
  if (typeof secret === 'string') return new TextEncoder().encode(secret);
  if (secret instanceof Uint8Array) return secret;
  throw configError('an HS256 secret must be a Uint8Array or a string');
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

function configError(problem: string): ConfigurationError {
  return new ConfigurationError(`createSessions: ${problem}.`, { provider: 'session' });
}

/**
 * A new session key: a random 32-byte HS256 secret, or an Ed25519 key pair as JWKs (store the private
 * one as a secret; the public one may be shared with instances that only read sessions).
 *
 * @example
 * ```ts
 * const key = await generateSessionKey({ kid: '2026-12', alg: 'EdDSA' });
 * console.log(JSON.stringify(key)); // put it in your secret store, then pass it in `keys`
 * ```
 */
export async function generateSessionKey(options: {
  kid: string;
  alg: 'HS256';
}): Promise<HmacSessionKey & { secret: Uint8Array }>;
export async function generateSessionKey(options: {
  kid: string;
  alg: 'EdDSA';
}): Promise<EdDSASessionKey & { privateKey: JWK; publicKey: JWK }>;
export async function generateSessionKey(options: {
  kid: string;
  alg: 'HS256' | 'EdDSA';
}): Promise<SessionKey> {
  if (options.alg === 'HS256') {
    return { kid: options.kid, alg: 'HS256', secret: crypto.getRandomValues(new Uint8Array(32)) };
  }
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return {
    kid: options.kid,
    alg: 'EdDSA',
    privateKey: await exportJWK(pair.privateKey),
    publicKey: await exportJWK(pair.publicKey),
  };
}
