/**
 * Solana wallet signatures: ed25519 over the UTF-8 message, with base58 keys and signatures. The
 * ed25519 path (Web Crypto with a pure-JS fallback, small-order and non-canonical keys refused) is
 * @authbridge/wallet's; this file keeps Picket's API and errors.
 */
import { InvalidCredentialError, utf8ToBytes } from '@authbridge/core';
import { type Ed25519Backend, verifyEd25519 } from '@authbridge/wallet';
import { base58 } from '@scure/base';

export {
  detectEd25519Backend,
  type Ed25519Backend,
  ed25519Backend,
  verifyEd25519Noble,
} from '@authbridge/wallet';

/** Input of {@link verifySolanaSignature}. */
export interface VerifySolanaSignatureInput {
  /** The wallet: its base58 ed25519 public key. */
  address: string;
  /** The exact text (or bytes) that was signed. */
  message: string | Uint8Array;
  /** The base58 64-byte detached signature, as Solana wallet adapters return it. */
  signature: string;
}

function malformed(message: string): never {
  throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', message, { provider: 'picket' });
}

function decodeBase58(text: string, length: number, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(text);
  } catch {
    malformed(`The ${what} is not base58.`);
  }
  if (bytes.length !== length) malformed(`The ${what} is not ${length} bytes.`);
  return bytes;
}

/**
 * {@link verifySolanaSignature} on a chosen backend. Internal: exported so that tests run the
 * pure-JS fallback on a runtime that has Web Crypto.
 *
 * @internal
 */
export async function verifySolanaSignatureWith(
  backendName: Ed25519Backend | undefined,
  input: VerifySolanaSignatureInput,
): Promise<void> {
  const publicKey = decodeBase58(input.address, 32, 'wallet address');
  const signature = decodeBase58(input.signature, 64, 'signature');
  const message = typeof input.message === 'string' ? utf8ToBytes(input.message) : input.message;
  if (!(await verifyEd25519(publicKey, signature, message, backendName))) {
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
  return verifySolanaSignatureWith(undefined, input);
}
