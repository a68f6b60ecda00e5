/**
 * An id from a caller as one URL path segment: encoded, and refused with a typed error when it could
 * not be (a lone surrogate makes `encodeURIComponent` throw a raw `URIError`) or would step out of
 * the route (`.`, `..`).
 */
import { InvalidArgumentError } from './errors.js';

/** Options of {@link encodePathSegment}. */
export interface PathSegmentOptions {
  /** The provider id the error carries. */
  provider: string;
  /** What the value is, for the message: `'chain'`, `'pairing id'`. */
  name: string;
  /** The longest value accepted, in characters, checked first. Default 256. */
  maxLength?: number;
}

/**
 * Whether `text` is well-formed UTF-16: every surrogate is half of a pair. Such text always encodes
 * (`encodeURIComponent`, `TextEncoder` without replacement).
 *
 * @example
 * ```ts
 * isWellFormedText('a\uD83D\uDE00'); // true
 * isWellFormedText('a\uD83D'); // false
 * ```
 */
export function isWellFormedText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

/**
 * `encodeURIComponent(value)` for a value that must be one path segment: a non-empty string of at
 * most `maxLength` characters, well-formed UTF-16 (no lone surrogate), and not `.` or `..`.
 *
 * Throws `ERR_INVALID_ARGUMENT` otherwise, naming the value but never echoing it.
 *
 * @example
 * ```ts
 * const path = `chains/${encodePathSegment(chain, { provider: 'picket', name: 'chain' })}`;
 * ```
 */
export function encodePathSegment(value: unknown, options: PathSegmentOptions): string {
  const { provider, name, maxLength = 256 } = options;
  const fail = (why: string): never => {
    throw new InvalidArgumentError(`${provider}: the ${name} ${why}`, { provider });
  };
  if (typeof value !== 'string' || value === '') return fail('must be a non-empty string.');
  if (value.length > maxLength) return fail(`is longer than ${maxLength} characters.`);
  if (!isWellFormedText(value)) return fail('is not well-formed text (it holds a lone surrogate).');
  if (value === '.' || value === '..') return fail('cannot be "." or "..".');
  return encodeURIComponent(value);
}
