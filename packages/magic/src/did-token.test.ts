/**
 * The DID token reader is total and canonical: one credential has at most four accepted spellings
 * (padding × high-s, README), an over-long or BOM-prefixed token is malformed before any parsing,
 * only AuthBridgeErrors escape, and every identity has one subject.
 */
import { inspect } from 'node:util';
import { bytesToBase64, bytesToHex, isAuthBridgeError, utf8ToBytes } from '@authbridge/core';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as V from '../test/vectors.js';
import { createMagicAdmin } from './admin.js';
import { DID_TOKEN_MAX_LENGTH, decodeDIDToken, toChecksumAddress } from './did-token.js';
import { magic } from './provider.js';
import { hashPersonalMessage, jsRecovery } from './recover.js';
import { validateDIDToken } from './validate.js';

/** Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit makes only whole code points). */
const UTF16 = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const NOW = new Date('2026-11-23T12:00:00Z');
const N = secp256k1.Point.CURVE().n;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (!isAuthBridgeError(error)) throw error;
    return error.code;
  }
  return 'OK';
}

const valid = (token: string) =>
  codeOf(() => validateDIDToken(token, { clientId: null, now: NOW, recovery: jsRecovery }));
const encode = (text: string) => bytesToBase64(utf8ToBytes(text));

/** The high-s twin of a proof: s' = n - s, v flipped. Anyone can make it without the key. */
function highS(proof: string): string {
  const r = proof.slice(2, 66);
  const s = BigInt(`0x${proof.slice(66, 130)}`);
  const v = Number.parseInt(proof.slice(130), 16);
  return `0x${r}${(N - s).toString(16).padStart(64, '0')}${(v === 27 ? 28 : 27).toString(16)}`;
}

describe('one credential, at most four spellings', () => {
  const [proof, claim] = JSON.parse(atob(V.VALID_DIDT)) as [string, string];

  it('refuses JSON re-encodings of [proof, claim]: whitespace, escapes, key order kept', () => {
    const respellings = [
      `[ ${JSON.stringify(proof)}, ${JSON.stringify(claim)} ]`,
      `[${JSON.stringify(proof)},${JSON.stringify(claim)}]\n`,
      `\t[${JSON.stringify(proof)},${JSON.stringify(claim)}]`,
      `[${JSON.stringify(proof)} ,${JSON.stringify(claim)}]`,
      `["\\u0030${proof.slice(1)}",${JSON.stringify(claim)}]`,
      `[${JSON.stringify(proof)},${JSON.stringify(claim).replace('\\"', '\\u0022')}]`,
      `[${JSON.stringify(proof)},${JSON.stringify(claim).replace(':', '\\u003a')}]`,
      `[${JSON.stringify(proof)},${JSON.stringify(claim)}]`.replace('x', '\\u0078'),
    ];
    for (const text of respellings) {
      expect(valid(encode(text)), text).toBe('ERR_CREDENTIAL_MALFORMED');
    }
  });

  it('accepts exactly the token, its other padding and their high-s twins, all with one claim', () => {
    const canonical = JSON.stringify([proof, claim]);
    const twin = JSON.stringify([highS(proof), claim]);
    const spellings = [canonical, twin].flatMap((text) => {
      const padded = encode(text);
      return [padded, padded.replace(/=+$/, '')];
    });
    expect(new Set(spellings).size).toBe(4);
    for (const token of spellings) {
      expect(valid(token)).toBe('OK');
      expect(decodeDIDToken(token).claim).toEqual(decodeDIDToken(V.VALID_DIDT).claim);
    }
  });

  it('refuses a token with a leading byte-order mark, as the official SDK does', () => {
    const withBom = bytesToBase64(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8ToBytes(atob(V.VALID_DIDT))]));
    expect(valid(withBom)).toBe('ERR_CREDENTIAL_MALFORMED');
  });

  it('refuses an array of more than two items (the official SDK reads the first two)', () => {
    expect(valid(encode(JSON.stringify([proof, claim, 'extra'])))).toBe('ERR_CREDENTIAL_MALFORMED');
  });

  it(`refuses a token longer than DID_TOKEN_MAX_LENGTH (${DID_TOKEN_MAX_LENGTH}) before decoding it`, () => {
    const long = `${V.VALID_DIDT.replace(/=+$/, '')}${'A'.repeat(DID_TOKEN_MAX_LENGTH)}`;
    let error: unknown;
    try {
      decodeDIDToken(long);
    } catch (e) {
      error = e;
    }
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED')).toBe(true);
    expect((error as Error).message).toContain(String(DID_TOKEN_MAX_LENGTH));
    expect(codeOf(() => decodeDIDToken('='.repeat(DID_TOKEN_MAX_LENGTH + 1)))).toBe(
      'ERR_CREDENTIAL_MALFORMED',
    );
  });
});

describe('property: the decoder is total and round-trips', () => {
  it('a token is refused as non-canonical exactly when its JSON is not JSON.stringify([proof, claim])', () => {
    const SHORT: Record<string, string> = {
      '"': '"',
      '\\': '\\',
      '/': '/',
      '\b': 'b',
      '\f': 'f',
      '\n': 'n',
      '\r': 'r',
      '\t': 't',
    };
    const hex = (code: number, upper: boolean) => {
      const digits = code.toString(16).padStart(4, '0');
      return `\\u${upper ? digits.toUpperCase() : digits}`;
    };
    /** One of the JSON spellings of a char, picked by `pick`. */
    const spell = (char: string, pick: number): string => {
      const code = char.charCodeAt(0);
      const spellings: string[] = [];
      if (char !== '"' && char !== '\\' && code >= 0x20) spellings.push(char);
      if (SHORT[char] !== undefined) spellings.push(`\\${SHORT[char]}`);
      if (char.length === 1) spellings.push(hex(code, false), hex(code, true));
      else spellings.push(hex(code, false) + hex(char.charCodeAt(1), false));
      return spellings[pick % spellings.length] as string;
    };
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('"', '\\', '/', '\n', '\u0001', 'u', 'a'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 12,
    });
    const spelled = (value: string, picks: number[]) =>
      `"${Array.from(value, (char, i) => spell(char, picks[i % picks.length] ?? 0)).join('')}"`;
    const refusedAsRespelled = (json: string) => {
      try {
        decodeDIDToken(encode(json));
      } catch (error) {
        return isAuthBridgeError(error) && error.message.includes('canonical encoding');
      }
      return false;
    };
    // Re-spellings of either string or of the array, and canonical texts that look like them.
    for (const json of [
      '["\\/","x"]',
      '["a","\\/"]',
      '[ "a","b"]',
      '["a","b"]\n',
      '["\\u0041","b"]',
      '["\\u001F","b"]',
    ])
      expect(refusedAsRespelled(json), json).toBe(true);
    for (const json of [
      '["\\u001f","b"]',
      '["a\\\\/","b"]',
      '["\\\\u","b"]',
      '["\\"\\\\\\b\\f\\n\\r\\t","/"]',
    ])
      expect(refusedAsRespelled(json), json).toBe(false);
    const ws = fc.constantFrom('', '', '', ' ', '\n');
    fc.assert(
      fc.property(
        text,
        text,
        // Mostly the first (canonical where there is one) spelling, so texts without `\u` come often.
        fc.array(fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat(3), weight: 1 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.tuple(ws, ws, ws, ws),
        (proof, claim, picks, [w1, w2, w3, w4]) => {
          const json = `[${w1}${spelled(proof, picks)}${w2},${w3}${spelled(claim, [...picks].reverse())}${w4}]`;
          expect(JSON.parse(json)).toEqual([proof, claim]);
          let message = '';
          try {
            decodeDIDToken(encode(json));
          } catch (error) {
            message = isAuthBridgeError(error) ? error.message : String(error);
          }
          expect(message.includes('canonical encoding')).toBe(json !== JSON.stringify([proof, claim]));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('chars outside the base64 alphabet anywhere in an accepted token make it malformed', () => {
    expect(codeOf(() => decodeDIDToken(V.VALID_DIDT))).toBe('OK');
    const junk = fc.constantFrom(' ', '\t', '\n', '\f', '\r', '-', '_', '=', '.', '%', '\u00e9', '\u3000');
    fc.assert(
      fc.property(fc.nat(), junk, (at, char) => {
        // Four at a time, so the length stays a valid one; before the last char, so no '=' is
        // appended where the format allows padding.
        const cut = at % V.VALID_DIDT.length;
        const token = V.VALID_DIDT.slice(0, cut) + char.repeat(4) + V.VALID_DIDT.slice(cut);
        expect(codeOf(() => decodeDIDToken(token))).toBe('ERR_CREDENTIAL_MALFORMED');
      }),
      { numRuns: 300 },
    );
  });

  it('any string, and any base64 of any bytes, throws nothing but an AuthBridgeError', () => {
    const input = fc.oneof(
      fc.string({ unit: UTF16, maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => bytesToBase64(b)),
      fc.tuple(fc.string({ unit: UTF16 }), fc.string({ unit: UTF16 })).map((t) => encode(JSON.stringify(t))),
      fc.anything().map((v) => encode(JSON.stringify(v) ?? '')),
    );
    fc.assert(
      fc.property(input, (token) => {
        const code = codeOf(() => decodeDIDToken(token));
        expect(code === 'OK' || code === 'ERR_CREDENTIAL_MALFORMED', String(code)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('an accepted token is the base64 of JSON.stringify([proof, rawClaim]), padded or not', () => {
    const claimArb = fc.record({
      iat: fc.integer(),
      ext: fc.integer(),
      nbf: fc.integer(),
      iss: fc.string(),
      sub: fc.string(),
      aud: fc.string(),
      tid: fc.string(),
      add: fc.string(),
    });
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        claimArb,
        fc.boolean(),
        (proof, claim, pad) => {
          const padded = encode(JSON.stringify([proof, JSON.stringify(claim)]));
          const token = pad ? padded : padded.replace(/=+$/, '');
          const decoded = decodeDIDToken(token);
          expect(decoded.claim).toEqual(claim);
          expect(encode(JSON.stringify([decoded.proof, decoded.rawClaim]))).toBe(padded);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('one identity, one subject', () => {
  const key = keccak_256(utf8ToBytes('one subject'));
  const lower = `0x${bytesToHex(keccak_256(secp256k1.getPublicKey(key, false).subarray(1)).subarray(12))}`;
  const checksummed = toChecksumAddress(lower);
  const sign = (message: string) => {
    const sig = secp256k1.sign(hashPersonalMessage(message), key, { prehash: false, format: 'recovered' });
    return `0x${bytesToHex(sig.subarray(1))}${(27 + (sig[0] as number)).toString(16)}`;
  };
  const tokenFor = (iss: string, tid: string) => {
    const now = Math.floor(Date.now() / 1000);
    const claim = JSON.stringify({
      iat: now,
      ext: now + 900,
      iss,
      sub: 's',
      aud: 'app',
      nbf: now,
      tid,
      add: sign('none'),
    });
    return encode(JSON.stringify([sign(claim), claim]));
  };

  it('toChecksumAddress spells an address in EIP-55, and refuses a non-address as malformed', () => {
    expect(toChecksumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBe(
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    );
    expect(codeOf(() => toChecksumAddress('0x1234'))).toBe('ERR_CREDENTIAL_MALFORMED');
  });

  it('every iss spelling the SDK accepts for one key gives the subject did:ethr:<EIP-55 address>', async () => {
    const provider = magic({ secretKey: 'sk_test_subject_key', clientId: 'app' });
    const spellings = [
      `did:ethr:${checksummed}`,
      `did:ethr:${lower}`,
      `did:ethr:0x${lower.slice(2).toUpperCase()}`,
      `did:other:${lower}`,
      `did:ethr:${lower}:extra`,
    ];
    const subjects = new Set<string>();
    for (const [i, iss] of spellings.entries()) {
      const result = await provider.verify(tokenFor(iss, `tid-${i}`));
      subjects.add(result.subject);
      expect(result.claims.iss).toBe(iss);
      expect(result.wallet?.address).toBe(checksummed);
    }
    expect([...subjects]).toEqual([`did:ethr:${checksummed}`]);
  });
});

describe('the secret key is checked at construction, and never leaks', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  const KEY = 'sk_live_4F2A9C0D7E1B3A5C';

  it('a key with a trailing newline, CR, LF or NUL is ERR_CONFIG, never a TypeError carrying it', () => {
    for (const secretKey of [
      `${KEY}\n`,
      `${KEY}\r\n`,
      `sk_live_\r\nX-Injected: 1`,
      `${KEY}\u0000`,
      ` ${KEY}`,
    ]) {
      let error: unknown;
      try {
        createMagicAdmin({ secretKey });
      } catch (e) {
        error = e;
      }
      expect(isAuthBridgeError(error, 'ERR_CONFIG'), String(error)).toBe(true);
      expect(inspect(error, { depth: 20 })).not.toContain('sk_live_');
    }
  });

  it("an echoed key in Magic's error data is hidden from the error and from hook events", async () => {
    const events: unknown[] = [];
    const admin = createMagicAdmin({
      secretKey: KEY,
      hooks: { onError: (event) => events.push(event) },
      retry: false,
    });
    nock('https://api.toaster.magic.link')
      .get('/v1/admin/user')
      .query(true)
      .reply(401, { error_code: 'bad_key', message: 'invalid key', data: [{ given: KEY }, `key ${KEY}`] });
    const error = await admin.users.getMetadataByIssuer('did:ethr:0x1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_UNAUTHORIZED')).toBe(true);
    expect(events).toHaveLength(1);
    for (const shown of [error, (error as { data: unknown }).data, events]) {
      expect(inspect(shown, { depth: 20 })).not.toContain(KEY);
    }
  });
});
