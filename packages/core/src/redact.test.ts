import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAuthBridgeError, ProviderRequestError } from './errors.js';
import {
  createRedactor,
  excerpt,
  REDACTED,
  redactText,
  redactUnknown,
  replaceUrls,
  stripUrlUserinfo,
} from './redact.js';
import { checkSecret, SECRET_MAX_LENGTH } from './secret.js';

/** Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit makes only whole code points). */
const UTF16 = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

describe('createRedactor', () => {
  const redact = createRedactor({
    secretHeaders: ['X-Magic-Secret-Key'],
    secretValues: ['sk_live_ABCDEF123', 'short'],
  });

  it('strips credentials and secret query values from URLs', () => {
    expect(redact.url('https://user:pw@api.example/v1/x?access_token=abc&page=2')).toBe(
      `https://api.example/v1/x?access_token=${REDACTED}&page=2`,
    );
    expect(redact.url('not a url token=abc')).toBe(`not a url token=${REDACTED}`);
  });

  it('hides the user and password of a URL written in text, and leaves an @ in a path alone', () => {
    expect(
      redact.text(
        'Request cannot be constructed from https://user:s3cretpass@127.0.0.1:9/a and redis://:pw9@db:6379',
      ),
    ).toBe(
      `Request cannot be constructed from https://${REDACTED}@127.0.0.1:9/a and redis://${REDACTED}@db:6379`,
    );
    expect(redact.text('see https://example.com/users/@alice')).toBe('see https://example.com/users/@alice');
  });

  it('hides secret headers by name and secret values anywhere', () => {
    expect(
      redact.headers(
        new Headers({
          Authorization: 'Bearer x',
          'X-Magic-Secret-Key': 'sk',
          'X-Trace': 'id sk_live_ABCDEF123',
        }),
      ),
    ).toEqual({ authorization: REDACTED, 'x-magic-secret-key': REDACTED, 'x-trace': `id ${REDACTED}` });
  });

  it('hides secret JSON fields, form fields and authorization schemes in text', () => {
    const text = redact.text(
      '{"access_token":"t0k\\"en","uid":"u1"} oauth_signature=abc%3D&x=1 Authorization: Bearer eyJabc.def Key k3y_live_42 OAuth oauth_consumer_key="ck", oauth_nonce="n"',
    );
    expect(text).toBe(
      `{"access_token":"${REDACTED}","uid":"u1"} oauth_signature=${REDACTED}&x=1 Authorization: Bearer ${REDACTED} Key ${REDACTED} OAuth ${REDACTED}`,
    );
  });

  it('leaves prose that merely names a scheme alone', () => {
    for (const prose of [
      'The DID token has expired',
      'Access token expired',
      'Bearer tokens must not be empty',
      'Key rotation',
    ]) {
      expect(redact.text(prose)).toBe(prose);
    }
  });

  it('ignores secret values too short to be worth hiding', () => {
    expect(redact.text('a short story')).toBe('a short story');
  });

  it('cuts an excerpt after redacting, so a cut never reveals part of a secret', () => {
    const out = excerpt(redact, `${'x'.repeat(195)}sk_live_ABCDEF123${'y'.repeat(50)}`);
    expect(out).not.toContain('sk_live');
    expect(out).toMatch(/… \(\d+ more characters\)$/);
  });
});

describe('URL scanners in text', () => {
  it('stripUrlUserinfo hides every userinfo and leaves the rest as it was', () => {
    expect(stripUrlUserinfo('a postgres://u:p@db/x b https://h/@c redis://:pw@r:1')).toBe(
      `a postgres://${REDACTED}@db/x b https://h/@c redis://${REDACTED}@r:1`,
    );
    expect(stripUrlUserinfo('no url: here :// nor 9://x@y')).toBe('no url: here :// nor 9://x@y');
  });

  it('replaceUrls replaces each URL up to a space, quote, bracket or comma', () => {
    expect(replaceUrls('x (https://a.example/v3/KEY?q=1), "wss://b/c" d', '[URL]')).toBe(
      'x ([URL]), "[URL]" d',
    );
  });

  it('property: the scanners agree with the URL-userinfo regex they replace on ordinary text', () => {
    const reference = (text: string) =>
      text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, `$1${REDACTED}@`);
    const piece = fc.constantFrom('https://', 'redis://', 'u:p@', '@', 'host', '/', ' ', '?', 'x', ':', '.');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const text = parts.join('');
        expect(stripUrlUserinfo(text)).toBe(reference(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: any text passes through text() without throwing', () => {
    const redact = createRedactor({ secretValues: ['sk_live_ABCDEF123'] });
    fc.assert(
      fc.property(fc.string({ unit: UTF16, maxLength: 200 }), (text) => {
        expect(typeof redact.text(text)).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('an unterminated secret JSON value is hidden to the end of the text', () => {
    expect(createRedactor().text('{"token": "abc\\"def')).toBe(`{"token": "${REDACTED}"`);
  });
});

describe('remembered secrets', () => {
  it('checkSecret refuses what would defeat redaction, with ERR_CONFIG and without the value', () => {
    const key = 'sk_live_0123456789abcdef';
    for (const bad of [
      `${key}\n`,
      `${key}\r`,
      `${key}\u0000x`,
      ` ${key}`,
      `${key}\u00e9`,
      '',
      42,
      undefined,
    ]) {
      let caught: unknown;
      try {
        checkSecret(bad, { provider: 'magic', name: 'secretKey' });
      } catch (error) {
        caught = error;
      }
      expect(isAuthBridgeError(caught, 'ERR_CONFIG'), String(caught)).toBe(true);
      expect(inspect(caught, { depth: 10 })).not.toContain(key);
    }
    const long = 'a'.repeat(SECRET_MAX_LENGTH + 1);
    expect(() => checkSecret(long, { provider: 'pi', name: 'apiKey' })).toThrow(/longer than/);
  });

  it('a checked secret is hidden from every later error: message, details, data and cause', () => {
    const key = checkSecret('sk_live_remembered_0123', { provider: 'magic', name: 'secretKey' });
    const error = new ProviderRequestError(`echo ${key}`, {
      status: 401,
      details: `again ${key}`,
      data: [`the key ${key} is invalid`],
      cause: new Error(`nested ${key}`, { cause: { text: key } }),
    });
    expect(`${inspect(error, { depth: 20 })} ${JSON.stringify(error)}`).not.toContain(key);
    expect(redactText(`x ${key} y`)).toBe(`x ${REDACTED} y`);
  });

  it('a value shorter than 8 characters is checked but not remembered, so it cannot garble other text', () => {
    checkSecret('api_key', { provider: 'picket', name: 'apiKey' });
    expect(redactText('Picket answered api_key_invalid')).toBe('Picket answered api_key_invalid');
  });

  it('redactUnknown keeps the class of an error it copies and never changes the original', () => {
    const original = new TypeError('redis://:pw-abcdef@cache:6379 refused');
    const copy = redactUnknown(original) as Error;
    expect(copy).toBeInstanceOf(TypeError);
    expect(copy.message).toBe(`redis://${REDACTED}@cache:6379 refused`);
    expect(original.message).toContain('pw-abcdef');
  });
});
