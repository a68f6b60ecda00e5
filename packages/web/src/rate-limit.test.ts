import { describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimitEvent } from './rate-limit.js';

const event = (clientAddress: string, route: RateLimitEvent['route'] = 'verify'): RateLimitEvent => ({
  route,
  provider: 'toopher',
  clientAddress,
  request: new Request('http://127.0.0.1/'),
});

describe('createRateLimiter', () => {
  it('allows `limit` requests per route, provider and client in a window, then refuses with the wait', () => {
    const time = { ms: 0 };
    const limiter = createRateLimiter({ limit: 2, windowMs: 10_000, now: () => time.ms });
    expect(limiter(event('a'))).toEqual({ limited: false });
    expect(limiter(event('a'))).toEqual({ limited: false });
    time.ms = 4_000;
    expect(limiter(event('a'))).toEqual({ limited: true, retryAfterSeconds: 6 });
    expect(limiter(event('b'))).toEqual({ limited: false });
    expect(limiter(event('a', 'challenge'))).toEqual({ limited: false });
    time.ms = 10_000;
    expect(limiter(event('a'))).toEqual({ limited: false });
  });

  it('keeps at most maxKeys windows, dropping the oldest', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2, now: () => 0 });
    limiter(event('a'));
    limiter(event('b'));
    limiter(event('c'));
    // 'a' was dropped, so it starts a fresh window; 'c' is still counted.
    expect(limiter(event('a'))).toEqual({ limited: false });
    expect(limiter(event('c'))).toMatchObject({ limited: true });
  });
});
