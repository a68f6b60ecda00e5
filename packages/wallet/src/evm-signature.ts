/**
 * Who signed a SIWE message: an externally owned account (EIP-191, checked locally), a deployed
 * contract wallet (ERC-1271 over the app's RPC), or a counterfactual one (ERC-6492, one deployless
 * `eth_call`). The order is the one ERC-6492 requires: a wrapped signature first, then recovery,
 * then the contract.
 */
import type { CallOptions } from '@authbridge/core';
import {
  encodeIsValidSignature,
  encodeValidatorArguments,
  hashPersonalMessage,
  isErc1271Valid,
  isErc6492Signature,
  recoverDigestSigner,
  signatureBytes,
  toChecksumAddress,
} from './eip191.js';
import { ERC6492_VALIDATOR_BYTECODE } from './erc6492-validator.js';
import { refuse } from './errors.js';
import type { EvmRpc } from './rpc.js';

/** How an EVM signature was found valid. */
export type EvmSignatureType = 'eip191' | 'eip1271' | 'eip6492';

/** Input of {@link verifyEvmSignature}. */
export interface VerifyEvmSignatureInput {
  /** The account that should have signed: `0x` + 40 hex digits. */
  address: string;
  /** The exact text (or bytes) that was signed with `personal_sign`. */
  message: string | Uint8Array;
  /** `0x` hex: 65 or 64 bytes for an EOA, anything for a contract wallet, ERC-6492 wrapped or not. */
  signature: string;
  /** A client of a node on the message's chain; without it only EOAs can be verified. */
  rpc?: EvmRpc;
}

/**
 * Verifies a `personal_sign` signature of any kind of account and says which kind it was.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` for an address or signature that is not hex of the right form;
 * `ERR_CREDENTIAL_SIGNATURE` when the signature is not the account's (or needs an RPC there is none
 * for); from the RPC: `ERR_TIMEOUT`, `ERR_NETWORK`, `ERR_ABORTED`, `ERR_PROVIDER_*`,
 * `ERR_UNEXPECTED_RESPONSE` (all fail closed: no login).
 *
 * @example
 * ```ts
 * const rpc = createEvmRpc({ url: process.env.MAINNET_RPC_URL! });
 * await verifyEvmSignature({ address, message, signature, rpc }); // 'eip191' | 'eip1271' | 'eip6492'
 * ```
 */
export async function verifyEvmSignature(
  input: VerifyEvmSignatureInput,
  options: CallOptions = {},
): Promise<EvmSignatureType> {
  const address = toChecksumAddress(input.address);
  const bytes = signatureBytes(input.signature);
  const digest = hashPersonalMessage(input.message);
  const { rpc } = input;
  if (isErc6492Signature(bytes)) {
    if (!rpc) noRpc('an ERC-6492 (not yet deployed) account');
    const data = `${ERC6492_VALIDATOR_BYTECODE}${encodeValidatorArguments(address, digest, bytes)}`;
    const answer = await rpc.call({ data }, options);
    if (!answer.reverted && answer.data === '0x01') return 'eip6492';
    wrongSigner();
  }
  if (recoverDigestSigner(digest, bytes) === address) return 'eip191';
  if (rpc) {
    const answer = await rpc.call({ to: address, data: encodeIsValidSignature(digest, bytes) }, options);
    if (!answer.reverted && isErc1271Valid(answer.data)) return 'eip1271';
  }
  wrongSigner(rpc ? undefined : 'Contract wallets need an RPC URL for the chain (the rpc option).');
}

function wrongSigner(details?: string): never {
  refuse('ERR_CREDENTIAL_SIGNATURE', 'The signature was not made by this wallet.', details);
}

function noRpc(what: string): never {
  refuse(
    'ERR_CREDENTIAL_SIGNATURE',
    `The signature is from ${what}, which needs an RPC URL for the message's chain.`,
    'Set the rpc option for this chain id.',
  );
}
