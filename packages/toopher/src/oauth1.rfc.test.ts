import { createHmac } from 'node:crypto';
import { isAuthBridgeError } from '@authbridge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formEncode } from './form.js';
import { postbackSignature, toopherIframe } from './iframe.js';
import { createOAuth1Signer } from './oauth1.js';

const KEY = 'key';
const SECRET = 'secret';
const signer = createOAuth1Signer({
  consumerKey: KEY,
  consumerSecret: SECRET,
  now: () => 0,
  nonce: () => 'n',
});

/** RFC 3986 unreserved-only percent-encoding (RFC 5849 §3.6). */
const pct = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The signature a server computes (RFC 5849 §3.4.1): base string URI from the parsed URL (lower-case
 * scheme and host, default port dropped), parameters encoded then sorted, key `secret&`.
 */
function serverSignature(method: string, url: string, params: [string, string][]): string {
  const u = new URL(url);
  const all: [string, string][] = [
    ...params,
    ['oauth_consumer_key', KEY],
    ['oauth_nonce', 'n'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '0'],
    ['oauth_version', '1.0'],
  ];
  const normalized = all
    .map(([n, v]) => [pct(n), pct(v)])
    .sort(([an, av], [bn, bv]) => (an === bn ? (av! < bv! ? -1 : 1) : an! < bn! ? -1 : 1))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
  const base = [method, pct(`${u.protocol}//${u.host}${u.pathname}`), pct(normalized)].join('&');
  return createHmac('sha1', `${pct(SECRET)}&`)
    .update(base)
    .digest('base64');
}

describe('base string URI normalised as RFC 5849 §3.4.1.2', () => {
  const params: [string, string][] = [
    ['username', 'jdoe'],
    ['v', '2'],
  ];
  it.each([
    ['an upper-case host', 'http://LOCALHOST/web/authenticate', 'http://localhost/web/authenticate'],
    ['an upper-case scheme', 'HTTPS://api.toopher.test/v1/x', 'https://api.toopher.test/v1/x'],
    ['the default http port', 'http://example.com:80/web/manage_user', 'http://example.com/web/manage_user'],
    ['the default https port', 'https://Api.Toopher.Test:443/v1/x', 'https://api.toopher.test/v1/x'],
  ])('signs a URL with %s as the server does', (_name, given, canonical) => {
    const signed = signer.sign('GET', given, params).oauth_signature;
    expect(signed).toBe(serverSignature('GET', canonical, params));
    expect(signed).toBe(signer.sign('GET', canonical, params).oauth_signature);
  });

  it('keeps a port that is not the default in the base string', () => {
    const signed = signer.sign('GET', 'http://localhost:8080/web/x', params).oauth_signature;
    expect(signed).toBe(serverSignature('GET', 'http://localhost:8080/web/x', params));
    expect(signed).not.toBe(signer.sign('GET', 'http://localhost/web/x', params).oauth_signature);
  });

  it('normalises in the Authorization header too, and signs the query of the URL given to sign()', () => {
    const header = signer.authorizationHeader(
      'GET',
      'HTTP://API.TOOPHER.TEST:80/v1/users?name=a+b',
      undefined,
    );
    const expected = serverSignature('GET', 'http://api.toopher.test/v1/users', [['name', 'a b']]);
    expect(header).toContain(`oauth_signature="${pct(expected)}"`);
    expect(signer.sign('GET', 'http://API.toopher.test/v1/users?name=a+b', []).oauth_signature).toBe(
      expected,
    );
  });

  it('builds an iframe URL for http://LOCALHOST that a server accepts', () => {
    const iframe = toopherIframe({
      consumerKey: KEY,
      consumerSecret: SECRET,
      baseUrl: 'http://LOCALHOST:80/v1',
      now: () => 0,
    });
    const url = new URL(iframe.getUserManagementUrl('jdoe', { resetEmail: 'jdoe@example.com' }));
    const fields = [...url.searchParams];
    const signature = fields.find(([n]) => n === 'oauth_signature')?.[1];
    const nonce = fields.find(([n]) => n === 'oauth_nonce')?.[1] ?? '';
    const rest = fields.filter(([n]) => !n.startsWith('oauth_'));
    const withNonce = createOAuth1Signer({
      consumerKey: KEY,
      consumerSecret: SECRET,
      now: () => 0,
      nonce: () => nonce,
    });
    expect(signature).toBe(withNonce.sign('GET', `http://localhost${url.pathname}`, rest).oauth_signature);
  });
});

describe('signer input that has no UTF-8 spelling', () => {
  it.each([
    ['a lone high surrogate in a value', () => signer.sign('GET', 'https://a.test/x', [['name', 'a\uD800']])],
    ['a lone low surrogate in a name', () => signer.sign('GET', 'https://a.test/x', [['\uDC00', 'v']])],
    [
      'a broken escape in the body',
      () => signer.authorizationHeader('POST', 'https://a.test/x', 'name=%ED%A0%80'),
    ],
    [
      'a broken escape in the query',
      () => signer.authorizationHeader('GET', 'https://a.test/x?name=%E0', undefined),
    ],
    ['a URL that is not a URL', () => signer.sign('GET', 'not a url', [])],
  ])('gives ERR_INVALID_ARGUMENT for %s, not a URIError', (_name, call) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(isAuthBridgeError(thrown, 'ERR_INVALID_ARGUMENT')).toBe(true);
  });

  it('refuses a consumer secret with a lone surrogate as ERR_CONFIG, without repeating it', () => {
    let thrown: unknown;
    try {
      createOAuth1Signer({ consumerKey: KEY, consumerSecret: 'sekrit-\uD800-value' });
    } catch (error) {
      thrown = error;
    }
    expect(isAuthBridgeError(thrown, 'ERR_CONFIG')).toBe(true);
    expect(JSON.stringify(thrown) + String(thrown)).not.toContain('sekrit');
  });

  it('throws nothing but an AuthBridgeError for any strings (property)', () => {
    // Lone surrogates and broken escapes are rare among random code points: mix them in.
    const unit = fc.oneof(
      fc.constantFrom('\uD800', '\uDC00', '%', '%E0', '%41', '+', '=', '&', '/'),
      fc.string({ unit: 'binary', maxLength: 1 }),
    );
    const text = fc.string({ unit, maxLength: 12 });
    fc.assert(
      fc.property(text, fc.array(fc.tuple(text, text), { maxLength: 4 }), text, (path, params, body) => {
        try {
          signer.sign('POST', `https://a.test/${path}`, params);
          signer.authorizationHeader('POST', `https://a.test/${path}`, body);
        } catch (error) {
          expect(isAuthBridgeError(error)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('postback fields sorted by code point, as toopher-python sorts them', () => {
  it('puts U+FF61 before U+1F600 (UTF-16 order would put the astral one first)', () => {
    const fields = new Map([
      ['\u{1F600}', 'smile'],
      ['\uFF61', 'dot'],
      ['a', '1'],
    ]);
    const expected = createHmac('sha1', SECRET)
      .update(
        formEncode([
          ['a', '1'],
          ['\uFF61', 'dot'],
          ['\u{1F600}', 'smile'],
        ]),
      )
      .digest('base64');
    expect(postbackSignature(fields, SECRET)).toBe(expected);
  });
});
