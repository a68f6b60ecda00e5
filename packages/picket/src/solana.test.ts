import { isAuthBridgeError } from '@authbridge/core';
import { base58 } from '@scure/base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  detectEd25519Backend,
  type Ed25519Backend,
  ed25519Backend,
  type VerifySolanaSignatureInput,
  verifyEd25519Noble,
  verifySolanaSignature,
  verifySolanaSignatureWith,
} from './solana.js';

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
const W6_SIGNATURE =
  '5GdGGKsMZD8JciUEVEVLfxTZjbuixvSQirP9p7EdmoSbfnSapTCGiTEQ2ysiSDvnBDiWEaZjsFVdax5BJsQi1ZxY';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (isAuthBridgeError(error) ? error.code : String(error)),
  );
}

const BACKENDS: Ed25519Backend[] = ['webcrypto', 'noble'];
const b58 = (hexText: string) => base58.encode(hex(hexText));
const withByte = (hexText: string, index: number, change: (byte: number) => number) => {
  const bytes = hex(hexText);
  bytes[index] = change(bytes[index] as number);
  return bytes;
};
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** A signature with L added to S: the same point equation, but a non-canonical S that RFC 8032 refuses. */
function withSPlusL(signatureHex: string): Uint8Array {
  const bytes = hex(signatureHex);
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(bytes[i] as number);
  s += L;
  for (let i = 32; i < 64; i++) {
    bytes[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return bytes;
}
/** R = the identity point, S = 0: valid for every message under a small-order key, if that key is taken. */
const IDENTITY_SIGNATURE = base58.encode(Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0)));

const [T1, T2] = RFC8032 as [(typeof RFC8032)[0], (typeof RFC8032)[0]];
const W3_MESSAGE = negativeMessage('feswegg1', '2021-04-01T11:47:23.844Z', '2021-01-05T00:00:00Z');
const W4_MESSAGE = negativeMessage('wiasdflk', '2021-04-03T11:21:13.464Z', '2121-04-04T11:21:13.464Z');
const W5_MESSAGE = negativeMessage(
  'bTyXgcQxn2htgkjJn',
  '2021-04-03T16:11:13.424Z',
  '2121-04-04T11:21:13.464Z',
);
const W6_MESSAGE = negativeMessage('asd8asdf', '2021-04-04T11:21:13.464Z', '2022-22-32T00:00:00.000Z');

const VALID = undefined;
const BAD_SIGNATURE = 'ERR_CREDENTIAL_SIGNATURE';
const MALFORMED = 'ERR_CREDENTIAL_MALFORMED';

/** Every case with the outcome both backends must give: `undefined` when the signature is accepted. */
const CASES: { name: string; input: VerifySolanaSignatureInput; expected: string | undefined }[] = [
  ...RFC8032.flatMap((v, n) => [
    {
      name: `RFC 8032 test ${n + 1}`,
      input: { address: v.address, message: hex(v.message), signature: b58(v.signature) },
      expected: VALID,
    },
    {
      name: `RFC 8032 test ${n + 1}, message changed`,
      input: { address: v.address, message: hex(`${v.message}00`), signature: b58(v.signature) },
      expected: BAD_SIGNATURE,
    },
    {
      name: `RFC 8032 test ${n + 1}, a bit of R flipped`,
      input: {
        address: v.address,
        message: hex(v.message),
        signature: base58.encode(withByte(v.signature, 3, (b) => b ^ 0x10)),
      },
      expected: BAD_SIGNATURE,
    },
    {
      name: `RFC 8032 test ${n + 1}, a bit of S flipped`,
      input: {
        address: v.address,
        message: hex(v.message),
        signature: base58.encode(withByte(v.signature, 40, (b) => b ^ 0x01)),
      },
      expected: BAD_SIGNATURE,
    },
    {
      name: `RFC 8032 test ${n + 1}, S + L`,
      input: {
        address: v.address,
        message: hex(v.message),
        signature: base58.encode(withSPlusL(v.signature)),
      },
      expected: BAD_SIGNATURE,
    },
  ]),
  {
    name: 'RFC 8032 test 1 signature under the test 2 key',
    input: { address: T2.address, message: hex(T1.message), signature: b58(T1.signature) },
    expected: BAD_SIGNATURE,
  },
  {
    name: 'SIWS W-1',
    input: { address: W1_ADDRESS, message: W1_MESSAGE, signature: W1_SIGNATURE },
    expected: VALID,
  },
  {
    name: 'SIWS W-2',
    input: { address: W1_ADDRESS, message: W2_MESSAGE, signature: W2_SIGNATURE },
    expected: VALID,
  },
  {
    name: 'SIWS W-1 signature over the W-2 message',
    input: { address: W1_ADDRESS, message: W2_MESSAGE, signature: W1_SIGNATURE },
    expected: BAD_SIGNATURE,
  },
  {
    name: 'SIWS W-3 (expired, but a valid ed25519 signature)',
    input: { address: NEGATIVE_ADDRESS, message: W3_MESSAGE, signature: W3_SIGNATURE },
    expected: VALID,
  },
  {
    name: 'SIWS W-4 (malformed signature)',
    input: { address: NEGATIVE_ADDRESS, message: W4_MESSAGE, signature: W4_SIGNATURE },
    expected: BAD_SIGNATURE,
  },
  {
    name: 'SIWS W-5 (wrong signature)',
    input: { address: NEGATIVE_ADDRESS, message: W5_MESSAGE, signature: W3_SIGNATURE },
    expected: BAD_SIGNATURE,
  },
  {
    name: 'SIWS W-6 (an impossible expiration date, but a valid ed25519 signature)',
    input: { address: NEGATIVE_ADDRESS, message: W6_MESSAGE, signature: W6_SIGNATURE },
    expected: VALID,
  },
  {
    name: 'SIWS W-6 signature over the W-3 message',
    input: { address: NEGATIVE_ADDRESS, message: W3_MESSAGE, signature: W6_SIGNATURE },
    expected: BAD_SIGNATURE,
  },
  {
    name: 'a key that is not a curve point',
    input: {
      address: base58.encode(new Uint8Array(32).fill(0xff)),
      message: '',
      signature: b58(T1.signature),
    },
    expected: BAD_SIGNATURE,
  },
  ...[
    ['the identity (y = 1)', '0100000000000000000000000000000000000000000000000000000000000000'],
    [
      'y = 0 (order 4; the Solana system program id)',
      '0000000000000000000000000000000000000000000000000000000000000000',
    ],
    ['y = 0 with the sign bit (order 4)', '0000000000000000000000000000000000000000000000000000000000000080'],
    ['y = p - 1 (order 2)', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['an order-8 point', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'],
    ['another order-8 point', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
    [
      'the identity encoded as y = p + 1 (non-canonical)',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ],
  ].map(([name, key]) => ({
    name: `small-order or non-canonical key: ${name}, with R = identity and S = 0`,
    input: { address: b58(key as string), message: 'any message at all', signature: IDENTITY_SIGNATURE },
    expected: BAD_SIGNATURE,
  })),
  {
    name: 'an address that is not base58',
    input: { address: '0OIl', message: '', signature: b58(T1.signature) },
    expected: MALFORMED,
  },
  {
    name: 'a 31-byte address',
    input: { address: base58.encode(new Uint8Array(31).fill(1)), message: '', signature: b58(T1.signature) },
    expected: MALFORMED,
  },
  {
    name: 'a 63-byte signature',
    input: { address: T1.address, message: '', signature: base58.encode(new Uint8Array(63).fill(1)) },
    expected: MALFORMED,
  },
  {
    name: 'a signature that is not base58',
    input: { address: T1.address, message: '', signature: `${b58(T1.signature)}0` },
    expected: MALFORMED,
  },
];

describe('ed25519 backend choice', () => {
  it('uses Web Crypto on Node 20', async () => {
    expect(await ed25519Backend()).toBe('webcrypto');
    expect(await detectEd25519Backend(crypto.subtle)).toBe('webcrypto');
  });

  it('falls back to noble without crypto.subtle, without Ed25519 in it, or when it verifies wrongly', async () => {
    expect(await detectEd25519Backend(undefined)).toBe('noble');
    const noEd25519 = {
      importKey: async () => {
        throw new DOMException('Unrecognized algorithm name', 'NotSupportedError');
      },
      verify: async () => true,
    } as unknown as SubtleCrypto;
    expect(await detectEd25519Backend(noEd25519)).toBe('noble');
    const wrong = {
      importKey: crypto.subtle.importKey.bind(crypto.subtle),
      verify: async () => false,
    } as unknown as SubtleCrypto;
    expect(await detectEd25519Backend(wrong)).toBe('noble');
  });
});

describe.each(BACKENDS)('verifySolanaSignature on the %s backend', (backend) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it(
    backend === 'webcrypto' ? 'verifies through crypto.subtle' : 'verifies without crypto.subtle',
    async () => {
      const subtleVerify = vi.spyOn(crypto.subtle, 'verify');
      await verifySolanaSignatureWith(backend, {
        address: T1.address,
        message: hex(T1.message),
        signature: b58(T1.signature),
      });
      expect(subtleVerify).toHaveBeenCalledTimes(backend === 'webcrypto' ? 1 : 0);
    },
  );

  it.each(CASES)('$name', async ({ input, expected }) => {
    expect(await codeOf(verifySolanaSignatureWith(backend, input))).toBe(expected);
  });
});

describe('both backends', () => {
  it('give identical outcomes on every case, and the runtime backend gives them too', async () => {
    const outcomes = await Promise.all(
      CASES.map(async ({ name, input }) => ({
        name,
        webcrypto: await codeOf(verifySolanaSignatureWith('webcrypto', input)),
        noble: await codeOf(verifySolanaSignatureWith('noble', input)),
        runtime: await codeOf(verifySolanaSignature(input)),
      })),
    );
    expect(outcomes).toEqual(
      CASES.map(({ name, expected }) => ({ name, webcrypto: expected, noble: expected, runtime: expected })),
    );
  });

  it('verifyEd25519Noble (public) agrees with the RFC 8032 vectors', () => {
    for (const vector of RFC8032) {
      expect(base58.encode(hex(vector.publicKey))).toBe(vector.address);
      expect(verifyEd25519Noble(hex(vector.signature), hex(vector.message), hex(vector.publicKey))).toBe(
        true,
      );
      expect(
        verifyEd25519Noble(hex(vector.signature), hex(`${vector.message}00`), hex(vector.publicKey)),
      ).toBe(false);
    }
  });

  it('SIWS W-1 public key is the spec hex', () => {
    expect(Buffer.from(base58.decode(W1_ADDRESS)).toString('hex')).toBe(
      'f70c9b07bd175f2807c73d1f7b6efb4980c86f65258dca38d1c65d68fb70f0b0',
    );
  });
});
