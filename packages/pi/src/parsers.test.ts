/**
 * What Pi reads from a caller or from Pi is capped and total, and its secrets stay hidden.
 */
import { inspect } from 'node:util';
import { isAuthBridgeError, StoreError } from '@authbridge/core';
import { rejectionOf as failure } from '@authbridge/test-utils';
import fc from 'fast-check';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pi } from './pi.js';
import { PI_TEXT_MAX_LENGTH } from './wire.js';

/** Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit makes only whole code points). */
const UTF16 = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const BASE = 'https://api.minepi.test';
const API_KEY = 'pi_server_key_parsers_0123456789';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const me = (patch: Record<string, unknown> = {}) => ({
  uid: 'c5b5d3c6-9f3b-4b0e-9d5e-0a1b2c3d4e5f',
  username: 'alice',
  credentials: {
    scopes: ['username'],
    valid_until: { timestamp: NOW / 1000 + 3600, iso8601: new Date(NOW + 3_600_000).toISOString() },
  },
  ...patch,
});
const client = () => pi({ apiKey: API_KEY, baseUrl: BASE, retry: false, now: () => NOW });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Pi parsers', () => {
  it('an over-long uid or username from Pi is ERR_UNEXPECTED_RESPONSE, not a subject', async () => {
    for (const patch of [
      { uid: 'u'.repeat(PI_TEXT_MAX_LENGTH + 1) },
      { username: 'n'.repeat(PI_TEXT_MAX_LENGTH + 1) },
    ]) {
      nock(BASE).get('/v2/me').reply(200, me(patch));
      const error = await failure(client().verify('pioneer-token-0123456789'));
      expect(isAuthBridgeError(error, 'ERR_UNEXPECTED_RESPONSE'), String(error)).toBe(true);
    }
  });

  it('property: any access token is refused locally or verified, never an untyped error', async () => {
    const provider = client();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: UTF16, maxLength: 60 }), fc.anything()), async (token) => {
        nock(BASE).get('/v2/me').reply(200, me());
        try {
          const result = await provider.verify(token as string);
          expect(result.subject).toBe(me().uid);
        } catch (error) {
          expect(isAuthBridgeError(error), String(error)).toBe(true);
        }
        nock.cleanAll();
      }),
      { numRuns: 100 },
    );
  });

  it('the apiKey is checked at construction and hidden from every later error', () => {
    for (const apiKey of [`${API_KEY}\n`, `${API_KEY}\u0000`, `Key ${API_KEY}`, 'x'.repeat(5000)]) {
      let error: unknown;
      try {
        pi({ apiKey });
      } catch (e) {
        error = e;
      }
      expect(isAuthBridgeError(error, 'ERR_CONFIG'), String(error)).toBe(true);
      expect(inspect(error, { depth: 10 })).not.toContain(API_KEY);
    }
    client();
    const error = new StoreError('down', { cause: new Error(`refused key ${API_KEY}`) });
    expect(inspect(error, { depth: 10 })).not.toContain(API_KEY);
  });
});
