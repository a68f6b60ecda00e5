/**
 * EVM wallet signatures: EIP-191 `personal_sign` recovery (externally owned accounts) and, when the
 * app passes an RPC provider, ERC-1271 `isValidSignature` for contract wallets (Safe, Argent). The
 * digest, recovery and ERC-1271 encoding are @authbridge/wallet's; this file keeps Picket's API.
 */
import { InvalidCredentialError, NetworkError } from '@authbridge/core';
import {
  encodeIsValidSignature,
  hashPersonalMessage,
  isErc1271Valid,
  recoverDigestSigner,
  signatureBytes,
  toChecksumAddress as walletChecksumAddress,
} from '@authbridge/wallet';

export { hashPersonalMessage };

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

const PROVIDER = 'picket';

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
  return walletChecksumAddress(address, PROVIDER);
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
  const address = recoverDigestSigner(hashPersonalMessage(message), signatureBytes(signature, PROVIDER));
  if (!address) {
    throw new InvalidCredentialError(
      'ERR_CREDENTIAL_SIGNATURE',
      'No address can be recovered from the signature.',
      {
        provider: PROVIDER,
      },
    );
  }
  return address;
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
      provider: PROVIDER,
    });
  }
  return isErc1271Valid(result);
}

/**
 * Checks an EVM `personal_sign` signature: recovery first; when that does not give `address` and a
 * `provider` is set, the contract wallet's ERC-1271 `isValidSignature` decides. ERC-6492
 * (undeployed wallets) is not supported here: `@authbridge/wallet` supports it.
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
  const bytes = signatureBytes(input.signature, PROVIDER);
  const digest = hashPersonalMessage(input.message);
  if (recoverDigestSigner(digest, bytes) === expected) return;
  if (input.provider && (await isValidErc1271(input.provider, expected, digest, bytes))) return;
  throw new InvalidCredentialError('ERR_CREDENTIAL_SIGNATURE', 'The signature was not made by this wallet.', {
    provider: PROVIDER,
  });
}
