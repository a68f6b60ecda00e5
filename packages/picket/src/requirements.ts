/**
 * Token-gating requirements (spec §5) and the local check picket-js runs before calling `/authz`.
 */
import { ConfigurationError } from '@authbridge/core';
import type { TokenBalances } from './wire.js';

/** What a wallet must hold (or be) to pass. Token requirements and `allowedWallets` are ORed. */
export interface AuthRequirements {
  /** An ERC-20, ERC-721 or ERC-1155 contract on an EVM chain. */
  contractAddress?: string;
  /** The minimum balance; when absent, any non-zero balance passes. */
  minTokenBalance?: number | string;
  /** Wallets that pass regardless of balances. */
  allowedWallets?: string[];
  /** Solana SPL mint addresses. */
  tokenIds?: string[];
  /** Metaplex collection id(s). */
  collection?: string | string[];
  /** A verified Solana creator. */
  creatorAddress?: string;
}

/** A decimal as an integer and a count of fraction digits, so balances like `0.1337` compare exactly. */
interface Decimal {
  units: bigint;
  scale: number;
}

function parseDecimal(text: string): Decimal | undefined {
  const match = /^\s*(\d+)(?:\.(\d+))?\s*$/.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  return { units: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
}

function rescale(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function compare(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x === y ? 0 : x > y ? 1 : -1;
}

function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

const ZERO: Decimal = { units: 0n, scale: 0 };

function balanceOf(map: unknown, key: string): Decimal {
  if (typeof map !== 'object' || map === null) return ZERO;
  const value = (map as Record<string, unknown>)[key];
  // A balance Picket could not express as a plain decimal counts as nothing held, never as a pass.
  return (
    (typeof value === 'string' || typeof value === 'number' ? parseDecimal(String(value)) : undefined) ?? ZERO
  );
}

/**
 * Whether `tokenBalances` meets `requirements` by picket-js's local check: the balances of the
 * contract, each collection, the creator and each mint are summed, and the sum must reach
 * `minTokenBalance` (or be above zero when there is none). Keys match exactly.
 *
 * Only an empty requirements object (or none) passes without balances. `allowedWallets` is not
 * checked here, as in picket-js: only Picket knows how it matches a wallet (ENS names, aliases), so
 * requirements that are only an allow-list (or only `minTokenBalance`) give `false`, meaning "not
 * shown locally: ask Picket" (`authz` or `validate`), never a silent pass.
 *
 * Errors: `ERR_CONFIG` when `minTokenBalance` is not a non-negative decimal.
 *
 * @example
 * ```ts
 * meetsAuthRequirements({ contractAddress: { '0xabc': '2' } }, { contractAddress: '0xabc', minTokenBalance: 2 }); // true
 * meetsAuthRequirements(user.tokenBalances, { allowedWallets: [user.walletAddress] }); // false: Picket decides
 * ```
 */
export function meetsAuthRequirements(
  tokenBalances: TokenBalances | undefined,
  requirements?: AuthRequirements,
): boolean {
  // picket-js passes only requirements with no keys at all; a key set to undefined or [] still fails closed.
  if (!requirements || Object.keys(requirements).length === 0) return true;
  if (!tokenBalances || Object.keys(tokenBalances).length === 0) return false;
  const minText =
    requirements.minTokenBalance === undefined || requirements.minTokenBalance === ''
      ? '0'
      : String(requirements.minTokenBalance);
  const min = parseDecimal(minText);
  if (!min)
    throw new ConfigurationError('minTokenBalance must be a non-negative decimal number.', {
      provider: 'picket',
    });
  const passes = (total: Decimal) => (min.units === 0n ? total.units > 0n : compare(total, min) >= 0);
  const keys: [unknown, string][] = [];
  if (requirements.contractAddress) keys.push([tokenBalances.contractAddress, requirements.contractAddress]);
  const collections = requirements.collection === undefined ? [] : [requirements.collection].flat();
  for (const collection of collections) keys.push([tokenBalances.collection, collection]);
  if (requirements.creatorAddress) keys.push([tokenBalances.creatorAddress, requirements.creatorAddress]);
  for (const mint of requirements.tokenIds ?? []) keys.push([tokenBalances.tokenIds, mint]);
  let total = ZERO;
  for (const [map, key] of keys) {
    total = add(total, balanceOf(map, key));
    if (passes(total)) return true;
  }
  return false;
}
