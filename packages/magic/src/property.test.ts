import { bytesToBase64, bytesToHex, isAuthBridgeError, utf8ToBytes } from '@authbridge/core';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPersonalMessage, jsRecovery } from './recover.js';
import { validateDIDToken } from './validate.js';

const NOW = 1_700_000_000;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';

function sign(message: string, key: Uint8Array, lowS = true): string {
  const sig = secp256k1.sign(hashPersonalMessage(message), key, {
    prehash: false,
    format: 'recovered',
    lowS,
  });
  return `0x${bytesToHex(sig.subarray(1))}${(27 + (sig[0] as number)).toString(16)}`;
}

function issuerOf(key: Uint8Array): string {
  return `did:ethr:0x${bytesToHex(keccak_256(secp256k1.getPublicKey(key, false).subarray(1)).subarray(12))}`;
}

const claimArb = fc.record({
  key: fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.utils.isValidSecretKey(k)),
  lifetime: fc.integer({ min: 0, max: 10 ** 8 }),
  age: fc.integer({ min: -299, max: 10 ** 6 }),
  sub: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  aud: fc.string({ minLength: 1, maxLength: 60 }),
  tid: fc.uuid(),
  attachment: fc.string({ maxLength: 30 }),
  lowS: fc.boolean(),
});

type ClaimInput = typeof claimArb extends fc.Arbitrary<infer T> ? T : never;

// The canonical form: the UTF-8 bytes of JSON.stringify([proof, claim]), non-ASCII written as it is.
function build(input: ClaimInput): string {
  const iat = NOW - input.age;
  const claim = JSON.stringify({
    iat,
    ext: Math.max(iat, NOW) + input.lifetime,
    iss: issuerOf(input.key),
    sub: input.sub,
    aud: input.aud,
    nbf: iat,
    tid: input.tid,
    add: sign(input.attachment || 'none', input.key),
  });
  return bytesToBase64(utf8ToBytes(JSON.stringify([sign(claim, input.key, input.lowS), claim])));
}

describe('property: random claims signed by random keys', () => {
  it('validate, with the attachment they were made with, low-s or high-s', () => {
    fc.assert(
      fc.property(claimArb, (input) => {
        const token = build(input);
        const { claim } = validateDIDToken(token, {
          clientId: input.aud,
          attachment: input.attachment,
          now: NOW * 1000,
          recovery: jsRecovery,
        });
        expect(claim.iss).toBe(issuerOf(input.key));
      }),
      { numRuns: 60 },
    );
  });

  it('any single-character change makes validation fail with a typed error', () => {
    fc.assert(
      fc.property(claimArb, fc.nat(), fc.nat(), (input, where, replacement) => {
        const token = build(input);
        const at = where % token.length;
        const chars = B64.replace(token[at] as string, '');
        const changed = token.slice(0, at) + chars[replacement % chars.length] + token.slice(at + 1);
        let thrown: unknown;
        try {
          validateDIDToken(changed, {
            clientId: input.aud,
            attachment: input.attachment,
            now: NOW * 1000,
            recovery: jsRecovery,
          });
        } catch (error) {
          thrown = error;
        }
        expect(isAuthBridgeError(thrown), `position ${at}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
