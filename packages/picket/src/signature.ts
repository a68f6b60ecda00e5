/**
 * One entry point for local wallet-signature checks, whatever the chain.
 */
import { ConfigurationError } from '@authbridge/core';
import { type Erc1271Provider, verifyEvmSignature } from './evm.js';
import type { ChainType } from './message.js';
import { verifySolanaSignature } from './solana.js';

/**
 * The chain family of a Picket chain slug. Picket's other slugs (`polygon`, `optimism`,
 * `arbitrum`, `avalanche`, ...) are all EVM chains, so anything not Solana or Flow is EVM.
 *
 * @example
 * ```ts
 * chainTypeOf('polygon'); // 'ethereum'
 * ```
 */
export function chainTypeOf(chain: string): ChainType {
  if (chain === 'solana' || chain === 'flow') return chain;
  return 'ethereum';
}

/** Input of {@link verifyWalletSignature}. */
export interface VerifyWalletSignatureInput {
  /** A Picket chain slug: `ethereum`, `polygon`, `solana`, ... */
  chain: string;
  walletAddress: string;
  /** The exact text that was signed, such as {@link createSigningMessage}'s result. */
  message: string;
  /** `0x` hex on EVM chains, base58 on Solana. */
  signature: string;
  /** EVM only: an RPC provider on the message's chain, for ERC-1271 contract wallets. */
  provider?: Erc1271Provider;
}

/**
 * Verifies a wallet's signature of a message locally, without calling Picket: EVM `personal_sign`
 * (with ERC-1271 when `provider` is set) or Solana ed25519.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` for an address or signature of the wrong form;
 * `ERR_CREDENTIAL_SIGNATURE` when the signature is not the wallet's; `ERR_NETWORK` when an ERC-1271
 * call fails; `ERR_CONFIG` for Flow, whose keys live on chain (verify those through Picket).
 *
 * @example
 * ```ts
 * await verifyWalletSignature({ chain: 'solana', walletAddress, message: challenge.message, signature });
 * ```
 */
export async function verifyWalletSignature(input: VerifyWalletSignatureInput): Promise<void> {
  const type = chainTypeOf(input.chain);
  if (type === 'solana') {
    return verifySolanaSignature({
      address: input.walletAddress,
      message: input.message,
      signature: input.signature,
    });
  }
  if (type === 'flow') {
    throw new ConfigurationError(
      'Flow signatures need the account keys on chain: verify them through Picket.',
      {
        provider: 'picket',
      },
    );
  }
  return verifyEvmSignature({
    address: input.walletAddress,
    message: input.message,
    signature: input.signature,
    provider: input.provider,
  });
}
