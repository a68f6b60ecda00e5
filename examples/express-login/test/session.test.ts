import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSessions } from '../src/session.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('session cookie attributes', () => {
  it('marks every cookie Secure by default when NODE_ENV is production', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const sessions = createSessions();
    expect([sessions.cookie.secure, sessions.challengeCookie.secure, sessions.browserCookie.secure]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('leaves Secure off by default outside production, for http://127.0.0.1', () => {
    vi.stubEnv('NODE_ENV', 'development');
    expect(createSessions().cookie.secure).toBe(false);
  });

  it('follows an explicit setting either way', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(createSessions({ secure: false }).cookie.secure).toBe(false);
    vi.stubEnv('NODE_ENV', 'development');
    expect(createSessions({ secure: true }).browserCookie.secure).toBe(true);
  });
});
