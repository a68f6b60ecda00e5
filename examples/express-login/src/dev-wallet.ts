/**
 * DEVELOPMENT ONLY. The demo's built-in Ethereum wallet: a fresh random key made at start-up, held by
 * this process and never sent anywhere. It signs Picket's sign-in messages the way a browser wallet does
 * (EIP-191 `personal_sign`, through ethers), so a Picket login in the demo is a real signature check.
 * Beside it, a Solana account (an ed25519 key of node:crypto) that signs Sign-In With Solana messages the
 * way a Solana wallet's `signMessage` does, for the self-hosted wallet login.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { base58 } from '@scure/base';
import { hexlify, randomBytes, Wallet } from 'ethers';

/**
 * The ERC-721 contract the Picket emulator's token fixtures name (`fixtures.picket.tokens.nft`). The dev
 * wallet is seeded as holding one, so token gating can be tried with it; a test checks the emulator still
 * uses this address.
 */
export const EMULATOR_NFT_CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

/** What the demo's wallet exposes: its address, and signing. The key stays inside. */
export interface DevWallet {
  chain: 'ethereum';
  address: string;
  /** The 65-byte `personal_sign` signature over `message`, as 0x-hex. */
  signMessage(message: string): Promise<string>;
  /** The Solana account of the same wallet: a base58 ed25519 public key. */
  solana: {
    address: string;
    /** The base58 ed25519 signature over the UTF-8 bytes of `message`, as Solana wallet adapters give it. */
    signMessage(message: string): string;
  };
}

/**
 * A new development wallet with a random key.
 *
 * @example
 * ```ts
 * const wallet = createDevWallet();
 * const signature = await wallet.signMessage(challenge.message);
 * ```
 */
export function createDevWallet(): DevWallet {
  const wallet = new Wallet(hexlify(randomBytes(32)));
  const solana = generateKeyPairSync('ed25519');
  return {
    chain: 'ethereum',
    address: wallet.address,
    signMessage: (message) => wallet.signMessage(message),
    solana: {
      address: base58.encode(rawPublicKey(solana.publicKey)),
      signMessage: (message) => base58.encode(sign(null, Buffer.from(message, 'utf8'), solana.privateKey)),
    },
  };
}

/** The 32 raw bytes of an ed25519 public key (its JWK `x`). */
function rawPublicKey(key: KeyObject): Uint8Array {
  const { x } = key.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('node:crypto gave an ed25519 key without its public part.');
  return Buffer.from(x, 'base64url');
}

/**
 * The wallet as the Picket emulator's `providerOptions.picket.wallets` entry: its address and token
 * balances, so the emulator answers Picket's token-ownership questions for it. No key: the emulator
 * never signs for this wallet.
 */
export function emulatorWalletSeed(wallet: DevWallet) {
  return {
    chain: wallet.chain,
    address: wallet.address,
    balances: { contractAddress: { [EMULATOR_NFT_CONTRACT.toLowerCase()]: '1' } },
  };
}
