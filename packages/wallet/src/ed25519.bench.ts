/**
 * Solana verification against its primitives (`npx vitest bench --run` in this package, or `pnpm
 * bench`): our ed25519 path (Web Crypto, cached key import) against node:crypto with a prepared key,
 * and a whole SIWS `verifySignIn` against tweetnacl and node:crypto on the same bytes.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { base58 } from '@scure/base';
import nacl from 'tweetnacl';
import { bench, describe } from 'vitest';
import { measureRatio } from '../test/ratio.js';
import {
  createSignInMessageText,
  ed25519Backend,
  type SolanaSignInInput,
  verifyEd25519,
  verifySignIn,
} from './index.js';

if ((await ed25519Backend()) !== 'webcrypto')
  throw new Error('This runtime has no Web Crypto Ed25519; the bench compares it.');

const pair = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(7));
const address = base58.encode(pair.publicKey);
const input: SolanaSignInInput = {
  domain: 'app.example',
  address,
  statement: 'Sign in to App',
  uri: 'https://app.example',
  version: '1',
  chainId: 'mainnet',
  nonce: '0123456789abcdef0123456789abcdef',
  issuedAt: new Date().toISOString(),
  expirationTime: new Date(Date.now() + 3_600_000).toISOString(),
};
const text = createSignInMessageText({ ...input, domain: 'app.example', address });
const signedMessage = new TextEncoder().encode(text);
const signature = nacl.sign.detached(signedMessage, pair.secretKey);
// node:crypto with the key prepared once: the fastest an app on Node can go.
const keyObject = createPublicKey({
  key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pair.publicKey)]),
  format: 'der',
  type: 'spki',
});
const output = { account: { publicKey: pair.publicKey }, signedMessage, signature };

const ours = async () => {
  if (!(await verifyEd25519(pair.publicKey, signature, signedMessage))) throw new Error('mismatch');
};
const node = () => {
  if (!nodeVerify(null, signedMessage, keyObject, signature)) throw new Error('mismatch');
};
const tweetnacl = () => {
  if (!nacl.sign.detached.verify(signedMessage, signature, pair.publicKey)) throw new Error('mismatch');
};
const siws = async () => {
  await verifySignIn(input, output);
};

await measureRatio('solana-ed25519-vs-node-crypto-prepared-key', ours, node, 0.7);
await measureRatio('siws-verifySignIn-vs-node-crypto-prepared-key', siws, node, 0.5);
await measureRatio('siws-verifySignIn-vs-tweetnacl', siws, tweetnacl, 1, { iterations: 50 });

const options = { time: 2000, warmupTime: 300 };
describe('Solana ed25519 verification', () => {
  bench('@authbridge/wallet verifyEd25519 (Web Crypto, cached key)', ours, options);
  bench('node:crypto verify, prepared KeyObject', node, options);
  bench('tweetnacl sign.detached.verify', tweetnacl, options);
  bench('@authbridge/wallet verifySignIn (parse, bindings, times, ed25519)', siws, options);
});
