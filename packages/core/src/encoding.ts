/**
 * Byte and text encodings on Web APIs only, shared by the provider packages.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Whether every char of `text` is ASCII (below U+0080): its UTF-8 bytes are then its char codes,
 * and a binary string of such bytes is its own UTF-8 text.
 *
 * @example
 * ```ts
 * isAscii('{"sub":"alice"}'); // true
 * isAscii('café'); // false
 * ```
 */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** UTF-8 bytes of `text`. */
export function utf8ToBytes(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** The text of UTF-8 `bytes`; throws `TypeError` on invalid UTF-8. */
export function bytesToUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes`, without a prefix. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i] as number];
  return out;
}

/** Bytes of a hex string (an optional `0x` prefix, even length); throws `TypeError` otherwise. */
export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const clean = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new TypeError('Invalid hex string.');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Standard base64 (with padding) of `bytes`. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Bytes of base64 or base64url text, padded or not; throws `TypeError` on any other character.
 */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const normal = text.replace(/-/g, '+').replace(/_/g, '/');
  // Padding counted by hand: `/=+$/` backtracks quadratically on a long run of `=` inside the text.
  let padding = 0;
  while (padding < normal.length && normal[normal.length - 1 - padding] === '=') padding++;
  const body = normal.slice(0, normal.length - padding);
  if (padding > 2 || !/^[A-Za-z0-9+/]*$/.test(body) || body.length % 4 === 1) {
    throw new TypeError('Invalid base64 string.');
  }
  const binary = atob(body.padEnd(Math.ceil(body.length / 4) * 4, '='));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Base64url without padding. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  const text = bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_');
  return text.endsWith('==') ? text.slice(0, -2) : text.endsWith('=') ? text.slice(0, -1) : text;
}

/** Lower-case hex SHA-256 of UTF-8 `text` (Web Crypto). Used to key caches by token without storing it. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8ToBytes(text));
  return bytesToHex(new Uint8Array(digest));
}

/**
 * Compares two strings in time that depends only on their lengths, not on where they differ.
 * For signatures and MACs.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = utf8ToBytes(a);
  const y = utf8ToBytes(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
