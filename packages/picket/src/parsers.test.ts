/**
 * What Picket reads from a caller is capped and total, and one wallet has one subject.
 */
import { inspect } from 'node:util';
import { isAuthBridgeError } from '@authbridge/core';
import { rejectionOf as errorOf } from '@authbridge/test-utils';
import fc from 'fast-check';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN_MAX_LENGTH,
  decodeAccessToken,
  picket,
  SIGNATURE_MAX_LENGTH,
  toChecksumAddress,
} from './index.js';

/** Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit makes only whole code points). */
const UTF16 = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const ORIGIN = 'https://picketapi.com';
const BASE = '/api/v1';
const KEY = 'sk_test_parsers_0123456789';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (payload: Record<string, unknown>) => `${part({ alg: 'ES256' })}.${part(payload)}.c2ln`;

const LOWER = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const CHECKSUMMED = toChecksumAddress(LOWER);

describe('one EVM wallet, one subject', () => {
  it('every casing of the address gives the subject <chain>:<EIP-55 address>; the raw value stays a claim', async () => {
    const provider = picket({ apiKey: KEY });
    const subjects = new Set<string>();
    for (const walletAddress of [LOWER, CHECKSUMMED, `0x${LOWER.slice(2).toUpperCase()}`]) {
      const user = { chain: 'ethereum', walletAddress, displayAddress: walletAddress };
      nock(ORIGIN).post(`${BASE}/auth/validate`).reply(200, user);
      const result = await provider.verifyAccessToken(jwt({ ...user, exp: 4_000_000_000 }));
      subjects.add(result.subject);
      expect(result.wallet?.address).toBe(CHECKSUMMED);
      expect(result.claims.walletAddress).toBe(walletAddress);
    }
    expect([...subjects]).toEqual([`ethereum:${CHECKSUMMED}`]);
  });

  it('a Solana subject keeps its base58 address as it is', async () => {
    const provider = picket({ apiKey: KEY });
    const address = '7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV';
    const user = { chain: 'solana', walletAddress: address, displayAddress: address };
    nock(ORIGIN).post(`${BASE}/auth/validate`).reply(200, user);
    const result = await provider.verifyAccessToken(jwt(user));
    expect(result.subject).toBe(`solana:${address}`);
  });
});

describe('ids and credentials from a caller', () => {
  it('chain and tokenOwnership reject a lone surrogate with ERR_INVALID_ARGUMENT, not a URIError', async () => {
    const provider = picket({ apiKey: KEY });
    for (const rejection of [
      errorOf(provider.chain('eth\uD800')),
      errorOf(provider.tokenOwnership({ chain: 'ethereum', walletAddress: '0x\uDC00', requirements: {} })),
      errorOf(provider.tokenOwnership({ chain: '..', walletAddress: LOWER, requirements: {} })),
    ]) {
      const error = await rejection;
      expect(isAuthBridgeError(error, 'ERR_INVALID_ARGUMENT'), String(error)).toBe(true);
    }
  });

  it('refuses an over-long access token or signature before any request', async () => {
    const provider = picket({ apiKey: KEY });
    const longToken = `a.${'b'.repeat(ACCESS_TOKEN_MAX_LENGTH)}.c`;
    expect(() => decodeAccessToken(longToken)).toThrowError(
      expect.objectContaining({ code: 'ERR_CREDENTIAL_MALFORMED' }),
    );
    const errors = [
      await errorOf(provider.verifyAccessToken(longToken)),
      await errorOf(
        provider.verify({
          challengeId: 'AAAAAAAAAAAAAAAAAAAAAA',
          signature: `0x${'ab'.repeat(SIGNATURE_MAX_LENGTH)}`,
        }),
      ),
      await errorOf(provider.createChallenge({ chain: 'x'.repeat(100), walletAddress: LOWER })),
      await errorOf(provider.createChallenge({ chain: 'flow', walletAddress: 'f'.repeat(1000) })),
    ];
    for (const error of errors)
      expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), String(error)).toBe(true);
  });

  it('an apiKey with a newline, CR, NUL or space is ERR_CONFIG and the error does not carry it', () => {
    for (const apiKey of [`${KEY}\n`, `${KEY}\r`, `${KEY}\u0000`, `${KEY} `, `sk_\u00e9${KEY}`]) {
      let error: unknown;
      try {
        picket({ apiKey });
      } catch (e) {
        error = e;
      }
      expect(isAuthBridgeError(error, 'ERR_CONFIG'), String(error)).toBe(true);
      expect(inspect(error, { depth: 20 })).not.toContain(KEY);
    }
  });
});

describe('property: decodeAccessToken', () => {
  it('any string throws nothing but ERR_CREDENTIAL_MALFORMED', () => {
    const segment = fc.oneof(
      fc.string({ unit: UTF16, maxLength: 40 }),
      fc.anything().map((v) => part(v ?? null)),
    );
    const token = fc.oneof(
      fc.string({ unit: UTF16, maxLength: 200 }),
      fc.tuple(segment, segment, segment).map((parts) => parts.join('.')),
    );
    fc.assert(
      fc.property(token, (t) => {
        try {
          decodeAccessToken(t);
        } catch (error) {
          expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), String(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the claims of a JWT round-trip', () => {
    const claims = fc.record({
      chain: fc.string(),
      walletAddress: fc.string(),
      displayAddress: fc.string(),
      exp: fc.integer({ min: 0 }),
    });
    fc.assert(
      fc.property(claims, (c) => {
        expect(decodeAccessToken(jwt(c))).toMatchObject(c);
      }),
      { numRuns: 300 },
    );
  });
});

describe('property: verify refuses what Picket could not accept with a typed error', () => {
  it('any credential shape either is refused locally or reaches the network, never an untyped error', async () => {
    const provider = picket({ apiKey: KEY, retry: false });
    const text = fc.oneof(fc.string({ unit: UTF16, maxLength: 30 }), fc.constant(LOWER), fc.anything());
    await fc.assert(
      fc.asyncProperty(
        fc.record({ chain: text, walletAddress: text, signature: text }),
        async (credential) => {
          const error = await errorOf(provider.verify(credential as never));
          expect(isAuthBridgeError(error), String(error)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('provider bodies', () => {
  it("an over-long chain or wallet address in Picket's answer is ERR_UNEXPECTED_RESPONSE, not a subject", async () => {
    const provider = picket({ apiKey: KEY });
    for (const user of [
      { chain: 'c'.repeat(200), walletAddress: LOWER, displayAddress: 'x' },
      { chain: 'ethereum', walletAddress: 'w'.repeat(200), displayAddress: 'x' },
    ]) {
      nock(ORIGIN).post(`${BASE}/auth/validate`).reply(200, user);
      const error = await errorOf(
        provider.verifyAccessToken(jwt({ chain: 'ethereum', walletAddress: LOWER, displayAddress: 'x' })),
      );
      expect(isAuthBridgeError(error, 'ERR_UNEXPECTED_RESPONSE'), String(error)).toBe(true);
    }
  });
});
