/**
 * NFT gating (`validateTokenOwnership` of the official SDKs), on ethers. A separate entry point,
 * `@authbridge/magic/token-ownership`, so that apps that only validate logins never load ethers.
 */
import { ConfigurationError, isAuthBridgeError, NetworkError } from '@authbridge/core';
import { Contract, JsonRpcProvider } from 'ethers';
import type { MagicAdmin, TokenValidateOptions } from './admin.js';

/** Options of {@link validateTokenOwnership}. */
export interface TokenOwnershipOptions extends Pick<TokenValidateOptions, 'signal' | 'now'> {
  didToken: string;
  contractAddress: string;
  contractType: 'ERC721' | 'ERC1155';
  /** A JSON-RPC endpoint of the chain the contract lives on. */
  rpcUrl: string;
  /** Required for ERC1155. */
  tokenId?: string | bigint;
}

/** The outcome, in the shape of the official SDKs (`error_code` camelCased). */
export interface TokenOwnershipResult {
  valid: boolean;
  errorCode: '' | 'UNAUTHORIZED' | 'NO_OWNERSHIP';
  message: string;
}

const ABI = {
  ERC721: ['function balanceOf(address owner) view returns (uint256)'],
  ERC1155: ['function balanceOf(address account, uint256 id) view returns (uint256)'],
};

/**
 * Validates the DID token, then checks on chain that its issuer holds a token of the contract.
 *
 * As in the official SDKs, a malformed or expired DID token gives `{ valid: false, errorCode:
 * 'UNAUTHORIZED' }`; every other validation failure is thrown (`ERR_CREDENTIAL_*`, and the
 * client-id lookup's `ERR_PROVIDER_*`, `ERR_NETWORK`, `ERR_TIMEOUT`). Also `ERR_CONFIG` (ERC1155
 * without `tokenId`) and `ERR_NETWORK` when the RPC call fails.
 *
 * @example
 * ```ts
 * const { valid } = await validateTokenOwnership(magicAdmin, {
 *   didToken, contractAddress: '0xabc…', contractType: 'ERC721', rpcUrl: 'https://rpc.example',
 * });
 * ```
 */
export async function validateTokenOwnership(
  admin: MagicAdmin,
  options: TokenOwnershipOptions,
): Promise<TokenOwnershipResult> {
  if (options.contractType === 'ERC1155' && options.tokenId === undefined) {
    throw new ConfigurationError('magic: ERC1155 requires a tokenId.', { provider: 'magic' });
  }
  let owner: string;
  try {
    owner = (await admin.token.validate(options.didToken, { signal: options.signal, now: options.now }))
      .publicAddress;
  } catch (error) {
    if (isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED', 'ERR_CREDENTIAL_EXPIRED')) {
      return { valid: false, errorCode: 'UNAUTHORIZED', message: `Invalid DID token: ${error.providerCode}` };
    }
    throw error;
  }
  const provider = new JsonRpcProvider(options.rpcUrl, undefined, { staticNetwork: true });
  try {
    const contract = new Contract(options.contractAddress, ABI[options.contractType], provider);
    const args = options.contractType === 'ERC1155' ? [owner, options.tokenId] : [owner];
    const balance = (await contract.getFunction('balanceOf').staticCall(...args)) as bigint;
    return balance > 0n
      ? { valid: true, errorCode: '', message: '' }
      : { valid: false, errorCode: 'NO_OWNERSHIP', message: 'User does not own this token.' };
  } catch (error) {
    throw new NetworkError('magic: the token-ownership RPC call failed.', {
      provider: 'magic',
      details: error instanceof Error ? error.message.slice(0, 200) : undefined,
    });
  } finally {
    provider.destroy();
  }
}
