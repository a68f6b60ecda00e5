/**
 * CAIP-2 chain ids and CAIP-10 account ids: the subjects `wallet()` returns
 * (`eip155:1:0xAb16…Cdb`, `solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp:7S3P…AaKv`).
 */
import { misconfigured } from './errors.js';

/** The chain families `wallet()` signs in with. */
export type ChainFamily = 'ethereum' | 'solana';

/** A chain the provider accepts, resolved from its CAIP-2 id. */
export type WalletChain =
  | { family: 'ethereum'; caip2: `eip155:${number}`; chainId: number }
  | { family: 'solana'; caip2: `solana:${string}`; cluster: string };

/** CAIP-2 ids of the Solana clusters: `solana:` + the first 32 base58 characters of the genesis hash. */
export const SOLANA_CHAINS = {
  mainnet: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
  devnet: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
  testnet: 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z',
} as const;

const CAIP2 = /^([-a-z0-9]{3,8}):([-_a-zA-Z0-9]{1,32})$/;

/**
 * Resolves a chain given in configuration: a CAIP-2 id (`eip155:1`, `solana:5eykt…`), a Solana
 * cluster alias (`solana:mainnet`, `solana:devnet`, `solana:testnet`), or an EIP-155 chain id number.
 *
 * Errors: `ERR_CONFIG` for anything else.
 *
 * @example
 * ```ts
 * resolveChain('solana:mainnet'); // { family: 'solana', caip2: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp', cluster: 'mainnet' }
 * ```
 */
export function resolveChain(chain: string | number): WalletChain {
  if (typeof chain === 'number') return evmChain(chain);
  const match = CAIP2.exec(chain);
  if (!match) misconfigured(`'${chain}' is not a CAIP-2 chain id such as eip155:1.`);
  // Both groups are required by the pattern, so a match always has them.
  const [, namespace = '', reference = ''] = match;
  if (namespace === 'eip155') {
    if (!/^[1-9][0-9]*$/.test(reference)) misconfigured(`'${chain}' does not name an EIP-155 chain id.`);
    return evmChain(Number(reference));
  }
  if (namespace === 'solana') {
    for (const [cluster, caip2] of Object.entries(SOLANA_CHAINS)) {
      if (reference === cluster || caip2 === chain) return { family: 'solana', caip2, cluster };
    }
    misconfigured(`'${chain}' is not a Solana cluster this package knows (mainnet, devnet, testnet).`);
  }
  misconfigured(`Chain namespace '${namespace}' is not supported: use eip155 or solana.`);
}

function evmChain(chainId: number): WalletChain {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) misconfigured(`${chainId} is not an EIP-155 chain id.`);
  return { family: 'ethereum', caip2: `eip155:${chainId}`, chainId };
}

/**
 * The CAIP-10 account id of an address on a chain.
 *
 * @example
 * ```ts
 * toAccountId('eip155:1', '0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb'); // 'eip155:1:0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb'
 * ```
 */
export function toAccountId(caip2: string, address: string): string {
  return `${caip2}:${address}`;
}
