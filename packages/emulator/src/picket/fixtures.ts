/**
 * Seeded state of the Picket emulator: projects and their keys, test wallets (with their private
 * keys: TEST ONLY, publicly known, never hold real funds with them), token balances and chains.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58 } from '@scure/base';

/** A Picket project: its keys and the message format its logins use. */
export interface PicketProject {
  id: string;
  secretKey: string;
  publishableKey: string;
  format: 'simple' | 'siwe';
}

/** Balances of one wallet, by requirement kind, then by contract / collection / creator / mint. */
export interface WalletBalances {
  contractAddress?: Record<string, string>;
  collection?: Record<string, string>;
  tokenIds?: Record<string, string>;
  creatorAddress?: Record<string, string>;
}

/**
 * A seeded wallet. A `privateKey` is published on purpose: it is a TEST-ONLY key. A wallet an app
 * seeds with its own key (a development wallet) leaves it out, and the emulator never signs for it.
 */
export interface TestWallet {
  chain: 'ethereum' | 'solana';
  address: string;
  /** EVM: 0x-hex secp256k1 key. Solana: hex of the 32-byte ed25519 seed. Absent: the emulator cannot sign. */
  privateKey?: string;
  displayAddress?: string;
  balances: WalletBalances;
}

/** One chain of `GET /chains`. */
export interface PicketChain {
  chainSlug: string;
  chainId: number;
  chainType: 'ethereum' | 'solana' | 'flow';
  chainName: string;
  publicRPC: string;
  authorizationSupported: boolean;
}

/** What `emulator.fixtures.picket` holds. */
export interface PicketEmulatorFixtures {
  /** The projects and their keys (the seeded ones, or `providerOptions.picket.projects`). */
  projects: PicketProject[];
  /** The test wallets, with their public TEST-ONLY keys where the emulator can sign for them. */
  wallets: TestWallet[];
  /** The contracts, collections, creators and mints the seeded balances name. */
  tokens: typeof PICKET_TOKENS;
  /** What `GET /chains` answers. */
  chains: PicketChain[];
  /** Where Picket serves its API (`/api/v1`); the emulator also serves it at `emulator.urls.picket`. */
  apiBasePath: string;
}

/** Options of the Picket emulator module (`providerOptions.picket`). */
export interface PicketEmulatorOptions {
  /** Replaces the seeded projects. */
  projects?: PicketProject[];
  /** Wallets added to the seeded ones (their balances too). */
  wallets?: TestWallet[];
  /** Access-token lifetime in seconds. Default 43200 (the 12 hours Picket documents). */
  tokenTtlSeconds?: number;
  /** Nonce lifetime in seconds. Default 120. */
  nonceTtlSeconds?: number;
}

/** Token contracts and Solana ids the seeded balances refer to. */
export const PICKET_TOKENS = {
  /** An ERC-721 the EVM test wallet holds 3 of. */
  nft: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  /** An ERC-20 the EVM test wallet holds 0.1337 of. */
  erc20: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  /** An SPL mint the Solana test wallet holds 2 of. */
  mint: 'EmuMint1111111111111111111111111111111111111',
  /** A Metaplex collection the Solana test wallet holds 1 of. */
  collection: 'EmuCo11ection11111111111111111111111111111111',
  /** A verified creator of 1 of the Solana test wallet's NFTs. */
  creator: 'EmuCreator111111111111111111111111111111111',
} as const;

function evmAddress(privateKey: string): string {
  const publicKey = secp256k1.getPublicKey(Buffer.from(privateKey.slice(2), 'hex'), false);
  const hex = Buffer.from(keccak_256(publicKey.subarray(1)).subarray(12)).toString('hex');
  const hash = Buffer.from(keccak_256(new TextEncoder().encode(hex))).toString('hex');
  return `0x${[...hex].map((c, i) => (Number.parseInt(hash[i] ?? '0', 16) >= 8 ? c.toUpperCase() : c)).join('')}`;
}

function solanaAddress(seedHex: string): string {
  // PKCS#8 prefix of a raw Ed25519 seed (RFC 8410).
  const der = Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(seedHex, 'hex'),
  ]);
  const jwk = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({
    format: 'jwk',
  });
  return base58.encode(Buffer.from(jwk.x as string, 'base64url'));
}

// Hardhat's accounts #0 and #1 and RFC 8032 §7.1 test key 1: keys the whole world already knows.
const EVM_HOLDER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const EVM_EMPTY_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const SOLANA_HOLDER_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';

/** The seeded wallets. */
export function seededWallets(): TestWallet[] {
  return [
    {
      chain: 'ethereum',
      address: evmAddress(EVM_HOLDER_KEY),
      privateKey: EVM_HOLDER_KEY,
      displayAddress: 'emulator-holder.eth',
      balances: {
        contractAddress: {
          [PICKET_TOKENS.nft.toLowerCase()]: '3',
          [PICKET_TOKENS.erc20.toLowerCase()]: '0.1337',
        },
      },
    },
    { chain: 'ethereum', address: evmAddress(EVM_EMPTY_KEY), privateKey: EVM_EMPTY_KEY, balances: {} },
    {
      chain: 'solana',
      address: solanaAddress(SOLANA_HOLDER_SEED),
      privateKey: SOLANA_HOLDER_SEED,
      balances: {
        tokenIds: { [PICKET_TOKENS.mint]: '2' },
        collection: { [PICKET_TOKENS.collection]: '1' },
        creatorAddress: { [PICKET_TOKENS.creator]: '1' },
      },
    },
  ];
}

/** The seeded projects: one per message format. */
export const SEEDED_PROJECTS: PicketProject[] = [
  {
    id: '53e74bdf-6e6e-4f31-b0d1-ceda189a6a25',
    secretKey: 'sk_test_emulator_simple',
    publishableKey: 'pk_test_emulator_simple',
    format: 'simple',
  },
  {
    id: '8a1c0c3e-5f0b-4a5e-9d5c-2f0c6b7e9a11',
    secretKey: 'sk_test_emulator_siwe',
    publishableKey: 'pk_test_emulator_siwe',
    format: 'siwe',
  },
];

/**
 * Chains served by `GET /chains`. No source gives Solana's or Flow's `chainId` (spec §12): 101 and
 * 747 are this emulator's choice, non-zero so that SIWE messages can be built.
 */
export const CHAINS: PicketChain[] = [
  {
    chainSlug: 'ethereum',
    chainId: 1,
    chainType: 'ethereum',
    chainName: 'Ethereum',
    publicRPC: 'https://cloudflare-eth.com',
    authorizationSupported: true,
  },
  {
    chainSlug: 'polygon',
    chainId: 137,
    chainType: 'ethereum',
    chainName: 'Polygon',
    publicRPC: 'https://polygon-rpc.com',
    authorizationSupported: true,
  },
  {
    chainSlug: 'optimism',
    chainId: 10,
    chainType: 'ethereum',
    chainName: 'Optimism',
    publicRPC: 'https://mainnet.optimism.io',
    authorizationSupported: true,
  },
  {
    chainSlug: 'arbitrum',
    chainId: 42161,
    chainType: 'ethereum',
    chainName: 'Arbitrum',
    publicRPC: 'https://arb1.arbitrum.io/rpc',
    authorizationSupported: true,
  },
  {
    chainSlug: 'avalanche',
    chainId: 43114,
    chainType: 'ethereum',
    chainName: 'Avalanche',
    publicRPC: 'https://api.avax.network/ext/bc/C/rpc',
    authorizationSupported: true,
  },
  {
    chainSlug: 'solana',
    chainId: 101,
    chainType: 'solana',
    chainName: 'Solana',
    publicRPC: 'https://api.mainnet-beta.solana.com',
    authorizationSupported: true,
  },
  {
    chainSlug: 'flow',
    chainId: 747,
    chainType: 'flow',
    chainName: 'Flow',
    publicRPC: 'https://rest-mainnet.onflow.org',
    authorizationSupported: false,
  },
];

/** Localised statements; a locale picks by its language, English otherwise. */
export const STATEMENTS: Record<string, string> = {
  en: 'Sign in with your wallet',
  fr: 'Connectez-vous avec votre portefeuille',
  de: 'Melden Sie sich mit Ihrer Wallet an',
};

/** The statement for a BCP-47 locale. */
export function statementFor(locale: string | undefined): string {
  const language = (locale ?? 'en').split(/[-_]/)[0]?.toLowerCase() ?? 'en';
  return STATEMENTS[language] ?? (STATEMENTS.en as string);
}
