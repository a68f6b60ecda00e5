/**
 * Solana verification against its primitives (`npx vitest bench --run` in this package, or `pnpm
 * bench`): our ed25519 path (Web Crypto, cached key import) against node:crypto with a prepared key,
 * and a whole SIWS `verifySignIn` against tweetnacl and node:crypto on the same bytes.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { cpuPerOp, reportRatio } from '@authbridge/test-utils';
import { base58 } from '@scure/base';
import nacl from 'tweetnacl';
import { bench, describe } from 'vitest';
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

// CPU per verification (all threads: Web Crypto runs on the thread pool), medians of interleaved rounds.
const cost = await cpuPerOp({ ours, node, siws });
const slow = await cpuPerOp({ siws, tweetnacl }, { opsPerRound: 40 });
const us = (n: number) => `${n.toFixed(1)} µs`;
reportRatio(
  'wallet.ed25519/node-crypto-prepared-key',
  cost.node / cost.ours,
  { min: 0.7 },
  `speed as a share of node:crypto: ${us(cost.ours)} vs ${us(cost.node)} CPU per verify`,
);
reportRatio(
  'wallet.verifySignIn/node-crypto-prepared-key',
  cost.node / cost.siws,
  { min: 0.5 },
  `whole SIWS check vs the bare primitive: ${us(cost.siws)} vs ${us(cost.node)}`,
);
reportRatio(
  'wallet.verifySignIn/tweetnacl',
  slow.tweetnacl / slow.siws,
  { min: 1 },
  `whole SIWS check vs tweetnacl's verify alone: ${us(slow.siws)} vs ${us(slow.tweetnacl)}`,
);

const options = { time: 2000, warmupTime: 300 };
describe('Solana ed25519 verification', () => {
  bench('@authbridge/wallet verifyEd25519 (Web Crypto, cached key)', ours, options);
  bench('node:crypto verify, prepared KeyObject', node, options);
  bench('tweetnacl sign.detached.verify', tweetnacl, options);
  bench('@authbridge/wallet verifySignIn (parse, bindings, times, ed25519)', siws, options);
});
