import { isAuthBridgeError } from '@authbridge/core';
import { base58 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { ed25519Backend, verifyEd25519Noble, verifySolanaSignature } from './solana.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

// wallet-standards.md §5: RFC 8032 §7.1 tests 1-3.
const RFC8032 = [
  {
    address: 'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    address: '586Z7H2vpX9qNhN2T4e9Utugie3ogjbxzGaMtM3E6HR5',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    address: 'Hyx62wPQGyvXCoihZq1BrbUjBRh2LuNxWiiqMkfAuSZr',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

// wallet-standards.md §3.3 (Web3Auth SIWS vectors).
const W1_ADDRESS = 'HdNrHhbvY1FM79T7tSDAu9D7sy5gNEqJvqGe7BrBkio9';
const W1_MESSAGE =
  'login.xyz wants you to sign in with your Solana account:\nHdNrHhbvY1FM79T7tSDAu9D7sy5gNEqJvqGe7BrBkio9\n\nSign-In With Solana Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: bTyXgcQxn2htgkjJn\nIssued At: 2022-01-27T17:09:38.578Z\nExpiration Time: 2100-01-07T14:31:43.952Z';
const W1_SIGNATURE =
  '3XnLTn7ro1BGdRBNakwdMMmXrE3o4g8sBVQZpboD3T4AbnrzMgwM1AypJTPrp1qt2DBDxt3vDfdzwzupNkHPdVbj';
const W2_MESSAGE = W1_MESSAGE.replace('\nExpiration Time: 2100-01-07T14:31:43.952Z', '');
const W2_SIGNATURE =
  '22ACJ9Y3ypH8vo3zV5vy7dp9S3oZWAXzbxsohHL9bw24M6XjKo1Ti5ZkgKmP2R3Jq5Wks4R1Eq41dB6SXF8NMC6G';
const NEGATIVE_ADDRESS = 'CmLUAWWixFNZb4ZruXzn7Mu9roAt82jK3hPeybUQQ6NT';
const negativeMessage = (nonce: string, issuedAt: string, expiration: string) =>
  `signin.io wants you to sign in with your Solana account:\n${NEGATIVE_ADDRESS}\n\nSign-In With Solana Example Statement\n\nURI: https://signin.io\nVersion: 1\nChain ID: 1\nNonce: ${nonce}\nIssued At: ${issuedAt}\nExpiration Time: ${expiration}`;
const W3_SIGNATURE =
  '4nxtXtFgkMXe8Nj9ANPXim8zjXyUm5tXLcaj9EmbiT3yrwkg73FQsZMaU8vN6utvMXWPXCGCtHX9kLfmYL6zcMbU';
const W4_SIGNATURE =
  '56Hfu7LqK79sh6xVXic4M3vUAGfKMWL3vEN5Z3kMkzn8RvLvoHCVbXD3Eg4bnFJj846JDzimK9aFwrWJ9Sy6buQ';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (isAuthBridgeError(error) ? error.code : String(error)),
  );
}

describe('Solana ed25519 signatures', () => {
  it('uses Web Crypto on Node 20', async () => {
    expect(await ed25519Backend()).toBe('webcrypto');
  });

  it.each(RFC8032)('verifies RFC 8032 vector for $address on both backends', async (vector) => {
    expect(base58.encode(hex(vector.publicKey))).toBe(vector.address);
    const signature = base58.encode(hex(vector.signature));
    await expect(
      verifySolanaSignature({ address: vector.address, message: hex(vector.message), signature }),
    ).resolves.toBeUndefined();
    expect(verifyEd25519Noble(hex(vector.signature), hex(vector.message), hex(vector.publicKey))).toBe(true);
    const tampered = hex(vector.message + '00');
    expect(
      await codeOf(verifySolanaSignature({ address: vector.address, message: tampered, signature })),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
    expect(verifyEd25519Noble(hex(vector.signature), tampered, hex(vector.publicKey))).toBe(false);
  });

  it('verifies SIWS vectors W-1 and W-2', async () => {
    expect(Buffer.from(base58.decode(W1_ADDRESS)).toString('hex')).toBe(
      'f70c9b07bd175f2807c73d1f7b6efb4980c86f65258dca38d1c65d68fb70f0b0',
    );
    await expect(
      verifySolanaSignature({ address: W1_ADDRESS, message: W1_MESSAGE, signature: W1_SIGNATURE }),
    ).resolves.toBeUndefined();
    await expect(
      verifySolanaSignature({ address: W1_ADDRESS, message: W2_MESSAGE, signature: W2_SIGNATURE }),
    ).resolves.toBeUndefined();
    expect(
      await codeOf(
        verifySolanaSignature({ address: W1_ADDRESS, message: W2_MESSAGE, signature: W1_SIGNATURE }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('W-3 is a valid ed25519 signature; W-4 (malformed) and W-5 (wrong) are not', async () => {
    const w3 = negativeMessage('feswegg1', '2021-04-01T11:47:23.844Z', '2021-01-05T00:00:00Z');
    await expect(
      verifySolanaSignature({ address: NEGATIVE_ADDRESS, message: w3, signature: W3_SIGNATURE }),
    ).resolves.toBeUndefined();
    const w4 = negativeMessage('wiasdflk', '2021-04-03T11:21:13.464Z', '2121-04-04T11:21:13.464Z');
    expect(
      await codeOf(
        verifySolanaSignature({ address: NEGATIVE_ADDRESS, message: w4, signature: W4_SIGNATURE }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
    const w5 = negativeMessage('bTyXgcQxn2htgkjJn', '2021-04-03T16:11:13.424Z', '2121-04-04T11:21:13.464Z');
    expect(
      await codeOf(
        verifySolanaSignature({ address: NEGATIVE_ADDRESS, message: w5, signature: W3_SIGNATURE }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('rejects keys and signatures that are not base58 of the right size as malformed', async () => {
    const signature = base58.encode(hex(RFC8032[0]?.signature as string));
    const address = RFC8032[0]?.address as string;
    const cases = [
      { address: '0OIl', signature },
      { address: base58.encode(new Uint8Array(31).fill(1)), signature },
      { address, signature: base58.encode(new Uint8Array(63).fill(1)) },
      { address, signature: `${signature}0` },
    ];
    for (const input of cases) {
      expect(await codeOf(verifySolanaSignature({ ...input, message: '' })), JSON.stringify(input)).toBe(
        'ERR_CREDENTIAL_MALFORMED',
      );
    }
  });

  it('treats a key that is not a curve point as a wrong signature', async () => {
    const notAPoint = base58.encode(new Uint8Array(32).fill(0xff));
    const signature = base58.encode(hex(RFC8032[0]?.signature as string));
    expect(await codeOf(verifySolanaSignature({ address: notAPoint, message: '', signature }))).toBe(
      'ERR_CREDENTIAL_SIGNATURE',
    );
  });
});
