// Sign-In with Ethereum and Sign-In With Solana on every runtime: a SIWE message signed by a fixed test
// key (Hardhat's account 0, EIP-191 personal_sign), parsed and checked field by field; the
// wallet-standards SIWS vector W1; and a whole SIWS sign-in through wallet() with a fixed ed25519 seed
// (Web Crypto where the runtime has it, noble otherwise). One refusal each.
import {
  createSiweMessage,
  parseSignInMessageText,
  parseSiweMessage,
  verifySignIn,
  verifySiweMessage,
  wallet,
} from '@authbridge/wallet';
import { base58 } from '@scure/base';
import { equal, rejectsWithCode, test } from 'authbridge-runtime-test';
import { evmKey, personalSign, solanaKey, solanaSign } from '../keys.js';
import { HARDHAT_ADDRESS, HARDHAT_KEY, W1, W1_PK, W1_SIG } from '../vectors.js';

const NOW = Date.parse('2026-01-01T00:05:00.000Z');
const FIELDS = {
  domain: 'app.example.com',
  address: HARDHAT_ADDRESS,
  statement: 'Sign in to Example',
  uri: 'https://app.example.com',
  version: '1' as const,
  chainId: 1,
  nonce: '8f3c2a9d41b7e6050c1d2e3f4a5b6c7d',
  issuedAt: '2026-01-01T00:00:00.000Z',
  expirationTime: '2026-01-01T00:10:00.000Z',
};
const EXPECTED = { domain: FIELDS.domain, nonce: FIELDS.nonce, uri: FIELDS.uri, chainId: 1, time: NOW };

test('wallet: a SIWE message signed by a fixed key parses and verifies', async () => {
  equal(evmKey(HARDHAT_KEY).address, HARDHAT_ADDRESS, 'address of the test key');
  const message = createSiweMessage(FIELDS);
  const parsed = parseSiweMessage(message);
  equal(parsed.address, HARDHAT_ADDRESS, 'parsed address');
  equal(parsed.nonce, FIELDS.nonce, 'parsed nonce');
  equal(parsed.expirationTime, FIELDS.expirationTime, 'parsed expiration');
  const verified = await verifySiweMessage({
    ...EXPECTED,
    message,
    signature: personalSign(message, HARDHAT_KEY),
    address: HARDHAT_ADDRESS,
    statement: FIELDS.statement,
  });
  equal(verified.address, HARDHAT_ADDRESS, 'signer');
  equal(verified.type, 'eip191', 'signature type');
});

test('wallet: a SIWE message with another nonce, or signed over another text, is refused', async () => {
  const message = createSiweMessage(FIELDS);
  const signature = personalSign(message, HARDHAT_KEY);
  await rejectsWithCode(
    () => verifySiweMessage({ ...EXPECTED, message, signature, nonce: 'a'.repeat(32) }),
    'ERR_CREDENTIAL_NONCE',
  );
  await rejectsWithCode(
    () => verifySiweMessage({ ...EXPECTED, message, signature: personalSign(`${message}.`, HARDHAT_KEY) }),
    'ERR_CREDENTIAL_SIGNATURE',
  );
});

test('wallet: the SIWS vector W1 verifies, and fails with one changed byte', async () => {
  const input = parseSignInMessageText(W1);
  equal(input.address, W1_PK, 'parsed address');
  const output = {
    account: { publicKey: base58.decode(W1_PK), address: W1_PK },
    signedMessage: new TextEncoder().encode(W1),
    signature: base58.decode(W1_SIG),
  };
  const time = Date.parse('2022-01-27T17:10:00.000Z');
  await verifySignIn(input, output, { time });
  const changed = new TextEncoder().encode(W1.replace('Example Statement', 'Example statement'));
  await rejectsWithCode(
    () => verifySignIn(input, { ...output, signedMessage: changed }, { time }),
    'ERR_CREDENTIAL_REJECTED',
  );
});

test('wallet: a whole SIWS sign-in through wallet(), and a signature by another key refused', async () => {
  const key = solanaKey(new Uint8Array(32).fill(7));
  const provider = wallet({ domain: 'app.example.com', chains: ['solana:mainnet'], now: () => NOW });
  const challenge = await provider.createChallenge({ chain: 'solana:mainnet', address: key.address });
  const message = challenge.message ?? '';
  const user = await provider.verify({
    challengeId: challenge.id,
    message,
    signature: solanaSign(message, key),
  });
  equal(user.subject, `solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp:${key.address}`, 'subject');
  equal(user.claims.signatureType, 'solana:ed25519', 'signature type');

  const next = await provider.createChallenge({ chain: 'solana:mainnet', address: key.address });
  const other = solanaKey(new Uint8Array(32).fill(9));
  await rejectsWithCode(
    () =>
      provider.verify({
        challengeId: next.id,
        message: next.message ?? '',
        signature: solanaSign(next.message ?? '', other),
      }),
    'ERR_CREDENTIAL_SIGNATURE',
  );
});
