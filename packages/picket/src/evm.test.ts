import { bytesToHex, isAuthBridgeError } from '@authbridge/core';
import { Interface } from 'ethers';
import { describe, expect, it, vi } from 'vitest';
import {
  type Erc1271Provider,
  hashPersonalMessage,
  recoverPersonalSignAddress,
  toChecksumAddress,
  verifyEvmSignature,
} from './evm.js';

const HARDHAT0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

// picket.md §8.3.
const SIWE_MESSAGE =
  'localhost:3000 wants you to sign in with your Ethereum account:\n0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\nSign in with your wallet\n\nURI: http://localhost:3000\nVersion: 1\nChain ID: 1\nNonce: a1b2c3d4e5f6a7b8\nIssued At: 2023-01-01T00:00:00.000Z';
const SIWE_SIGNATURE =
  '0x3d42927dafd188964414251d8710a764a51ffd1d7d1dd7a40f509f7a6a13ffc619956e7cfc0574b722cda01d162167e29697279f2f5758ad1330b9c1e4bedcd91b';
const SIMPLE_MESSAGE =
  'Sign in with your wallet\n\nAddress: 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\nNonce: a1b2c3d4e5f6a7b8';
const SIMPLE_SIGNATURE =
  '0x4c60594ca509b229d60e189dad7a7b76e2841fbda74d88ee95eab25e6edbc59655f3762e344ba12c81ef14bd0cd4965595e1c65b35d0d8b7c17514807c9e1f571c';

// wallet-standards.md §5 and §2.
const HELLO_SIGNATURE =
  '0xa461f509887bd19e312c0c58467ce8ff8e300d3c1a90b608a760c5b80318eaf15fe57c96f9175d6cd4daad4663763baa7e78836e067d0163e9a2ccf2ff753f5b1b';
const M_A =
  'login.xyz wants you to sign in with your Ethereum account:\n0x9D85ca56217D2bb651b00f15e694EB7E713637D4\n\nSign-In With Ethereum Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: bTyXgcQxn2htgkjJn\nIssued At: 2022-01-27T17:09:38.578Z\nExpiration Time: 2100-01-07T14:31:43.952Z';
const M_A_SIGNATURE =
  '0xdc35c7f8ba2720df052e0092556456127f00f7707eaa8e3bbff7e56774e7f2e05a093cfc9e02964c33d86e8e066e221b7d153d27e5a2e97ccd5ca7d3f2ce06cb1b';
const S4_MESSAGE =
  'www.tally.xyz wants you to sign in with your Ethereum account:\n0xc95EB884FE852e241D409234bfC7045CB9E31BD7\n\nSign in with Ethereum to Tally\n\nURI: https://tally.xyz\nVersion: 1\nChain ID: 1\nNonce: 15050747\nIssued At: 2022-06-30T14:08:51.382Z';
const S4_SIGNATURE =
  '0x8c46b6eb8505939892d8e9b075f89f8277321b17b993151f37810cdda38cce6f4a85909d2b53e6a14629c74c0ac38bf4becde78ee5b2529812bf6cceaf7b2a2501';
const M_E =
  'login.xyz wants you to sign in with your Ethereum account:\n0x2ecA0068307e706741445764A3D6A4402aC2A5a9\n\nSign-In With Ethereum Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: lx2nx4so\nIssued At: 2022-01-05T14:27:30.883Z\nExpiration Time: 2021-01-05T00:00:00Z';
const M_E_SIGNATURE =
  '0x7337bc2826c7678cd6bc84f5b3b236efc969b0451f9feca2328b1d3401b030c113f19bdba359ba3f52762c66e9147311fa95fe598a1a4ec9bb383a7b4e3874241b';
const M_N =
  'login.xyz wants you to sign in with your Ethereum account:\n0xE6D3Aa1F561A215E5eb1f02Ba8705385F03fCaFB\n\nSign-In With Ethereum Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: lx2nx4so\nIssued At: 2022-01-05T14:27:30.883Z\nNot Before: 2100-01-07T14:31:43.952Z';
const M_N_SIGNATURE =
  '0xc2539ace78f13c7eb8c0852d38d269a6f97bebd9f7872097d2e3137b541f8bf50176062a46eeea83086bd2721423fb5755a932ff6ccc046ed482d14e4576042f1c';
const M_W =
  'login.xyz wants you to sign in with your Ethereum account:\n0x6Da01670d8fc844e736095918bbE11fE8D564163\n\nSign-In With Ethereum Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: rmplqh1gf\nIssued At: 2022-01-05T14:31:43.954Z\nExpiration Time: 2100-01-07T14:31:43.952Z';
const M_W_WRONG =
  '0x31df81dc02344c9156e6f71da46e2db624b38f8f806290d670d46492b834b2e7575cbce9f48169356cfb577b910d8e30732fcf23c1ac0021d08b945ed7ee118e1b';
const M_W_MALFORMED =
  '0xf2e8420fc1b722bf4941f5a0464f98172a758ceda5039f622e425fb69fd19b20e444bba7c9a8a8d7e2b5e453553efe7c9460be5d211abe473fc146d51bb04d0cb1b';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (isAuthBridgeError(error) ? error.code : String(error)),
  );
}

describe('EIP-191 personal_sign', () => {
  it('hashes "hello world" to the wallet-standards §5 digest', () => {
    expect(bytesToHex(hashPersonalMessage('hello world'))).toBe(
      'd9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68',
    );
    expect(bytesToHex(hashPersonalMessage(M_A))).toBe(
      '74dcf891d81129919bafbf454f2c1200230ee75ee618111277e5618a30c3bf7a',
    );
  });

  it('counts UTF-8 bytes, not characters, in the prefix', () => {
    expect(bytesToHex(hashPersonalMessage('é'))).toBe(
      bytesToHex(hashPersonalMessage(new Uint8Array([0xc3, 0xa9]))),
    );
    expect(bytesToHex(hashPersonalMessage('é'))).not.toBe(
      bytesToHex(hashPersonalMessage(new Uint8Array([0xe9]))),
    );
  });

  it('recovers the §8.3 SIWE and simple signatures to Hardhat account #0', async () => {
    expect(recoverPersonalSignAddress(SIWE_MESSAGE, SIWE_SIGNATURE)).toBe(HARDHAT0);
    expect(recoverPersonalSignAddress(SIMPLE_MESSAGE, SIMPLE_SIGNATURE)).toBe(HARDHAT0);
    await expect(
      verifyEvmSignature({ address: HARDHAT0, message: SIWE_MESSAGE, signature: SIWE_SIGNATURE }),
    ).resolves.toBeUndefined();
    await expect(
      verifyEvmSignature({
        address: HARDHAT0.toLowerCase(),
        message: SIMPLE_MESSAGE,
        signature: SIMPLE_SIGNATURE,
      }),
    ).resolves.toBeUndefined();
  });

  it('rejects a §8.3 signature over the other message', async () => {
    expect(
      await codeOf(
        verifyEvmSignature({ address: HARDHAT0, message: SIMPLE_MESSAGE, signature: SIWE_SIGNATURE }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('accepts the hello-world vector with v = 27 and with the recovery byte 00', () => {
    expect(recoverPersonalSignAddress('hello world', HELLO_SIGNATURE)).toBe(HARDHAT0);
    expect(recoverPersonalSignAddress('hello world', `${HELLO_SIGNATURE.slice(0, -2)}00`)).toBe(HARDHAT0);
  });

  it('accepts the 64-byte EIP-2098 form of a signature', () => {
    const r = HELLO_SIGNATURE.slice(2, 66);
    const s = HELLO_SIGNATURE.slice(66, 130);
    // v = 27 means yParity 0: the top bit of s stays clear.
    expect(recoverPersonalSignAddress('hello world', `0x${r}${s}`)).toBe(HARDHAT0);
  });

  it('verifies SIWE vectors M-A (S-1) and S-4 (recovery byte 01)', async () => {
    await expect(
      verifyEvmSignature({
        address: '0x9D85ca56217D2bb651b00f15e694EB7E713637D4',
        message: M_A,
        signature: M_A_SIGNATURE,
      }),
    ).resolves.toBeUndefined();
    await expect(
      verifyEvmSignature({
        address: '0xc95EB884FE852e241D409234bfC7045CB9E31BD7',
        message: S4_MESSAGE,
        signature: S4_SIGNATURE,
      }),
    ).resolves.toBeUndefined();
  });

  it('verifies SIWE vectors S-5 and S-6 (valid ECDSA; their time bounds are the message check, not the signature)', async () => {
    await expect(
      verifyEvmSignature({
        address: '0x2ecA0068307e706741445764A3D6A4402aC2A5a9',
        message: M_E,
        signature: M_E_SIGNATURE,
      }),
    ).resolves.toBeUndefined();
    await expect(
      verifyEvmSignature({
        address: '0xE6D3Aa1F561A215E5eb1f02Ba8705385F03fCaFB',
        message: M_N,
        signature: M_N_SIGNATURE,
      }),
    ).resolves.toBeUndefined();
    // Bound to their messages: each signature over the other message is refused.
    expect(
      await codeOf(
        verifyEvmSignature({
          address: '0x2ecA0068307e706741445764A3D6A4402aC2A5a9',
          message: M_N,
          signature: M_E_SIGNATURE,
        }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
    expect(
      await codeOf(
        verifyEvmSignature({
          address: '0xE6D3Aa1F561A215E5eb1f02Ba8705385F03fCaFB',
          message: M_E,
          signature: M_N_SIGNATURE,
        }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('S-7: a wrong signature recovers another address; a malformed one is rejected as malformed', async () => {
    expect(recoverPersonalSignAddress(M_W, M_W_WRONG)).toBe('0x7eE6dC33c30Fcb754C813402F75559044c60933c');
    expect(
      await codeOf(
        verifyEvmSignature({
          address: '0x6Da01670d8fc844e736095918bbE11fE8D564163',
          message: M_W,
          signature: M_W_WRONG,
        }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
    expect(
      await codeOf(
        verifyEvmSignature({
          address: '0x6Da01670d8fc844e736095918bbE11fE8D564163',
          message: M_W,
          signature: M_W_MALFORMED,
        }),
      ),
    ).toBe('ERR_CREDENTIAL_MALFORMED');
  });

  it('rejects high-s twins, bad recovery bytes and wrong lengths as ERR_CREDENTIAL_SIGNATURE', async () => {
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${HELLO_SIGNATURE.slice(66, 130)}`);
    const highS = `0x${HELLO_SIGNATURE.slice(2, 66)}${(n - s).toString(16).padStart(64, '0')}1c`;
    const cases = [
      highS,
      `${HELLO_SIGNATURE.slice(0, -2)}1d`,
      HELLO_SIGNATURE.slice(0, -4),
      `${HELLO_SIGNATURE}00`,
    ];
    for (const signature of cases) {
      expect(
        await codeOf(verifyEvmSignature({ address: HARDHAT0, message: 'hello world', signature })),
        signature,
      ).toBe('ERR_CREDENTIAL_SIGNATURE');
    }
  });

  it('rejects an address that is not 40 hex digits as malformed', async () => {
    expect(
      await codeOf(
        verifyEvmSignature({ address: '0x1234', message: 'hello world', signature: HELLO_SIGNATURE }),
      ),
    ).toBe('ERR_CREDENTIAL_MALFORMED');
  });
});

describe('EIP-55 checksums (wallet-standards §2 vectors)', () => {
  it.each([
    '0x52908400098527886E0F7030069857D2E4169EE7',
    '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
    '0xde709f2102306220921060314715629080e2fb77',
    '0x27b1fdb04752bbc536007a920d24acb045561c26',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ])('%s', (address) => {
    expect(toChecksumAddress(address.toLowerCase())).toBe(address);
  });
});

describe('ERC-1271 contract wallets', () => {
  // wallet-standards §2 S-11, used exactly as given: ecrecover cannot confirm either wallet; only the contract can.
  const ARGENT = '0xa5b3A53800cD49669F34DE80f2C569c6D4Ca3009';
  const ARGENT_MESSAGE =
    'localhost:4361 wants you to sign in with your Ethereum account:\n0xa5b3A53800cD49669F34DE80f2C569c6D4Ca3009\n\nSIWE Notepad Example\n\nURI: http://localhost:4361\nVersion: 1\nChain ID: 1\nNonce: FbYd6TNB4m0IUHDG7\nIssued At: 2022-04-19T18:55:04.444Z';
  const ARGENT_SIGNATURE =
    '0x00193f8bb87a8bd4a8367a47ee477c62aec984830ec59e730b28d1ec54669eab450b9f3108a5c435648691c5766b35e2f13b8fb29f46298bb378ac34597d7e271c';
  const LOOPRING = '0x0e565A6dFc43DE21455a67bbF196f7F7b15447A7';
  const LOOPRING_MESSAGE =
    'localhost:4361 wants you to sign in with your Ethereum account:\n0x0e565A6dFc43DE21455a67bbF196f7F7b15447A7\n\nSIWE Notepad Example\n\nURI: http://localhost:4361\nVersion: 1\nChain ID: 1\nNonce: b19JyMHnM0Jdm20as\nIssued At: 2022-04-19T18:57:09.490Z';
  const LOOPRING_SIGNATURE =
    '0x2f280385ebd550309197c4c892c5a8eb1a6e743d5c90c8036dea6f05c3e8cb321f90210a567ee88461733731a9c4e177140a969784c0421c09897e161f17bf331c02';

  it('ecrecover alone gives another address for the argent vector', async () => {
    expect(recoverPersonalSignAddress(ARGENT_MESSAGE, ARGENT_SIGNATURE)).toBe(
      '0x41784C6F131d3b6611E09b45e69E09279ab31348',
    );
    expect(
      await codeOf(
        verifyEvmSignature({ address: ARGENT, message: ARGENT_MESSAGE, signature: ARGENT_SIGNATURE }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('calls isValidSignature(hash, signature) on the wallet and accepts the magic value', async () => {
    const call = vi.fn<Erc1271Provider['call']>(async () => `0x1626ba7e${'0'.repeat(56)}`);
    await verifyEvmSignature({
      address: ARGENT,
      message: ARGENT_MESSAGE,
      signature: ARGENT_SIGNATURE,
      provider: { call },
    });
    expect(call).toHaveBeenCalledTimes(1);
    const [args] = call.mock.calls;
    if (!args) throw new Error('isValidSignature was not called');
    const { to, data } = args[0];
    expect(to).toBe(ARGENT);
    expect(data).toBe(
      `0x1626ba7e13f64d354be469f23cf911231c7acf0b0faf781fbdef0eb1c463bdec229faf0b${(64).toString(16).padStart(64, '0')}${(65).toString(16).padStart(64, '0')}${ARGENT_SIGNATURE.slice(2)}${'0'.repeat(62)}`,
    );
  });

  it('loopring: a 66-byte signature recovers nothing and is passed to isValidSignature whole, padded to 96 bytes', async () => {
    expect(bytesToHex(hashPersonalMessage(LOOPRING_MESSAGE))).toBe(
      '1cb5137dfd79c082e5432187049328771de47a6e1c0e29cebaae186f3e1f7645',
    );
    const input = { address: LOOPRING, message: LOOPRING_MESSAGE, signature: LOOPRING_SIGNATURE };
    expect(await codeOf(verifyEvmSignature(input))).toBe('ERR_CREDENTIAL_SIGNATURE');
    const call = vi.fn<Erc1271Provider['call']>(async () => `0x1626ba7e${'0'.repeat(56)}`);
    await verifyEvmSignature({ ...input, provider: { call } });
    expect(call).toHaveBeenCalledTimes(1);
    const [args] = call.mock.calls;
    if (!args) throw new Error('isValidSignature was not called');
    expect(args[0].to).toBe(LOOPRING);
    const word = (n: number) => n.toString(16).padStart(64, '0');
    // selector, digest, offset of the bytes (0x40), their length (66), then 66 bytes + 30 zero bytes.
    const expected = `0x1626ba7e1cb5137dfd79c082e5432187049328771de47a6e1c0e29cebaae186f3e1f7645${word(64)}${word(66)}${LOOPRING_SIGNATURE.slice(2)}${'00'.repeat(30)}`;
    expect(args[0].data).toBe(expected);
    expect((args[0].data.length - 2) / 2).toBe(4 + 32 * 6);
    // The same bytes from an independent ABI encoder.
    const erc1271 = new Interface([
      'function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)',
    ]);
    expect(
      erc1271.encodeFunctionData('isValidSignature', [
        '0x1cb5137dfd79c082e5432187049328771de47a6e1c0e29cebaae186f3e1f7645',
        LOOPRING_SIGNATURE,
      ]),
    ).toBe(expected);
  });

  it('rejects another return value or a revert, and reports an RPC failure as ERR_NETWORK', async () => {
    const input = { address: ARGENT, message: ARGENT_MESSAGE, signature: ARGENT_SIGNATURE };
    const wrong: Erc1271Provider = { call: async () => `0xffffffff${'0'.repeat(56)}` };
    expect(await codeOf(verifyEvmSignature({ ...input, provider: wrong }))).toBe('ERR_CREDENTIAL_SIGNATURE');
    const revert: Erc1271Provider = {
      call: async () => {
        throw Object.assign(new Error('execution reverted'), { code: 'CALL_EXCEPTION' });
      },
    };
    expect(await codeOf(verifyEvmSignature({ ...input, provider: revert }))).toBe('ERR_CREDENTIAL_SIGNATURE');
    const down: Erc1271Provider = {
      call: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'NETWORK_ERROR' });
      },
    };
    expect(await codeOf(verifyEvmSignature({ ...input, provider: down }))).toBe('ERR_NETWORK');
  });

  it('accepts only the magic value as the one 32-byte word, in any case', async () => {
    const input = { address: ARGENT, message: ARGENT_MESSAGE, signature: ARGENT_SIGNATURE };
    const replying = (reply: string): Erc1271Provider => ({ call: async () => reply });
    const word = `0x1626ba7e${'0'.repeat(56)}`;
    expect(await codeOf(verifyEvmSignature({ ...input, provider: replying(word) }))).toBeUndefined();
    expect(
      await codeOf(
        verifyEvmSignature({ ...input, provider: replying(word.toUpperCase().replace('0X', '0x')) }),
      ),
    ).toBeUndefined();
    for (const reply of [
      `${word}00`,
      `${word}${'0'.repeat(64)}`,
      `0x1626ba7e${'0'.repeat(55)}1`,
      '0x1626ba7e',
      `0x1626ba7e${'0'.repeat(54)}`,
      `${word} `,
      ` ${word}`,
      `0x${'0'.repeat(56)}1626ba7e`,
    ]) {
      expect(await codeOf(verifyEvmSignature({ ...input, provider: replying(reply) })), reply).toBe(
        'ERR_CREDENTIAL_SIGNATURE',
      );
    }
  });

  it('refuses an address that echoes the call data (the identity precompile 0x…04, an echoing fallback)', async () => {
    const echo = vi.fn<Erc1271Provider['call']>(async ({ data }) => data);
    const input = {
      address: '0x0000000000000000000000000000000000000004',
      message: ARGENT_MESSAGE,
      signature: ARGENT_SIGNATURE,
      provider: { call: echo },
    };
    expect(await codeOf(verifyEvmSignature(input))).toBe('ERR_CREDENTIAL_SIGNATURE');
    expect(await codeOf(verifyEvmSignature({ ...input, address: ARGENT }))).toBe('ERR_CREDENTIAL_SIGNATURE');
    // The echo did happen, and its reply starts with the magic value: only the exact-word rule refuses it.
    expect(echo).toHaveBeenCalledTimes(2);
    const reply = await echo.mock.results[0]?.value;
    expect(String(reply).startsWith('0x1626ba7e')).toBe(true);
  });

  it('does not call the provider when recovery already matches', async () => {
    const call = vi.fn<Erc1271Provider['call']>(async () => '0x');
    await verifyEvmSignature({
      address: HARDHAT0,
      message: 'hello world',
      signature: HELLO_SIGNATURE,
      provider: { call },
    });
    expect(call).not.toHaveBeenCalled();
  });
});
