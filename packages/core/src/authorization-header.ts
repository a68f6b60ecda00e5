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

function headerValue(source: AuthorizationSource): string | undefined {
  if (source === null || source === undefined) return undefined;
  if (typeof source === 'string') return source;
  if (source instanceof Headers) return source.get('authorization') ?? undefined;
  if (typeof Request !== 'undefined' && source instanceof Request) {
    return source.headers.get('authorization') ?? undefined;
  }
  const bag = 'headers' in source && typeof source.headers === 'object' ? source.headers : source;
  if (bag instanceof Headers) return bag.get('authorization') ?? undefined;
  const record = bag as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === 'authorization');
  const value = key === undefined ? undefined : record[key];
  if (Array.isArray(value)) {
    if (value.length > 1) {
      throw new InvalidCredentialError(
        'ERR_AUTH_HEADER_MALFORMED',
        'More than one Authorization header was sent.',
      );
    }
    return value[0];
  }
  return value;
}

/**
 * Reads the token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
 *
 * Errors: `ERR_AUTH_HEADER_MISSING` when there is no header or it is empty; `ERR_AUTH_HEADER_MALFORMED`
 * when the scheme is not the expected one or the token is missing or has spaces. The token never appears
 * in the error.
 *
 * @example
 * ```ts
 * const didToken = parseAuthorizationHeader(req.headers); // 'WyIweGFh...'
 * ```
 */
export function parseAuthorizationHeader(source: AuthorizationSource, scheme = 'Bearer'): string {
  const value = headerValue(source)?.trim();
  if (!value) {
    throw new InvalidCredentialError('ERR_AUTH_HEADER_MISSING', 'The request has no Authorization header.');
  }
  const space = value.indexOf(' ');
  const given = space === -1 ? value : value.slice(0, space);
  if (given.toLowerCase() !== scheme.toLowerCase()) {
    throw new InvalidCredentialError(
      'ERR_AUTH_HEADER_MALFORMED',
      `The Authorization header does not use the ${scheme} scheme.`,
    );
  }
  const token = space === -1 ? '' : value.slice(space + 1).trim();
  if (token === '' || /\s/.test(token)) {
    throw new InvalidCredentialError(
      'ERR_AUTH_HEADER_MALFORMED',
      `The Authorization header must be '${scheme} <token>' with one token and no spaces in it.`,
    );
  }
  return token;
}
