/**
 * `createSessions`: the app's own session after a login, as a signed JWT.
 */
import {
  type AuthResult,
  bytesToBase64Url,
  ConfigurationError,
  InvalidArgumentError,
  isAuthBridgeError,
  type KeyValueStore,
  SessionError,
  StoreError,
  type WalletIdentity,
} from '@authbridge/core';
import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { createSessionCookie, type SessionCookie, type SessionCookieOptions } from './cookie.js';
import { assertKeys, type ResolvedKey, resolveKeys, type SessionKey } from './keys.js';

/** The part of an `AuthResult` a session keeps: who signed in, with which provider. Never the claims. */
export type SessionIdentity = Pick<AuthResult, 'provider' | 'subject' | 'username' | 'email' | 'wallet'>;

/** A live session, as {@link Sessions.read} returns it. */
export interface Session<Data = undefined> {
  /** The session id (`jti`): what {@link Sessions.revoke} puts on the revocation list. */
  id: string;
  provider: string;
  /** `AuthResult.subject`. The JWT's `sub` is `provider:subject`. */
  subject: string;
  username?: string;
  email?: string;
  wallet?: WalletIdentity;
  /** What the app's login hook returned for this identity (its own user id, roles...). */
  data: Data;
  issuedAt: Date;
  expiresAt: Date;
}

/** A signed session and its token. */
export interface IssuedSession<Data = undefined> {
  token: string;
  session: Session<Data>;
  /** Seconds until the session expires: the cookie's `Max-Age`. */
  maxAgeSeconds: number;
}

/** Options of {@link createSessions}. */
export interface SessionOptions {
  /** The JWT `iss`: your app (`https://app.example`). Checked on read. */
  issuer: string;
  /** The JWT `aud`: what the token is for (`app.example:session`). Checked on read. */
  audience: string;
  /**
   * The keys, newest first. The first that can sign (an HS256 secret, an EdDSA private key) signs new
   * sessions; every key verifies, by the token's `kid`. To rotate: put the new key first, keep the old
   * one after it for one session lifetime, then drop it.
   */
  keys: readonly SessionKey[];
  /** Session lifetime in seconds. Default 3600; at most 30 days. */
  ttlSeconds?: number;
  /** Accepted clock difference between instances, in seconds, for `exp` and `iat`. Default 5. */
  clockToleranceSeconds?: number;
  /**
   * The revocation list. With it, `revoke` and the logout route end a session before its `exp`, `read`
   * checks every session against it, and `refresh` revokes the session it replaces. Without it a
   * session lives until `exp` whatever happens (stateless), and `revoke` throws `ERR_CONFIG`.
   */
  revocations?: KeyValueStore;
  /** Key prefix in `revocations`. Default `authbridge:session-revoked:`. */
  revocationPrefix?: string;
  /** The session cookie (see {@link createSessionCookie}). */
  cookie?: SessionCookieOptions;
  /** The clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** What {@link createSessions} returns. `Data` is what the app keeps in each session. */
export interface Sessions<Data = undefined> {
  readonly ttlSeconds: number;
  readonly cookie: SessionCookie;
  /** Whether there is a revocation list, so that `revoke` (and a logout that ends the session early) works. */
  readonly revocable: boolean;
  /** Signs a session for `identity`, carrying `data`. `ERR_INVALID_ARGUMENT` for an identity that cannot be one. */
  issue(identity: SessionIdentity, data: Data): Promise<IssuedSession<Data>>;
  /**
   * The session of `token`. `ERR_SESSION_MISSING` (no token), `ERR_SESSION_INVALID` (forged, another
   * key, issuer, audience or algorithm, malformed), `ERR_SESSION_EXPIRED`, `ERR_SESSION_REVOKED`;
   * `ERR_STORE` when the revocation list cannot be read (fail closed).
   */
  read(token: string | null | undefined): Promise<Session<Data>>;
  /** A new session (new id, new `exp`) for a live one; the old one is revoked when there is a list. Errors of `read`. */
  refresh(token: string | null | undefined): Promise<IssuedSession<Data>>;
  /** Puts a session on the revocation list until it would have expired. `ERR_CONFIG` without a list; `ERR_STORE`. */
  revoke(session: Pick<Session<unknown>, 'id' | 'expiresAt'>): Promise<void>;
}

const MAX_TTL_SECONDS = 30 * 24 * 60 * 60;
/** Longer tokens are refused before any parsing. */
export const MAX_SESSION_TOKEN_LENGTH = 4096;
const PROFILE_CLAIMS = ['username', 'email'] as const;

/**
 * Sessions for an app's logins: a signed JWT with `iss`, `aud`, `exp`, `iat`, `jti` and
 * `sub = provider:subject`, signed with EdDSA or HS256 and read by `kid` (keys rotate), with refresh,
 * revocation and a cookie with safe defaults. Runtime-agnostic (Web Crypto through jose).
 *
 * Errors at construction: `ERR_CONFIG` for missing issuer or audience, bad keys (see
 * {@link SessionKey}), a `ttlSeconds` outside 1 s to 30 days, a bad cookie option. A key that fails to
 * import (a malformed JWK) rejects the first `issue` or `read` with `ERR_CONFIG`.
 *
 * @example
 * ```ts
 * const sessions = createSessions({
 *   issuer: 'https://app.example',
 *   audience: 'app.example:session',
 *   keys: [{ kid: '2026-12', alg: 'HS256', secret: process.env.SESSION_SECRET! }],
 *   revocations: createMemoryStore(),
 * });
 * const { token, maxAgeSeconds } = await sessions.issue(await auth.verify('pi', accessToken), undefined);
 * headers.append('set-cookie', sessions.cookie.serialize(token, maxAgeSeconds));
 * const session = await sessions.read(sessions.cookie.parse(request.headers.get('cookie')));
 * ```
 */
export function createSessions<Data = undefined>(options: SessionOptions): Sessions<Data> {
  const {
    issuer,
    audience,
    keys,
    ttlSeconds = 3600,
    clockToleranceSeconds = 5,
    revocations,
    revocationPrefix = 'authbridge:session-revoked:',
    now = Date.now,
  } = options ?? ({} as SessionOptions);
  for (const [name, value] of [
    ['issuer', issuer],
    ['audience', audience],
  ] as const) {
    if (typeof value !== 'string' || value === '') {
      throw new ConfigurationError(`createSessions: ${name} must be a non-empty string.`, {
        provider: 'session',
      });
    }
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new ConfigurationError(
      'createSessions: ttlSeconds must be a whole number from 1 to 2592000 (30 days).',
      {
        provider: 'session',
      },
    );
  }
  if (!Number.isFinite(clockToleranceSeconds) || clockToleranceSeconds < 0 || clockToleranceSeconds > 300) {
    throw new ConfigurationError('createSessions: clockToleranceSeconds must be from 0 to 300.', {
      provider: 'session',
    });
  }
  assertKeys(keys);
  const cookie = createSessionCookie(options.cookie);
  let resolved: Promise<ResolvedKey[]> | undefined;
  const keySet = () => {
    resolved ??= resolveKeys(keys);
    return resolved;
  };

  async function issue(identity: SessionIdentity, data: Data): Promise<IssuedSession<Data>> {
    assertIdentity(identity);
    const signer = (await keySet()).find((key) => key.sign) as ResolvedKey;
    const issuedAt = Math.floor(now() / 1000);
    const expiresAt = issuedAt + ttlSeconds;
    const id = randomId();
    const claims: Record<string, unknown> = {};
    if (identity.username !== undefined) claims.username = identity.username;
    if (identity.email !== undefined) claims.email = identity.email;
    if (identity.wallet !== undefined)
      claims.wallet = { chain: identity.wallet.chain, address: identity.wallet.address };
    if (data !== undefined) claims.data = data;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(`${identity.provider}:${identity.subject}`)
      .setJti(id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(signer.sign as CryptoKey | Uint8Array);
    if (token.length > MAX_SESSION_TOKEN_LENGTH) {
      throw new InvalidArgumentError(
        `The session would be longer than ${MAX_SESSION_TOKEN_LENGTH} characters: keep less in its data.`,
        { provider: 'session' },
      );
    }
    const session: Session<Data> = {
      id,
      provider: identity.provider,
      subject: identity.subject,
      ...(identity.username !== undefined ? { username: identity.username } : {}),
      ...(identity.email !== undefined ? { email: identity.email } : {}),
      ...(identity.wallet !== undefined ? { wallet: claims.wallet as WalletIdentity } : {}),
      data,
      issuedAt: new Date(issuedAt * 1000),
      expiresAt: new Date(expiresAt * 1000),
    };
    return { token, session, maxAgeSeconds: ttlSeconds };
  }

  async function read(token: string | null | undefined): Promise<Session<Data>> {
    if (token === undefined || token === null || token === '') {
      throw new SessionError('ERR_SESSION_MISSING', 'You are not signed in.', { provider: 'session' });
    }
    if (typeof token !== 'string' || token.length > MAX_SESSION_TOKEN_LENGTH) throw invalid();
    const keyList = await keySet();
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw invalid();
    }
    const key = keyList.find((candidate) => candidate.kid === kid);
    if (!key) throw invalid();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key.verify, {
        issuer,
        audience,
        algorithms: [key.alg],
        clockTolerance: clockToleranceSeconds,
        currentDate: new Date(now()),
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new SessionError('ERR_SESSION_EXPIRED', 'Your session has expired. Please sign in again.', {
          provider: 'session',
        });
      }
      throw invalid();
    }
    const session = sessionOf(payload);
    if (revocations) {
      let revoked: string | undefined;
      try {
        revoked = await revocations.get(revocationPrefix + session.id);
      } catch (error) {
        throw isAuthBridgeError(error)
          ? error
          : new StoreError('The session revocation list could not be read.', { provider: 'session' });
      }
      if (revoked !== undefined) {
        throw new SessionError('ERR_SESSION_REVOKED', 'You have signed out. Please sign in again.', {
          provider: 'session',
        });
      }
    }
    return session;
  }

  function sessionOf(payload: JWTPayload): Session<Data> {
    const { sub, jti, iat, exp } = payload;
    const colon = typeof sub === 'string' ? sub.indexOf(':') : -1;
    if (
      typeof sub !== 'string' ||
      colon < 1 ||
      typeof jti !== 'string' ||
      typeof iat !== 'number' ||
      typeof exp !== 'number'
    ) {
      throw invalid();
    }
    const session: Session<Data> = {
      id: jti,
      provider: sub.slice(0, colon),
      subject: sub.slice(colon + 1),
      data: payload.data as Data,
      issuedAt: new Date(iat * 1000),
      expiresAt: new Date(exp * 1000),
    };
    for (const name of PROFILE_CLAIMS) {
      const value = payload[name];
      if (value === undefined) continue;
      if (typeof value !== 'string') throw invalid();
      session[name] = value;
    }
    if (payload.wallet !== undefined) {
      const wallet = payload.wallet as Partial<WalletIdentity> | null;
      if (typeof wallet?.chain !== 'string' || typeof wallet.address !== 'string') throw invalid();
      session.wallet = { chain: wallet.chain, address: wallet.address };
    }
    return session;
  }

  async function revoke(session: Pick<Session<unknown>, 'id' | 'expiresAt'>): Promise<void> {
    if (!revocations) {
      throw new ConfigurationError('createSessions: revoke needs a revocations store.', {
        provider: 'session',
      });
    }
    // The record outlives the session by the clock tolerance, so no instance whose clock lags can accept it again.
    const ttlMs = Math.max(1000, session.expiresAt.getTime() - now() + (clockToleranceSeconds + 1) * 1000);
    try {
      await revocations.set(revocationPrefix + session.id, '1', ttlMs);
    } catch (error) {
      throw isAuthBridgeError(error)
        ? error
        : new StoreError('The session could not be put on the revocation list.', { provider: 'session' });
    }
  }

  return {
    ttlSeconds,
    cookie,
    revocable: revocations !== undefined,
    issue,
    read,
    async refresh(token) {
      const session = await read(token);
      const next = await issue(session, session.data);
      if (revocations) await revoke(session);
      return next;
    },
    revoke,
  };
}

function invalid(): SessionError {
  return new SessionError('ERR_SESSION_INVALID', 'Your session is not valid. Please sign in again.', {
    provider: 'session',
  });
}

function assertIdentity(identity: SessionIdentity): void {
  const { provider, subject } = identity ?? ({} as SessionIdentity);
  if (typeof provider !== 'string' || provider === '' || provider.includes(':')) {
    throw new InvalidArgumentError('A session needs a provider id without a colon.', { provider: 'session' });
  }
  if (typeof subject !== 'string' || subject === '') {
    throw new InvalidArgumentError('A session needs a non-empty subject.', { provider: 'session' });
  }
}

/** 128 random bits, base64url. */
function randomId(): string {
  return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}
