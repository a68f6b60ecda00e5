/**
 * Test wallets for the picket tests: they sign as browser wallets do (personal_sign with v = 27/28,
 * base58 ed25519). Keys are the public test keys the emulator seeds; never use them elsewhere.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58 } from '@scure/base';
import nacl from 'tweetnacl';

/** Hardhat account #0, the emulator's token-holding EVM wallet. */
export const EVM_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const EVM_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
/** Hardhat account #1: a wallet with no tokens. */
export const EVM_EMPTY_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
export const EVM_EMPTY_ADDRESS = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
/** RFC 8032 §7.1 test 1 seed: the emulator's Solana wallet. */
export const SOLANA_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
export const SOLANA_ADDRESS = 'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** personal_sign of `message` with a secp256k1 key, as `0x` r‖s‖v (v = 27/28). */
export function signEvm(message: string, privateKey = EVM_KEY): string {
  const body = Buffer.from(message, 'utf8');
  const digest = keccak_256(
    Buffer.concat([Buffer.from(`\x19Ethereum Signed Message:\n${body.length}`), body]),
  );
  const sig = secp256k1.sign(digest, Buffer.from(privateKey.slice(2), 'hex'), {
    prehash: false,
    format: 'recovered',
  });
  return `0x${hex(sig.subarray(1))}${((sig[0] as number) + 27).toString(16)}`;
}

/** Detached ed25519 signature of `message`, base58, as Solana wallet adapters return it. */
export function signSolana(message: string, seedHex = SOLANA_SEED): string {
  const pair = nacl.sign.keyPair.fromSeed(Buffer.from(seedHex, 'hex'));
  return base58.encode(nacl.sign.detached(Buffer.from(message, 'utf8'), pair.secretKey));
}

/** A fresh ed25519 wallet: its base58 address and signer. */
export function newSolanaWallet(): { address: string; sign(message: string): string } {
  const pair = nacl.sign.keyPair();
  return {
    address: base58.encode(pair.publicKey),
    sign: (message) => base58.encode(nacl.sign.detached(Buffer.from(message, 'utf8'), pair.secretKey)),
  };
}
