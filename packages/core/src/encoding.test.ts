import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  bytesToBase64Url,
  bytesToHex,
  bytesToUtf8,
  hexToBytes,
  isAscii,
  sha256Hex,
  timingSafeEqual,
  utf8ToBytes,
} from './encoding.js';

describe('encoding', () => {
  it('round-trips hex with or without 0x and rejects bad hex', () => {
    expect(bytesToHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
    expect(hexToBytes('0x000fff')).toEqual(new Uint8Array([0, 15, 255]));
    expect(hexToBytes('ABcd')).toEqual(new Uint8Array([171, 205]));
    expect(() => hexToBytes('abc')).toThrow(TypeError);
    expect(() => hexToBytes('zz')).toThrow(TypeError);
  });

  it('round-trips base64 and base64url, padded or not', () => {
    const bytes = new Uint8Array([251, 255, 191, 0, 1]);
    expect(bytesToBase64(bytes)).toBe('+/+/AAE=');
    expect(bytesToBase64Url(bytes)).toBe('-_-_AAE');
    expect(base64ToBytes('+/+/AAE=')).toEqual(bytes);
    expect(base64ToBytes('-_-_AAE')).toEqual(bytes);
    expect(() => base64ToBytes('a*b')).toThrow(TypeError);
    expect(() => base64ToBytes('abcde')).toThrow(TypeError);
  });

  it('encodes large inputs without overflowing the call stack', () => {
    const big = new Uint8Array(200_000).map((_, i) => i % 256);
    expect(base64ToBytes(bytesToBase64(big))).toEqual(big);
  });

  it('round-trips UTF-8 and rejects invalid UTF-8', () => {
    expect(bytesToUtf8(utf8ToBytes('héllo 🔑'))).toBe('héllo 🔑');
    expect(() => bytesToUtf8(new Uint8Array([0xff]))).toThrow(TypeError);
  });

  it('hashes with SHA-256 (the FIPS 180-2 "abc" vector)', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('compares strings for equality', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'abcd')).toBe(false);
    expect(timingSafeEqual('', '')).toBe(true);
    expect(timingSafeEqual('', 'a')).toBe(false);
  });

  it('isAscii is true exactly when every UTF-8 byte of the text is its char code', () => {
    expect(isAscii('')).toBe(true);
    expect(isAscii('\x00\x7f{"a":1}')).toBe(true);
    expect(isAscii('\x80')).toBe(false);
    expect(isAscii('caf\u00e9')).toBe(false);
    expect(isAscii('\ud800')).toBe(false);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const bytes = utf8ToBytes(text);
        const same = bytes.length === text.length && bytes.every((b, i) => b === text.charCodeAt(i));
        expect(isAscii(text)).toBe(same);
      }),
      { numRuns: 300 },
    );
  });
});
