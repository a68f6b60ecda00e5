// Picket's local signature checks on every runtime: the spec §8.3 EVM vectors and RFC 8032 test 1 for
// Solana (ed25519 through Web Crypto where the runtime has it, noble otherwise).
import { hexToBytes } from '@authbridge/core';
import { verifyEvmSignature, verifySolanaSignature, verifyWalletSignature } from '@authbridge/picket';
import { base58 } from '@scure/base';
import { rejectsWithCode, test } from 'authbridge-runtime-test';

const EVM_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const SIMPLE_MESSAGE = `Sign in with your wallet\n\nAddress: ${EVM_ADDRESS}\nNonce: a1b2c3d4e5f6a7b8`;
const SIMPLE_SIGNATURE =
  '0x4c60594ca509b229d60e189dad7a7b76e2841fbda74d88ee95eab25e6edbc59655f3762e344ba12c81ef14bd0cd4965595e1c65b35d0d8b7c17514807c9e1f571c';
const SIWE_MESSAGE = `localhost:3000 wants you to sign in with your Ethereum account:\n${EVM_ADDRESS}\n\nSign in with your wallet\n\nURI: http://localhost:3000\nVersion: 1\nChain ID: 1\nNonce: a1b2c3d4e5f6a7b8\nIssued At: 2023-01-01T00:00:00.000Z`;
const SIWE_SIGNATURE =
  '0x3d42927dafd188964414251d8710a764a51ffd1d7d1dd7a40f509f7a6a13ffc619956e7cfc0574b722cda01d162167e29697279f2f5758ad1330b9c1e4bedcd91b';

// RFC 8032 §7.1 test 1: the empty message.
const SOLANA_ADDRESS = 'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z';
const SOLANA_SIGNATURE = base58.encode(
  hexToBytes(
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ),
);

test('picket: the simple and SIWE personal_sign vectors verify', async () => {
  await verifyEvmSignature({ address: EVM_ADDRESS, message: SIMPLE_MESSAGE, signature: SIMPLE_SIGNATURE });
  await verifyEvmSignature({
    address: EVM_ADDRESS.toLowerCase(),
    message: SIWE_MESSAGE,
    signature: SIWE_SIGNATURE,
  });
  await verifyWalletSignature({
    chain: 'ethereum',
    walletAddress: EVM_ADDRESS,
    message: SIMPLE_MESSAGE,
    signature: SIMPLE_SIGNATURE,
  });
});

test('picket: another message, another wallet or a malformed signature are refused', async () => {
  await rejectsWithCode(
    () =>
      verifyEvmSignature({
        address: EVM_ADDRESS,
        message: `${SIMPLE_MESSAGE}!`,
        signature: SIMPLE_SIGNATURE,
      }),
    'ERR_CREDENTIAL_SIGNATURE',
  );
  await rejectsWithCode(
    () =>
      verifyEvmSignature({
        address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        message: SIMPLE_MESSAGE,
        signature: SIMPLE_SIGNATURE,
      }),
    'ERR_CREDENTIAL_SIGNATURE',
  );
  await rejectsWithCode(
    () => verifyEvmSignature({ address: EVM_ADDRESS, message: SIMPLE_MESSAGE, signature: '0xzz' }),
    'ERR_CREDENTIAL_MALFORMED',
  );
});

test('picket: the RFC 8032 ed25519 vector verifies as a Solana signature, a changed message does not', async () => {
  await verifySolanaSignature({ address: SOLANA_ADDRESS, message: '', signature: SOLANA_SIGNATURE });
  await rejectsWithCode(
    () => verifySolanaSignature({ address: SOLANA_ADDRESS, message: 'x', signature: SOLANA_SIGNATURE }),
    'ERR_CREDENTIAL_SIGNATURE',
  );
  await rejectsWithCode(
    () => verifySolanaSignature({ address: SOLANA_ADDRESS, message: '', signature: 'not-base58-0OIl' }),
    'ERR_CREDENTIAL_MALFORMED',
  );
});
