import type { WalletIdentity } from '@authbridge/core';
import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from './http-errors.js';

/** What the example keeps about a signed-in user: the provider's subject and public profile, never a credential. */
export interface SessionUser {
  provider: string;
  subject: string;
  username?: string;
  email?: string;
  wallet?: WalletIdentity;
}

/** Options of {@link createSessions}. */
export interface SessionOptions {
  /**
   * The HS256 key, at least 32 bytes. Without one, a random key is drawn per process, so sessions end when
   * the server restarts; several server processes behind one load balancer need a shared key.
   */
  secret?: Uint8Array;
  /** Session lifetime in seconds. Default one hour. */
  ttlSeconds?: number;
  /**
   * Sets the cookies' `Secure` flag, which anything served over HTTPS needs. Default: on when
   * `NODE_ENV` is `production`. Off for plain `http://127.0.0.1` (the demo), where browsers may drop a
   * `Secure` cookie.
   */
  secure?: boolean;
}

export const SESSION_COOKIE = 'authbridge_session';
/** Remembers which challenge this browser started, so that nobody else can finish it. */
export const CHALLENGE_COOKIE = 'authbridge_challenge';
/** A random id of this browser, for providers that remember devices (Toopher terminals). */
export const BROWSER_COOKIE = 'authbridge_browser';
const BROWSER_TTL_SECONDS = 365 * 24 * 60 * 60;
const ISSUER = 'authbridge-example';
// Distinct audiences keep a challenge token from being accepted as a session, and the reverse.
const SESSION_AUDIENCE = 'authbridge-example:session';
const CHALLENGE_AUDIENCE = 'authbridge-example:challenge';
const CHALLENGE_TTL_SECONDS = 600;

/** A challenge this browser started: the provider and the challenge id. */
export interface StartedChallenge {
  provider: string;
  id: string;
}

/** Signed session tokens and the cookie attributes they travel with. */
export interface Sessions {
  issue(user: SessionUser): Promise<string>;
  /** The user of a session token; throws `ERR_SESSION_MISSING` or `ERR_SESSION_INVALID` (both 401). */
  read(token: string | undefined): Promise<SessionUser>;
  /** A short-lived token naming a challenge this browser started, for {@link CHALLENGE_COOKIE}. */
  issueChallenge(challenge: StartedChallenge): Promise<string>;
  /** The challenge of a challenge token, or `undefined` when it is missing, expired or forged. */
  readChallenge(token: string | undefined): Promise<StartedChallenge | undefined>;
  readonly challengeCookie: {
    httpOnly: true;
    sameSite: 'lax';
    secure: boolean;
    path: '/auth';
    maxAge: number;
  };
  readonly cookie: {
    httpOnly: true;
    sameSite: 'lax';
    secure: boolean;
    path: '/';
    maxAge: number;
  };
  readonly browserCookie: {
    httpOnly: true;
    sameSite: 'lax';
    secure: boolean;
    path: '/auth';
    maxAge: number;
  };
}

/**
 * The example's own session, issued after a provider verifies: a JWT in an httpOnly, SameSite=Lax cookie, so
 * page scripts cannot read it and cross-site form posts do not carry it.
 */
export function createSessions(options: SessionOptions = {}): Sessions {
  const secret = options.secret ?? crypto.getRandomValues(new Uint8Array(32));
  if (secret.byteLength < 32) {
    throw new Error('The session secret must be at least 32 bytes.');
  }
  const ttlSeconds = options.ttlSeconds ?? 3600;
  const secure = options.secure ?? process.env.NODE_ENV === 'production';
  return {
    async issue(user) {
      const { subject, ...profile } = user;
      return new SignJWT({ ...profile })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(subject)
        .setIssuer(ISSUER)
        .setAudience(SESSION_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(secret);
    },
    async read(token) {
      if (!token) throw new AppError('ERR_SESSION_MISSING', 401, 'You are not signed in.');
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: ISSUER,
          audience: SESSION_AUDIENCE,
          algorithms: ['HS256'],
        });
        const { provider, username, email, wallet } = payload as Record<string, unknown>;
        if (typeof payload.sub !== 'string' || typeof provider !== 'string')
          throw new Error('session claims');
        return {
          provider,
          subject: payload.sub,
          ...(typeof username === 'string' ? { username } : {}),
          ...(typeof email === 'string' ? { email } : {}),
          ...(isWallet(wallet) ? { wallet } : {}),
        };
      } catch (error) {
        const message =
          error instanceof errors.JWTExpired
            ? 'Your session has expired. Please sign in again.'
            : 'Your session is not valid. Please sign in again.';
        throw new AppError('ERR_SESSION_INVALID', 401, message);
      }
    },
    issueChallenge({ provider, id }) {
      return new SignJWT({ provider, challenge: id })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(CHALLENGE_AUDIENCE)
        .setExpirationTime(`${CHALLENGE_TTL_SECONDS}s`)
        .sign(secret);
    },
    async readChallenge(token) {
      if (!token) return undefined;
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: ISSUER,
          audience: CHALLENGE_AUDIENCE,
          algorithms: ['HS256'],
        });
        const { provider, challenge } = payload as Record<string, unknown>;
        return typeof provider === 'string' && typeof challenge === 'string'
          ? { provider, id: challenge }
          : undefined;
      } catch {
        return undefined;
      }
    },
    challengeCookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/auth',
      maxAge: CHALLENGE_TTL_SECONDS * 1000,
    },
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: ttlSeconds * 1000,
    },
    browserCookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/auth',
      maxAge: BROWSER_TTL_SECONDS * 1000,
    },
  };
}

function isWallet(value: unknown): value is WalletIdentity {
  const wallet = value as WalletIdentity | undefined;
  return typeof wallet?.chain === 'string' && typeof wallet.address === 'string';
}
