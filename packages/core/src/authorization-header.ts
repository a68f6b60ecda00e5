import { InvalidCredentialError } from './errors.js';

/** Anything an app may hold the header in: the value, a `Headers`, a `Request`, or Node's header object. */
export type AuthorizationSource =
  | string
  | null
  | undefined
  | Headers
  | Request
  | { headers: Headers | Record<string, string | string[] | undefined> }
  | Record<string, string | string[] | undefined>;

/** The longest `Authorization` header read, in characters, checked before any parsing. */
export const AUTHORIZATION_HEADER_MAX_LENGTH = 8192;

function malformed(message: string): never {
  throw new InvalidCredentialError('ERR_AUTH_HEADER_MALFORMED', message);
}

function headerValue(source: AuthorizationSource): unknown {
  if (source === null || source === undefined) return undefined;
  if (typeof source === 'string') return source;
  if (typeof source !== 'object') return malformed('The Authorization header is not text.');
  if (source instanceof Headers) return source.get('authorization') ?? undefined;
  if (typeof Request !== 'undefined' && source instanceof Request) {
    return source.headers.get('authorization') ?? undefined;
  }
  const bag =
    'headers' in source && typeof source.headers === 'object' && source.headers !== null
      ? source.headers
      : source;
  if (bag instanceof Headers) return bag.get('authorization') ?? undefined;
  const record = bag as Record<string, unknown>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === 'authorization');
  const value = key === undefined ? undefined : record[key];
  if (Array.isArray(value)) {
    if (value.length > 1) malformed('More than one Authorization header was sent.');
    return value[0];
  }
  return value;
}

const isOws = (code: number): boolean => code === 0x20 || code === 0x09;
const isControl = (code: number): boolean => code < 0x20 || code === 0x7f;

/**
 * Reads the token of an `Authorization: Bearer <token>` header (scheme case-insensitive), as RFC 7230
 * and 7235 spell it: only space and tab around the value are stripped, the scheme and the token are
 * separated by spaces, and the token has no space, tab or other control character in it.
 *
 * Errors: `ERR_AUTH_HEADER_MISSING` when there is no header or it is empty (or only spaces and tabs);
 * `ERR_AUTH_HEADER_MALFORMED` when the value is not a string, is longer than
 * {@link AUTHORIZATION_HEADER_MAX_LENGTH} characters (checked first), holds a control character
 * (CR, LF, NUL, a tab inside, ...), came more than once, the scheme is not the expected one, or the
 * token is missing or has spaces. The token never appears in the error.
 *
 * @example
 * ```ts
 * const didToken = parseAuthorizationHeader(req.headers); // 'WyIweGFh...'
 * ```
 */
export function parseAuthorizationHeader(source: AuthorizationSource, scheme = 'Bearer'): string {
  const raw = headerValue(source);
  if (raw !== undefined && typeof raw !== 'string') malformed('The Authorization header is not text.');
  if (raw !== undefined && raw.length > AUTHORIZATION_HEADER_MAX_LENGTH) {
    malformed(`The Authorization header is longer than ${AUTHORIZATION_HEADER_MAX_LENGTH} characters.`);
  }
  const text = raw ?? '';
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  if (start === end) {
    throw new InvalidCredentialError('ERR_AUTH_HEADER_MISSING', 'The request has no Authorization header.');
  }
  const value = text.slice(start, end);
  for (let i = 0; i < value.length; i++) {
    if (isControl(value.charCodeAt(i))) malformed('The Authorization header holds a control character.');
  }
  const space = value.indexOf(' ');
  const given = space === -1 ? value : value.slice(0, space);
  if (given.toLowerCase() !== scheme.toLowerCase()) {
    malformed(`The Authorization header does not use the ${scheme} scheme.`);
  }
  let tokenStart = space === -1 ? value.length : space;
  while (tokenStart < value.length && value.charCodeAt(tokenStart) === 0x20) tokenStart++;
  const token = value.slice(tokenStart);
  if (token === '' || token.includes(' ')) {
    malformed(`The Authorization header must be '${scheme} <token>' with one token and no spaces in it.`);
  }
  return token;
}
