/**
 * Token gating as the emulator applies it (spec §5): the allowed-wallets list ORed with the token
 * requirement, whose balances are summed in picket-js's order and compared exactly as decimals.
 */
import type { WalletBalances } from './fixtures.js';

/** Requirements after normalising the wire spellings (spec §7.3). */
export interface Requirements {
  contractAddress?: string;
  minTokenBalance?: string;
  allowedWallets?: string[];
  tokenIds?: string[];
  collection?: string[];
  creatorAddress?: string;
}

/** Balances as served: by kind, then keyed by the requirement's own spelling. */
export type ServedBalances = Record<string, Record<string, string>>;

type Kind = keyof WalletBalances;

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
const asList = (value: unknown): string[] | undefined => {
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .map(asString)
    .filter((x): x is string => !!x);
  return list.length > 0 ? list : undefined;
};

/** Reads requirements from a body object, accepting picket-go's `token_ids`. Undefined when empty. */
export function readRequirements(raw: unknown): Requirements | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const out: Requirements = {
    contractAddress: asString(r.contractAddress ?? r.contract_address),
    minTokenBalance: asString(r.minTokenBalance ?? r.min_token_balance),
    allowedWallets: asList(r.allowedWallets ?? r.allowed_wallets),
    tokenIds: asList(r.tokenIds ?? r.token_ids),
    collection: asList(r.collection),
    creatorAddress: asString(r.creatorAddress ?? r.creator_address),
  };
  for (const key of Object.keys(out) as (keyof Requirements)[]) if (out[key] === undefined) delete out[key];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Whether the requirements ask for tokens (not just an allow-list). */
export function hasTokenRequirement(r: Requirements): boolean {
  return !!(r.contractAddress || r.creatorAddress || r.tokenIds || r.collection);
}

function decimal(text: string | undefined): [bigint, number] | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec((text ?? '').trim());
  return m ? [BigInt(m[1] + (m[2] ?? '')), (m[2] ?? '').length] : undefined;
}

function scaled([units, scale]: [bigint, number], to: number): bigint {
  return units * 10n ** BigInt(to - scale);
}

/** The (kind, key) pairs a requirement reads, in picket-js's order. */
function lookups(r: Requirements): [Kind, string][] {
  return [
    ...(r.contractAddress ? [['contractAddress', r.contractAddress] as [Kind, string]] : []),
    ...(r.collection ?? []).map((c): [Kind, string] => ['collection', c]),
    ...(r.creatorAddress ? [['creatorAddress', r.creatorAddress] as [Kind, string]] : []),
    ...(r.tokenIds ?? []).map((t): [Kind, string] => ['tokenIds', t]),
  ];
}

/**
 * Whether balances meet the token requirement; undefined when `minTokenBalance` is not a decimal.
 * A requirement that reads no balance (only `allowedWallets`, or only `minTokenBalance`) sums to 0
 * and is not met, as in picket-js.
 */
export function meetsTokenRequirement(balances: ServedBalances, r: Requirements): boolean | undefined {
  const min = decimal(r.minTokenBalance ?? '0');
  if (!min) return undefined;
  let total: [bigint, number] = [0n, 0];
  for (const [kind, key] of lookups(r)) {
    const value = decimal(balances[kind]?.[key]) ?? [0n, 0];
    const scale = Math.max(total[1], value[1], min[1]);
    total = [scaled(total, scale) + scaled(value, scale), scale];
    const passes = min[0] === 0n ? total[0] > 0n : total[0] >= scaled(min, scale);
    if (passes) return true;
  }
  return false;
}

/** Sums the balances a requirement reads, as a decimal string (`tokenBalance` of tokenOwnership). */
export function totalBalance(balances: ServedBalances, r: Requirements): string {
  let total: [bigint, number] = [0n, 0];
  for (const [kind, key] of lookups(r)) {
    const value = decimal(balances[kind]?.[key]) ?? [0n, 0];
    const scale = Math.max(total[1], value[1]);
    total = [scaled(total, scale) + scaled(value, scale), scale];
  }
  const digits = total[0].toString().padStart(total[1] + 1, '0');
  return total[1] === 0
    ? digits
    : `${digits.slice(0, -total[1])}.${digits.slice(-total[1])}`.replace(/\.?0+$/, '');
}

/**
 * The on-chain balances the requirement asks about, read from the seeded table. EVM contract
 * addresses match in any case, as they do on chain; the reply keys use the requirement's spelling.
 */
export function readBalances(held: WalletBalances | undefined, r: Requirements): ServedBalances {
  const out: ServedBalances = {};
  for (const [kind, key] of lookups(r)) {
    const table = held?.[kind] ?? {};
    const value = table[key] ?? (kind === 'contractAddress' ? table[key.toLowerCase()] : undefined) ?? '0';
    out[kind] = { ...out[kind], [key]: value };
  }
  return out;
}

/** Union of two balance sets; the newer value wins for a key present in both. */
export function mergeBalances(older: ServedBalances, newer: ServedBalances): ServedBalances {
  const out: ServedBalances = { ...older };
  for (const [kind, map] of Object.entries(newer)) out[kind] = { ...out[kind], ...map };
  return out;
}

/** Whether `walletAddress` is on the allow-list (EVM addresses compared in any case). */
export function isAllowedWallet(r: Requirements, walletAddress: string): boolean {
  const evm = /^0x[0-9a-fA-F]{40}$/.test(walletAddress);
  return (r.allowedWallets ?? []).some((w) =>
    evm ? w.toLowerCase() === walletAddress.toLowerCase() : w === walletAddress,
  );
}
