/**
 * The provider side of a Picket login: rebuild the message the wallet signed and check the
 * signature (spec §3). Independent of the adapter on purpose, so that integration tests compare two
 * readings of the spec.
 */
import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58 } from '@scure/base';

/** The SIWE context as the emulator accepts it (chainId may arrive as a string from picket-go). */
export interface LoginContext {
  domain: string;
  uri: string;
  chainId: number;
  issuedAt: string;
  chainType: 'ethereum' | 'solana' | 'flow';
  locale?: string;
}

/** What the message is made of. */
export interface MessageParts {
  format: 'simple' | 'siwe';
  statement: string;
  nonce: string;
  walletAddress: string;
  context?: LoginContext;
}

/** The exact login text, or undefined when a SIWE login came without its context. */
export function loginMessage(parts: MessageParts): string | undefined {
  if (parts.format === 'simple')
    return `${parts.statement}\n\nAddress: ${parts.walletAddress}\nNonce: ${parts.nonce}`;
  const ctx = parts.context;
  if (!ctx) return undefined;
  const family = ctx.chainType === 'solana' ? 'Solana' : ctx.chainType === 'flow' ? 'Flow' : 'Ethereum';
  const text =
    `${ctx.domain} wants you to sign in with your Ethereum account:\n${parts.walletAddress}\n\n${parts.statement}\n\n` +
    `URI: ${ctx.uri}\nVersion: 1\nChain ID: ${ctx.chainId}\nNonce: ${parts.nonce}\nIssued At: ${ctx.issuedAt}`;
  return text.split('Ethereum').join(family);
}

function personalDigest(message: string): Uint8Array {
  const body = Buffer.from(message, 'utf8');
  return keccak_256(
    Buffer.concat([Buffer.from(`\x19Ethereum Signed Message:\n${body.length}`, 'utf8'), body]),
  );
}

/** Whether `signature` (0x, 65 bytes r‖s‖v) is `address`'s personal_sign of `message`. */
export function evmSignatureMatches(address: string, message: string, signature: string): boolean {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) return false;
  const raw = Buffer.from(signature.slice(2), 'hex');
  const v = raw[64] as number;
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery > 1) return false;
  try {
    const sig = secp256k1.Signature.fromBytes(
      Buffer.concat([Buffer.from([recovery]), raw.subarray(0, 64)]),
      'recovered',
    );
    if (sig.hasHighS()) return false;
    const publicKey = sig.recoverPublicKey(personalDigest(message)).toBytes(false);
    const recovered = Buffer.from(keccak_256(publicKey.subarray(1)).subarray(12)).toString('hex');
    return `0x${recovered}` === address.toLowerCase();
  } catch {
    return false;
  }
}

/** Whether `signature` (base58, 64 bytes) is the ed25519 signature of `message` by `address` (base58 key). */
export function solanaSignatureMatches(address: string, message: string, signature: string): boolean {
  try {
    const key = Buffer.from(base58.decode(address));
    const sig = Buffer.from(base58.decode(signature));
    if (key.length !== 32 || sig.length !== 64) return false;
    // OpenSSL accepts R = identity, S = 0 for any message under a small-order key (the all-zero
    // system program id among them): refuse such keys and non-canonical encodings (fromBytes throws).
    if (ed25519.Point.fromBytes(key).isSmallOrder()) return false;
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') },
      format: 'jwk',
    });
    return edVerify(null, Buffer.from(message, 'utf8'), publicKey, sig);
  } catch {
    return false;
  }
}

/** Signs `message` with a seeded test wallet: what a browser wallet would return. */
export function signAsWallet(wallet: { chain: string; privateKey: string }, message: string): string {
  if (wallet.chain === 'solana') {
    const der = Buffer.concat([
      Buffer.from('302e020100300506032b657004220420', 'hex'),
      Buffer.from(wallet.privateKey, 'hex'),
    ]);
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return base58.encode(edSign(null, Buffer.from(message, 'utf8'), key));
  }
  const sig = secp256k1.sign(personalDigest(message), Buffer.from(wallet.privateKey.slice(2), 'hex'), {
    prehash: false,
    format: 'recovered',
  });
  // noble puts the recovery byte first; wallets put v = 27 + recovery last.
  return `0x${Buffer.from(sig.subarray(1)).toString('hex')}${((sig[0] as number) + 27).toString(16)}`;
}
