import { type AuthResult, createMemoryStore, isAuthBridgeError, type KeyValueStore } from '@authbridge/core';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSessionKey } from './keys.js';
import { createSessions, MAX_SESSION_TOKEN_LENGTH, type SessionOptions } from './sessions.js';

const SECRET = 'a-session-secret-of-at-least-32-bytes!';
const HS = { kid: 'hs-1', alg: 'HS256', secret: SECRET } as const;
const identity: AuthResult<'magic', null> = {
  provider: 'magic',
  subject: 'did:ethr:0xAbC',
  email: 'a@example.com',
  wallet: { chain: 'ethereum', address: '0xAbC' },
  claims: null,
};
const base = { issuer: 'https://app.example', audience: 'app.example:session' };

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

function clock(start = Date.UTC(2026, 11, 4, 12)) {
  const time = { ms: start };
  return { time, now: () => time.ms };
}

const make = <Data = undefined>(extra: Partial<SessionOptions> = {}) =>
  createSessions<Data>({ ...base, keys: [HS], ...extra });

describe('createSessions: issue and read', () => {
  it('signs a JWT with iss, aud, exp, iat, jti, kid and sub = provider:subject, and reads it back', async () => {
    const sessions = make<{ userId: number }>();
    const { token, session, maxAgeSeconds } = await sessions.issue(identity, { userId: 7 });
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    expect(header).toEqual({ alg: 'HS256', kid: 'hs-1', typ: 'JWT' });
    expect(payload).toMatchObject({
      iss: base.issuer,
      aud: base.audience,
      sub: 'magic:did:ethr:0xAbC',
      jti: session.id,
      data: { userId: 7 },
    });
    expect(payload.exp - payload.iat).toBe(3600);
    expect(maxAgeSeconds).toBe(3600);
    expect(payload.claims).toBeUndefined();
    const read = await sessions.read(token);
    expect(read).toEqual(session);
    expect(read).toMatchObject({ provider: 'magic', subject: 'did:ethr:0xAbC', data: { userId: 7 } });
  });

  it('signs and verifies with an EdDSA key pair, and reads with the public key alone', async () => {
    const key = await generateSessionKey({ kid: 'ed-1', alg: 'EdDSA' });
    const signer = make({ keys: [key] });
    const { token } = await signer.issue(identity, undefined);
    expect(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).alg).toBe('EdDSA');
    const reader = make({ keys: [{ kid: 'ed-1', alg: 'EdDSA', publicKey: key.publicKey }, HS] });
    expect((await reader.read(token)).subject).toBe(identity.subject);
  });

  it('rotates keys: the first key signs, older keys still verify, a dropped key no longer does', async () => {
    const oldKey = { kid: 'old', alg: 'HS256', secret: 'o'.repeat(32) } as const;
    const newKey = await generateSessionKey({ kid: 'new', alg: 'HS256' });
    const { token: oldToken } = await make({ keys: [oldKey] }).issue(identity, undefined);
    const rotated = make({ keys: [newKey, oldKey] });
    expect((await rotated.read(oldToken)).subject).toBe(identity.subject);
    const { token: newToken } = await rotated.issue(identity, undefined);
    expect(JSON.parse(Buffer.from(newToken.split('.')[0] as string, 'base64url').toString()).kid).toBe('new');
    const dropped = make({ keys: [newKey] });
    expect(isAuthBridgeError(await errorOf(dropped.read(oldToken)), 'ERR_SESSION_INVALID')).toBe(true);
    expect((await dropped.read(newToken)).subject).toBe(identity.subject);
  });

  it('refuses tokens of another issuer, audience, key, algorithm, or a tampered payload with ERR_SESSION_INVALID', async () => {
    const sessions = make();
    const { token } = await sessions.issue(identity, undefined);
    const [h, p, s] = token.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'magic:did:ethr:0xEvil' }),
    ).toString('base64url');
    const secret = new TextEncoder().encode(SECRET);
    const signed = (
      claims: Record<string, unknown>,
      header: Record<string, unknown> = { alg: 'HS256', kid: 'hs-1' },
    ) =>
      new SignJWT(claims)
        .setProtectedHeader(header as { alg: string })
        .setSubject('magic:x')
        .setJti('j')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(secret);
    const refused = [
      `${h}.${forgedPayload}.${s}`,
      await signed({ iss: 'https://evil.example', aud: base.audience }),
      await signed({ iss: base.issuer, aud: 'other' }),
      await signed({ iss: base.issuer, aud: base.audience }, { alg: 'HS256', kid: 'unknown' }),
      await signed({ iss: base.issuer, aud: base.audience }, { alg: 'HS256' }),
      await signed({ iss: base.issuer, aud: base.audience }, { alg: 'HS512', kid: 'hs-1' }),
      `${Buffer.from('{"alg":"none","kid":"hs-1"}').toString('base64url')}.${p}.`,
      'not-a-jwt',
      'a'.repeat(MAX_SESSION_TOKEN_LENGTH + 1),
    ];
    for (const candidate of refused) {
      const error = await errorOf(sessions.read(candidate));
      expect(isAuthBridgeError(error, 'ERR_SESSION_INVALID'), candidate.slice(0, 40)).toBe(true);
    }
    // The same construction with the right claims is accepted, so the refusals above are about the claims.
    const accepted = await signed({ iss: base.issuer, aud: base.audience });
    expect((await sessions.read(accepted)).provider).toBe('magic');
  });

  it('answers a missing token with ERR_SESSION_MISSING', async () => {
    for (const token of [undefined, null, '']) {
      expect(isAuthBridgeError(await errorOf(make().read(token)), 'ERR_SESSION_MISSING')).toBe(true);
    }
  });

  it('refuses an expired session with ERR_SESSION_EXPIRED, past the clock tolerance only', async () => {
    const { time, now } = clock();
    const sessions = make({ now, ttlSeconds: 60, clockToleranceSeconds: 5 });
    const { token } = await sessions.issue(identity, undefined);
    time.ms += 64_000;
    expect((await sessions.read(token)).subject).toBe(identity.subject);
    time.ms += 2_000;
    expect(isAuthBridgeError(await errorOf(sessions.read(token)), 'ERR_SESSION_EXPIRED')).toBe(true);
    expect(isAuthBridgeError(await errorOf(sessions.refresh(token)), 'ERR_SESSION_EXPIRED')).toBe(true);
  });

  it('only ever throws AuthBridgeErrors for arbitrary tokens', async () => {
    const sessions = make();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_.-]{0,200}$/)), async (token) => {
        const error = await errorOf(sessions.read(token));
        expect(isAuthBridgeError(error)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('createSessions: refresh and revoke', () => {
  it('revokes a session: read answers ERR_SESSION_REVOKED until it would have expired', async () => {
    const { time, now } = clock();
    const store = createMemoryStore({ now });
    const sessions = make({ now, revocations: store, ttlSeconds: 60 });
    expect(sessions.revocable).toBe(true);
    expect(make().revocable).toBe(false);
    const { token, session } = await sessions.issue(identity, undefined);
    const { token: other } = await sessions.issue(identity, undefined);
    await sessions.revoke(session);
    expect(isAuthBridgeError(await errorOf(sessions.read(token)), 'ERR_SESSION_REVOKED')).toBe(true);
    expect((await sessions.read(other)).subject).toBe(identity.subject);
    // The record outlives exp by the clock tolerance, then goes: the session is expired by then anyway.
    time.ms += 65_000;
    expect(await store.get(`authbridge:session-revoked:${session.id}`)).toBe('1');
    time.ms += 2_000;
    expect(await store.get(`authbridge:session-revoked:${session.id}`)).toBeUndefined();
  });

  it('refresh issues a new session with the same identity and data, and revokes the old one', async () => {
    const { time, now } = clock();
    const sessions = make<{ role: string }>({ now, revocations: createMemoryStore({ now }) });
    const first = await sessions.issue(identity, { role: 'admin' });
    time.ms += 10_000;
    const second = await sessions.refresh(first.token);
    expect(second.session.id).not.toBe(first.session.id);
    expect(second.session.expiresAt.getTime() - first.session.expiresAt.getTime()).toBe(10_000);
    expect(await sessions.read(second.token)).toMatchObject({
      subject: identity.subject,
      data: { role: 'admin' },
    });
    expect(isAuthBridgeError(await errorOf(sessions.read(first.token)), 'ERR_SESSION_REVOKED')).toBe(true);
    expect(isAuthBridgeError(await errorOf(sessions.refresh(first.token)), 'ERR_SESSION_REVOKED')).toBe(true);
  });

  it('fails closed with ERR_STORE when the revocation list cannot be read, without the store’s message', async () => {
    const broken: KeyValueStore = {
      ...createMemoryStore(),
      get: async () => {
        throw new Error('redis://user:hunter2@db down');
      },
    };
    const sessions = make({ revocations: broken });
    const { token } = await sessions.issue(identity, undefined);
    const error = await errorOf(sessions.read(token));
    expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('revoke without a revocation list is a configuration error', async () => {
    const sessions = make();
    const { session } = await sessions.issue(identity, undefined);
    expect(isAuthBridgeError(await errorOf(sessions.revoke(session)), 'ERR_CONFIG')).toBe(true);
  });
});

describe('createSessions: configuration', () => {
  it.each([
    ['no keys', { keys: [] }],
    ['a short secret', { keys: [{ kid: 'k', alg: 'HS256', secret: 'short' }] }],
    ['duplicate kids', { keys: [HS, HS] }],
    ['a bad kid', { keys: [{ ...HS, kid: 'has space' }] }],
    ['an unknown alg', { keys: [{ kid: 'k', alg: 'RS256', secret: SECRET }] }],
    ['no issuer', { issuer: '' }],
    ['a zero ttl', { ttlSeconds: 0 }],
    ['a ttl over 30 days', { ttlSeconds: 31 * 86_400 }],
  ])('refuses %s with ERR_CONFIG', (_name, extra) => {
    expect(() => make(extra as Partial<SessionOptions>)).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }),
    );
  });

  it('refuses a key list that cannot sign, and a malformed JWK, on first use with ERR_CONFIG', async () => {
    const key = await generateSessionKey({ kid: 'ed', alg: 'EdDSA' });
    const readOnly = make({ keys: [{ kid: 'ed', alg: 'EdDSA', publicKey: key.publicKey }] });
    expect(isAuthBridgeError(await errorOf(readOnly.issue(identity, undefined)), 'ERR_CONFIG')).toBe(true);
    const broken = make({
      keys: [{ kid: 'ed', alg: 'EdDSA', publicKey: { kty: 'OKP', crv: 'Ed25519', x: '!' } }],
    });
    expect(isAuthBridgeError(await errorOf(broken.read('a.b.c')), 'ERR_CONFIG')).toBe(true);
  });

  it('refuses an identity whose provider id holds a colon (sub would be ambiguous)', async () => {
    const error = await errorOf(make().issue({ provider: 'a:b', subject: 'x' }, undefined));
    expect(isAuthBridgeError(error, 'ERR_INVALID_ARGUMENT')).toBe(true);
  });
});
