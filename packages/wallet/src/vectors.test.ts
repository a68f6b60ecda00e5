import { bytesToHex, hexToBytes } from '@authbridge/core';
import { base58 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../test/code-of.js';
import * as V from '../test/vectors.js';
import {
  createSignInMessageText,
  createSiweMessage,
  hashPersonalMessage,
  isErc6492Signature,
  parseSignInMessageText,
  parseSiweMessage,
  recoverDigestSigner,
  signatureBytes,
  toChecksumAddress,
  verifyEd25519,
  verifyEd25519Noble,
  verifySignIn,
  verifySiweMessage,
  wrapErc6492Signature,
} from './index.js';

const fieldsOf = (message: string) => parseSiweMessage(message);
/** verifySiweMessage as spruceid's tests drive it: time = vector time ?? issuedAt, domain and nonce bound. */
function siwe(message: string, signature: string, extra: Record<string, unknown> = {}) {
  const fields = fieldsOf(message);
  return verifySiweMessage({
    message,
    signature,
    domain: fields.domain,
    nonce: fields.nonce,
    time: Date.parse(fields.issuedAt),
    ...extra,
  });
}

describe('SIWE vectors (spec §2)', () => {
  it('M-A: the ERC-191 digest and the recovered address', () => {
    expect(bytesToHex(hashPersonalMessage(V.M_A))).toBe(V.M_A_DIGEST);
    expect(recoverDigestSigner(hashPersonalMessage(V.M_A), signatureBytes(V.M_A_SIG))).toBe(
      '0x9D85ca56217D2bb651b00f15e694EB7E713637D4',
    );
  });
  it('S-1 example message verifies at its issuedAt', async () => {
    const result = await siwe(V.M_A, V.M_A_SIG, { uri: 'https://login.xyz', chainId: 1 });
    expect(result.address).toBe('0x9D85ca56217D2bb651b00f15e694EB7E713637D4');
    expect(result.type).toBe('eip191');
    expect(result.expiresAt?.toISOString()).toBe('2100-01-07T14:31:43.952Z');
  });
  it('S-2 domain binding: example.com is refused', async () => {
    expect(await codeOf(siwe(V.M_A, V.M_A_SIG, { domain: 'example.com' }))).toBe('ERR_CREDENTIAL_DOMAIN');
  });
  it('a uri option that is not a URL is ERR_CONFIG, not a TypeError', async () => {
    expect(await codeOf(siwe(V.M_A, V.M_A_SIG, { uri: 'not a url' }))).toBe('ERR_CONFIG');
  });
  it('S-3 custom nonce: 6548asdgf is refused', async () => {
    expect(await codeOf(siwe(V.M_A, V.M_A_SIG, { nonce: '6548asdgf' }))).toBe('ERR_CREDENTIAL_NONCE');
  });
  it('S-3b custom time 2200-01-05: expired', async () => {
    expect(await codeOf(siwe(V.M_A, V.M_A_SIG, { time: Date.parse('2200-01-05T00:00:00Z') }))).toBe(
      'ERR_CREDENTIAL_EXPIRED',
    );
  });
  it('S-4 recovery byte 0x01 verifies', async () => {
    expect((await siwe(V.S4, V.S4_SIG)).address).toBe('0xc95EB884FE852e241D409234bfC7045CB9E31BD7');
  });
  it('S-5 expired message: valid at 2020-01-05 (issuedAt check off), expired at its issuedAt', async () => {
    const at2020 = { time: Date.parse('2020-01-05T00:00:00Z'), rejectFutureIssuedAt: false };
    expect((await siwe(V.M_E, V.M_E_SIG, at2020)).address).toBe('0x2ecA0068307e706741445764A3D6A4402aC2A5a9');
    expect(await codeOf(siwe(V.M_E, V.M_E_SIG))).toBe('ERR_CREDENTIAL_EXPIRED');
    // With the default issuedAt check, a time before issuedAt is refused with its own code.
    expect(await codeOf(siwe(V.M_E, V.M_E_SIG, { time: at2020.time }))).toBe('ERR_CREDENTIAL_ISSUED_AT');
  });
  it('S-6 not yet valid: valid in 2101, refused at its issuedAt', async () => {
    const in2101 = { time: Date.parse('2101-01-07T14:31:43.952Z') };
    expect((await siwe(V.M_N, V.M_N_SIG, in2101)).address).toBe('0xE6D3Aa1F561A215E5eb1f02Ba8705385F03fCaFB');
    expect(await codeOf(siwe(V.M_N, V.M_N_SIG))).toBe('ERR_CREDENTIAL_NOT_YET_VALID');
  });
  it('S-7 wrong signature and malformed signature', async () => {
    expect(recoverDigestSigner(hashPersonalMessage(V.M_W), signatureBytes(V.M_W_WRONG_SIG))).toBe(
      '0x7eE6dC33c30Fcb754C813402F75559044c60933c',
    );
    expect(await codeOf(siwe(V.M_W, V.M_W_WRONG_SIG))).toBe('ERR_CREDENTIAL_SIGNATURE');
    expect(await codeOf(siwe(V.M_W, V.M_W_MALFORMED_SIG))).toBe('ERR_CREDENTIAL_MALFORMED');
  });
  it.each(V.S8)('S-8 $name is refused as malformed, never skipped', async ({ message, signature }) => {
    expect(() => parseSiweMessage(message)).toThrowError(
      expect.objectContaining({ code: 'ERR_CREDENTIAL_MALFORMED' }),
    );
    expect(
      await codeOf(
        verifySiweMessage({ message, signature, domain: 'login.xyz', nonce: 'bTyXgcQxn2htgkjJn', time: 0 }),
      ),
    ).toBe('ERR_CREDENTIAL_MALFORMED');
  });
  it.each(V.S9.map((m, i) => [i, m]))(
    'S-9 parsing_positive #%i parses and rebuilds to the same text',
    (_i, message) => {
      expect(createSiweMessage(parseSiweMessage(message))).toBe(message);
    },
  );
  it('S-9 fields: resources, no statement (three LFs), scheme', () => {
    expect(parseSiweMessage(V.S9[0]).resources).toEqual([
      'ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu',
      'https://example.com/my-web2-claim.json',
    ]);
    expect(parseSiweMessage(V.S9[1]).statement).toBeUndefined();
    expect(V.S9[1]).toContain('\n\n\nURI:');
    const withScheme = parseSiweMessage(V.S9[2]);
    expect([withScheme.scheme, withScheme.domain]).toEqual(['https', 'example.com']);
    expect(parseSiweMessage(V.S9[0]).scheme).toBeUndefined();
  });
  it('S-10 N0 itself is well-formed', () => {
    expect(parseSiweMessage(V.N0).requestId).toBe('some_id');
  });
  it.each(V.S10)('S-10 %s is refused', (_name, message) => {
    expect(() => parseSiweMessage(message)).toThrowError(
      expect.objectContaining({ code: 'ERR_CREDENTIAL_MALFORMED' }),
    );
  });
  it('EIP-55 vectors are their own checksum form', () => {
    for (const address of V.EIP55) expect(toChecksumAddress(address.toLowerCase())).toBe(address);
  });
  it('personal_sign hello world: digest, recovery with v 27 and v 0', () => {
    expect(bytesToHex(hashPersonalMessage('hello world'))).toBe(V.HELLO_DIGEST);
    const digest = hashPersonalMessage('hello world');
    expect(recoverDigestSigner(digest, signatureBytes(V.HELLO_SIG))).toBe(V.HARDHAT_ADDRESS);
    expect(recoverDigestSigner(digest, signatureBytes(`${V.HELLO_SIG.slice(0, -2)}00`))).toBe(
      V.HARDHAT_ADDRESS,
    );
  });
  it('ERC-6492 wrapper of the hello-world signature is byte for byte the vector', () => {
    const wrapped = wrapErc6492Signature({
      factory: '0xcafebabecafebabecafebabecafebabecafebabe',
      factoryCalldata: '0xdeadbeef',
      signature: V.HELLO_SIG,
    });
    expect(wrapped).toBe(V.ERC6492_WRAPPED);
    expect(hexToBytes(wrapped).length).toBe(320);
    expect(isErc6492Signature(hexToBytes(wrapped))).toBe(true);
    expect(isErc6492Signature(signatureBytes(V.HELLO_SIG))).toBe(false);
  });
});

describe('SIWS vectors (spec §3.3)', () => {
  it.each(V.SIWS_TEXT.map((t, i) => [i, t]))('text vector #%i parses and rebuilds', (_i, text) => {
    expect(createSignInMessageText(parseSignInMessageText(text))).toBe(text);
  });
  it('text vectors parse to their fields', () => {
    expect(parseSignInMessageText(V.SIWS_TEXT[0])).toEqual({ domain: 'solana.com', address: 'A' });
    expect(parseSignInMessageText(V.SIWS_TEXT[2]).statement).toBe('S\n\nS');
    expect(parseSignInMessageText(V.SIWS_TEXT[3])).toEqual({
      domain: 'solana.com',
      address: 'A',
      uri: 'https://solana.com',
    });
    expect(parseSignInMessageText(V.SIWS_TEXT[5])).toMatchObject({
      statement: 'S\n\nS',
      uri: 'https://solana.com',
    });
  });

  const output = (message: string, pk: string, sig: string) => ({
    account: { publicKey: base58.decode(pk) },
    signedMessage: new TextEncoder().encode(message),
    signature: base58.decode(sig),
  });
  const issued = (message: string) => parseSignInMessageText(message);
  const at = (iso: string) => ({ time: Date.parse(iso) });

  it('W-1 example message verifies', async () => {
    expect(bytesToHex(base58.decode(V.W1_PK))).toBe(
      'f70c9b07bd175f2807c73d1f7b6efb4980c86f65258dca38d1c65d68fb70f0b0',
    );
    expect(bytesToHex(base58.decode(V.W1_SIG))).toBe(
      '7e94342ac00e1d4bfeaa3a4027f63817ae15367f3199fbe6f4255af160b3aaf5d4b3e9373ee983c05cf43019a9ce5de877a10e2694dee92d46db7ba24b4d230e',
    );
    const fields = await verifySignIn(
      issued(V.W1),
      output(V.W1, V.W1_PK, V.W1_SIG),
      at('2022-01-27T17:09:38.578Z'),
    );
    expect(fields.address).toBe(V.W1_PK);
  });
  it('W-2 without expiration verifies', async () => {
    await expect(
      verifySignIn(issued(V.W2), output(V.W2, V.W1_PK, V.W2_SIG), at('2022-01-27T17:09:38.578Z')),
    ).resolves.toBeDefined();
  });
  it('W-3 expired: the ed25519 signature is valid, the message expired', async () => {
    expect(
      await verifyEd25519(base58.decode(V.W_NEG_PK), base58.decode(V.W3_SIG), new TextEncoder().encode(V.W3)),
    ).toBe(true);
    expect(
      await codeOf(
        verifySignIn(issued(V.W3), output(V.W3, V.W_NEG_PK, V.W3_SIG), at('2021-04-01T11:47:23.844Z')),
      ),
    ).toBe('ERR_CREDENTIAL_EXPIRED');
  });
  it('W-4 malformed signature is refused', async () => {
    expect(
      await codeOf(
        verifySignIn(issued(V.W4), output(V.W4, V.W_NEG_PK, V.W4_SIG), at('2021-04-03T11:21:13.464Z')),
      ),
    ).toMatch(/^ERR_CREDENTIAL_(SIGNATURE|MALFORMED)$/);
  });
  it("W-5 wrong signature (W-3's) is refused", async () => {
    expect(
      await codeOf(
        verifySignIn(issued(V.W5), output(V.W5, V.W_NEG_PK, V.W3_SIG), at('2021-04-03T16:11:13.424Z')),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
  });
  it('W-6 invalid expiration time: valid ed25519, refused by date validation', async () => {
    expect(
      await verifyEd25519(base58.decode(V.W_NEG_PK), base58.decode(V.W6_SIG), new TextEncoder().encode(V.W6)),
    ).toBe(true);
    expect(
      await codeOf(
        verifySignIn(issued(V.W6), output(V.W6, V.W_NEG_PK, V.W6_SIG), at('2021-04-04T11:21:13.464Z')),
      ),
    ).toBe('ERR_CREDENTIAL_MALFORMED');
  });
  it('the domain is always compared (wallet-standard skips it when the input omits it)', async () => {
    const { domain: _omitted, ...noDomain } = issued(V.W1);
    expect(
      await codeOf(verifySignIn(noDomain, output(V.W1, V.W1_PK, V.W1_SIG), at('2022-01-27T17:09:38.578Z'))),
    ).toBe('ERR_CONFIG');
    expect(
      await codeOf(
        verifySignIn(
          { ...issued(V.W1), domain: 'evil.xyz' },
          output(V.W1, V.W1_PK, V.W1_SIG),
          at('2022-01-27T17:09:38.578Z'),
        ),
      ),
    ).toBe('ERR_CREDENTIAL_DOMAIN');
  });
  it('RFC 8032 §7.1 tests 1-3 on both backends, and their base58 keys', async () => {
    for (const t of V.RFC8032) {
      const [pk, sig, msg] = [hexToBytes(t.publicKey), hexToBytes(t.signature), hexToBytes(t.message)];
      expect(base58.encode(pk)).toBe(t.base58);
      expect(await verifyEd25519(pk, sig, msg, 'webcrypto')).toBe(true);
      expect(await verifyEd25519(pk, sig, msg, 'noble')).toBe(true);
      expect(verifyEd25519Noble(sig, msg, pk)).toBe(true);
      const flipped = Uint8Array.from(sig);
      flipped[0] = (flipped[0] as number) ^ 1;
      expect(await verifyEd25519(pk, flipped, msg, 'webcrypto')).toBe(false);
      expect(await verifyEd25519(pk, flipped, msg, 'noble')).toBe(false);
    }
  });
});
