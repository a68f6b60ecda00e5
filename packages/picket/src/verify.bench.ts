/**
 * Local signature verification throughput: ours against what an app would otherwise write.
 * Run with `npx vitest bench --run` in this package; compare the hz columns of one run.
 */
import { base58 } from '@scure/base';
import { verifyMessage } from 'ethers';
import nacl from 'tweetnacl';
import { bench, describe } from 'vitest';
import { verifyEvmSignature } from './evm.js';
import { ed25519Backend, verifyEd25519Noble, verifySolanaSignature } from './solana.js';

// picket.md §8.3 simple-format vector.
const EVM_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const EVM_MESSAGE =
  'Sign in with your wallet\n\nAddress: 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\nNonce: a1b2c3d4e5f6a7b8';
const EVM_SIGNATURE =
  '0x4c60594ca509b229d60e189dad7a7b76e2841fbda74d88ee95eab25e6edbc59655f3762e344ba12c81ef14bd0cd4965595e1c65b35d0d8b7c17514807c9e1f571c';

// A Picket simple-format message signed by the RFC 8032 test-1 key.
const seed = Uint8Array.from(
  Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'),
);
const pair = nacl.sign.keyPair.fromSeed(seed);
const SOLANA_ADDRESS = base58.encode(pair.publicKey);
const SOLANA_MESSAGE = `Sign in with your wallet\n\nAddress: ${SOLANA_ADDRESS}\nNonce: a1b2c3d4e5f6a7b8`;
const messageBytes = new TextEncoder().encode(SOLANA_MESSAGE);
const SOLANA_SIGNATURE = base58.encode(nacl.sign.detached(messageBytes, pair.secretKey));

// Long runs: the machine is shared, and short samples swing by tens of percent.
const options = { time: 3000, warmupTime: 500 };

if ((await ed25519Backend()) !== 'webcrypto')
  throw new Error('This runtime has no Web Crypto Ed25519; the bench compares it.');

describe('EVM personal_sign (EOA), base58/hex decoding included', () => {
  bench(
    '@authbridge/picket verifyEvmSignature (noble secp256k1 + keccak)',
    async () => {
      await verifyEvmSignature({ address: EVM_ADDRESS, message: EVM_MESSAGE, signature: EVM_SIGNATURE });
    },
    options,
  );
  bench(
    'ethers verifyMessage + address compare',
    () => {
      if (verifyMessage(EVM_MESSAGE, EVM_SIGNATURE) !== EVM_ADDRESS) throw new Error('mismatch');
    },
    options,
  );
});

describe('Solana ed25519, base58 decoding included', () => {
  bench(
    '@authbridge/picket verifySolanaSignature (Web Crypto)',
    async () => {
      await verifySolanaSignature({
        address: SOLANA_ADDRESS,
        message: SOLANA_MESSAGE,
        signature: SOLANA_SIGNATURE,
      });
    },
    options,
  );
  bench(
    '@noble/curves ed25519 (the pure-JS fallback)',
    () => {
      const ok = verifyEd25519Noble(
        base58.decode(SOLANA_SIGNATURE),
        new TextEncoder().encode(SOLANA_MESSAGE),
        base58.decode(SOLANA_ADDRESS),
      );
      if (!ok) throw new Error('mismatch');
    },
    options,
  );
  bench(
    'tweetnacl sign.detached.verify',
    () => {
      const ok = nacl.sign.detached.verify(
        new TextEncoder().encode(SOLANA_MESSAGE),
        base58.decode(SOLANA_SIGNATURE),
        base58.decode(SOLANA_ADDRESS),
      );
      if (!ok) throw new Error('mismatch');
    },
    options,
  );
});
