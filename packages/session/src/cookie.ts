/**
 * The session cookie: `HttpOnly`, `SameSite=Lax`, `Path=/`, `Secure` outside development, and the
 * `__Host-` prefix whenever it is `Secure` (browsers then refuse the cookie from a sibling subdomain or
 * over plain HTTP, so nobody else can plant a session).
 */
import { ConfigurationError } from '@authbridge/core';

/** Options of {@link createSessionCookie}. */
export interface SessionCookieOptions {
  /** The cookie name, before the `__Host-` prefix. Default `authbridge-session`. */
  name?: string;
  /**
   * The `Secure` attribute. Default: on unless `NODE_ENV` is `development`. Plain `http://127.0.0.1`
   * needs it off (browsers may drop a `Secure` cookie there); anything served over HTTPS needs it on.
   */
  secure?: boolean;
  /** `Lax` (default) or `Strict`. `None` is refused: it would send the session on cross-site posts. */
  sameSite?: 'Lax' | 'Strict';
}

/** The attributes of the session cookie, in the shape frameworks take (`res.cookie(name, value, attrs)`). */
export interface SessionCookieAttributes {
  httpOnly: true;
  secure: boolean;
  sameSite: 'lax' | 'strict';
  path: '/';
}

/** What {@link createSessionCookie} returns. */
export interface SessionCookie {
  /** The full name, `__Host-` prefix included when `Secure`. */
  readonly name: string;
  readonly attributes: SessionCookieAttributes;
  /** A `Set-Cookie` value that stores `token` for `maxAgeSeconds`. */
  serialize(token: string, maxAgeSeconds: number): string;
  /** A `Set-Cookie` value that deletes the cookie. */
  clear(): string;
  /** The session token in a `Cookie` header, or `undefined` when there is none (or it is not a token). */
  parse(cookieHeader: string | null | undefined): string | undefined;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
// A JWT is base64url parts joined by dots; anything else in the cookie is not a session of ours.
const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Longer `Cookie` headers are not read: browsers cap one cookie at 4096 bytes, and a header at ~8 KiB. */
export const MAX_COOKIE_HEADER_LENGTH = 16_384;
const MAX_TOKEN_LENGTH = 4096;

function developmentEnvironment(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NODE_ENV === 'development';
}

/**
 * The session cookie's name, attributes and (de)serialisation.
 *
 * Errors: `ERR_CONFIG` for a name outside `[A-Za-z0-9_-]{1,64}` or a `sameSite` other than `Lax` or
 * `Strict`.
 *
 * @example
 * ```ts
 * const cookie = createSessionCookie({ secure: process.env.NODE_ENV === 'production' });
 * response.headers.append('set-cookie', cookie.serialize(token, 3600));
 * const token = cookie.parse(request.headers.get('cookie'));
 * ```
 */
export function createSessionCookie(options: SessionCookieOptions = {}): SessionCookie {
  const base = options.name ?? 'authbridge-session';
  if (!NAME.test(base) || base.startsWith('__')) {
    throw new ConfigurationError('The session cookie name must be 1 to 64 characters [A-Za-z0-9_-].', {
      provider: 'session',
    });
  }
  const sameSite = options.sameSite ?? 'Lax';
  if (sameSite !== 'Lax' && sameSite !== 'Strict') {
    throw new ConfigurationError("The session cookie's sameSite must be 'Lax' or 'Strict'.", {
      provider: 'session',
    });
  }
  const secure = options.secure ?? !developmentEnvironment();
  // `__Host-` requires Secure, Path=/ and no Domain; without Secure the browser would refuse the cookie.
  const name = secure ? `__Host-${base}` : base;
  const attributes = `Path=/; HttpOnly; SameSite=${sameSite}${secure ? '; Secure' : ''}`;
  return {
    name,
    attributes: { httpOnly: true, secure, sameSite: sameSite === 'Lax' ? 'lax' : 'strict', path: '/' },
    serialize: (token, maxAgeSeconds) => {
      if (!TOKEN.test(token) || token.length > MAX_TOKEN_LENGTH) {
        throw new ConfigurationError('Only a session token fits the session cookie.', {
          provider: 'session',
        });
      }
      return `${name}=${token}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; ${attributes}`;
    },
    clear: () => `${name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; ${attributes}`,
    parse: (header) => {
      if (typeof header !== 'string' || header.length > MAX_COOKIE_HEADER_LENGTH) return undefined;
      for (const part of header.split(';')) {
        const eq = part.indexOf('=');
        if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
        const value = part.slice(eq + 1).trim();
        return value.length <= MAX_TOKEN_LENGTH && TOKEN.test(value) ? value : undefined;
      }
      return undefined;
    },
  };
}
