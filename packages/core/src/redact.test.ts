import { describe, expect, it } from 'vitest';
import { createRedactor, excerpt, REDACTED } from './redact.js';

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
