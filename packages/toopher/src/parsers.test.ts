/**
 * Every Toopher function that takes a caller's or a page's string is capped and total: only
 * AuthBridgeErrors escape (a lone surrogate used to escape as a URIError), and accepted input
 * round-trips.
 */
import { inspect } from 'node:util';
import { isAuthBridgeError } from '@authbridge/core';
import { rejectionOf as errorOf } from '@authbridge/test-utils';
import fc from 'fast-check';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createToopherApi, isPairingId, PAIRING_ID_MAX_LENGTH } from './api.js';
import { formDecode, formEncode, TOOPHER_TEXT_MAX_LENGTH } from './form.js';
import { POSTBACK_MAX_LENGTH, postbackSignature, toopherIframe } from './iframe.js';
import { P1, P1_SIG } from './postback-p1.fixture.js';

/** Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit makes only whole code points). */
const UTF16 = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const credentials = { consumerKey: 'abcdefg', consumerSecret: 'hijklmnop' };
const BASE = 'https://api.toopher.test/v1';
const iframe = () =>
  toopherIframe({ ...credentials, baseUrl: BASE, now: () => 1000 * 1000, nonce: () => '12345678' });
const api = () => createToopherApi({ ...credentials, baseUrl: BASE, retry: false });
const signed = (pairs: [string, string][]) => formEncode([...pairs, ['toopher_sig', P1_SIG]]);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('lone surrogates and long input are typed errors', () => {
  it('processPostback refuses a lone surrogate in the postback with ERR_CREDENTIAL_MALFORMED', () => {
    for (const data of [`${signed(P1)}&x=\uD800`, { toopher_iframe_data: `reason=\uDC00&${signed(P1)}` }]) {
      const error = thrown(() => iframe().processPostback(data, { requestToken: 's9s7vsb' }));
      expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), String(error)).toBe(true);
      expect(iframe().isAuthenticationGranted(data, { requestToken: 's9s7vsb' })).toBe(false);
    }
  });

  it(`processPostback refuses a postback longer than POSTBACK_MAX_LENGTH (${POSTBACK_MAX_LENGTH}) before decoding it`, () => {
    const data = `${signed(P1)}&pad=${'a'.repeat(POSTBACK_MAX_LENGTH)}`;
    const error = thrown(() => iframe().processPostback(data, { requestToken: 's9s7vsb' }));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), String(error)).toBe(true);
  });

  it('the iframe URL builders refuse a lone surrogate or over-long value with ERR_INVALID_ARGUMENT', () => {
    const cases = [
      () => iframe().getAuthenticationUrl('jdoe\uD800'),
      () => iframe().getAuthenticationUrl('jdoe', { requesterMetadata: '\uDFFF' }),
      () => iframe().getUserManagementUrl('jdoe', { resetEmail: 'a\uD800@b' }),
      () => iframe().getAuthenticationUrl('jdoe', { extras: { x: 'y\uD800' } }),
      () => iframe().getAuthenticationUrl('j'.repeat(TOOPHER_TEXT_MAX_LENGTH + 1)),
    ];
    for (const build of cases) {
      const error = thrown(build);
      expect(isAuthBridgeError(error, 'ERR_INVALID_ARGUMENT'), String(error)).toBe(true);
    }
  });

  it('API calls reject a lone surrogate in an id or a parameter with ERR_INVALID_ARGUMENT, before any request', async () => {
    const client = api();
    for (const rejection of [
      errorOf(client.advanced.users.getById('\uD800')),
      errorOf(client.advanced.pairings.getById('..')),
      errorOf(client.authenticate('jdoe\uDC00')),
      errorOf(client.pair('jdoe\uD800', 'phrase')),
      errorOf(client.advanced.users.getByName('x'.repeat(TOOPHER_TEXT_MAX_LENGTH + 1))),
    ]) {
      const error = await rejection;
      expect(isAuthBridgeError(error, 'ERR_INVALID_ARGUMENT'), String(error)).toBe(true);
    }
  });

  it('isPairingId is capped and strips braces in linear time (no backtracking regex)', () => {
    const uuid = '1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c';
    expect(isPairingId(`{{${uuid}}`)).toBe(true);
    expect(isPairingId(`{}{${uuid}}{}`)).toBe(true);
    expect(isPairingId(`${'{'.repeat(PAIRING_ID_MAX_LENGTH)}${uuid}`)).toBe(false);
    expect(isPairingId(`{${uuid}x}`)).toBe(false);
  });

  it('consumer key and secret are checked at construction: ERR_CONFIG without the value', () => {
    for (const bad of [
      { consumerKey: 'abcdefg\n', consumerSecret: 'hijklmnop' },
      { consumerKey: 'abcdefg', consumerSecret: 'hijklmnop\r\n' },
      { consumerKey: 'abcdefg', consumerSecret: 'hijkl\u0000mnop' },
    ]) {
      for (const build of [() => toopherIframe(bad), () => createToopherApi(bad)]) {
        const error = thrown(build);
        expect(isAuthBridgeError(error, 'ERR_CONFIG'), String(error)).toBe(true);
        expect(inspect(error, { depth: 10 })).not.toContain('hijkl');
      }
    }
  });
});

describe('property: the postback check and form codec are total', () => {
  it('any postback text or object throws nothing but an AuthBridgeError', () => {
    const helper = iframe();
    const text = fc.oneof(
      fc.string({ unit: UTF16, maxLength: 120 }),
      fc
        .array(
          fc.tuple(fc.string({ unit: UTF16, maxLength: 12 }), fc.string({ unit: UTF16, maxLength: 12 })),
          { maxLength: 6 },
        )
        .map((pairs) => `${signed(P1)}&${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          text.map((t) => ({ toopher_iframe_data: t })),
          fc.anything(),
        ),
        (data) => {
          const error = thrown(() => helper.processPostback(data as never, { requestToken: 's9s7vsb' }));
          if (error !== undefined) expect(isAuthBridgeError(error), String(error)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('well-formed pairs round-trip through formEncode and formDecode, and sign the same', () => {
    const wellFormed = fc.string({ unit: 'grapheme', maxLength: 16 });
    fc.assert(
      fc.property(fc.array(fc.tuple(wellFormed, wellFormed), { maxLength: 8 }), (pairs) => {
        const decoded = formDecode(formEncode(pairs));
        expect(decoded).toEqual(pairs);
        expect(postbackSignature(new Map(decoded), 'secret')).toBe(
          postbackSignature(new Map(formDecode(formEncode(decoded))), 'secret'),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('isPairingId: any string gives a boolean; a UUID in any accepted wrapping is a pairing id', () => {
    fc.assert(
      fc.property(fc.string({ unit: UTF16, maxLength: 80 }), (value) => {
        expect(typeof isPairingId(value)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.constantFrom('', 'urn:', 'uuid:', 'urn:uuid:'),
        fc.nat(3),
        fc.nat(3),
        (uuid, prefix, open, close) => {
          expect(isPairingId(`${prefix}${'{'.repeat(open)}${uuid}${'}'.repeat(close)}`)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any id or username given to the API is refused locally or sent, never an untyped error', async () => {
    const client = api();
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: UTF16, maxLength: 30 }), async (value) => {
        for (const call of [client.advanced.users.getById(value), client.authenticate(value)]) {
          const error = await errorOf(call);
          expect(isAuthBridgeError(error), String(error)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
