import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSessionCookie, MAX_COOKIE_HEADER_LENGTH } from './cookie.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createSessionCookie', () => {
  it('defaults to HttpOnly, Secure, SameSite=Lax, Path=/ and the __Host- prefix', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const cookie = createSessionCookie();
    expect(cookie.name).toBe('__Host-authbridge-session');
    expect(cookie.serialize(TOKEN, 3600)).toBe(
      `__Host-authbridge-session=${TOKEN}; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax; Secure`,
    );
    expect(cookie.attributes).toEqual({ httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
    expect(cookie.clear()).toMatch(
      /^__Host-authbridge-session=; Max-Age=0; Expires=Thu, 01 Jan 1970 .*; Secure$/,
    );
  });

  it('drops Secure, and so the __Host- prefix, in development or when told', () => {
    vi.stubEnv('NODE_ENV', 'development');
    expect(createSessionCookie().name).toBe('authbridge-session');
    vi.stubEnv('NODE_ENV', 'production');
    const plain = createSessionCookie({ secure: false, name: 'sid', sameSite: 'Strict' });
    expect(plain.serialize(TOKEN, 60)).toBe(`sid=${TOKEN}; Max-Age=60; Path=/; HttpOnly; SameSite=Strict`);
  });

  it('refuses SameSite=None, a prefixed or malformed name, with ERR_CONFIG', () => {
    for (const options of [{ sameSite: 'None' }, { name: '__Host-x' }, { name: 'a;b' }, { name: '' }]) {
      expect(() => createSessionCookie(options as never)).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }),
      );
    }
  });

  it('parses its own cookie out of a Cookie header, and nothing that is not a token', () => {
    const cookie = createSessionCookie({ secure: true });
    expect(cookie.parse(`a=1; __Host-authbridge-session=${TOKEN}; b=2`)).toBe(TOKEN);
    expect(cookie.parse(`authbridge-session=${TOKEN}`)).toBeUndefined();
    expect(cookie.parse('__Host-authbridge-session=<script>')).toBeUndefined();
    expect(cookie.parse(undefined)).toBeUndefined();
    expect(
      cookie.parse(`__Host-authbridge-session=${TOKEN}; ${'x'.repeat(MAX_COOKIE_HEADER_LENGTH)}`),
    ).toBeUndefined();
    expect(() => cookie.serialize('a;b', 60)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });

  it('never throws on an arbitrary Cookie header, and round-trips what it serialised', () => {
    const cookie = createSessionCookie({ secure: true });
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        const parsed = cookie.parse(header);
        expect(parsed === undefined || /^[\w-]+\.[\w-]+\.[\w-]+$/.test(parsed)).toBe(true);
      }),
      { numRuns: 300 },
    );
    const serialised = cookie.serialize(TOKEN, 10).split(';')[0] as string;
    expect(cookie.parse(serialised)).toBe(TOKEN);
  });
});
