import { isAuthBridgeError } from '@authbridge/core';
import { describe, expect, it } from 'vitest';
import { formDecode, formEncodeComponent } from './form.js';
import { hmacSha1Base64 } from './hmac-sha1.js';
import { type PostbackOptions, postbackSignature } from './iframe.js';
import { vectorIframe as iframe, P1, P1_SIG } from './postback-p1.fixture.js';

/** A URL as its path, its signature and the sorted multiset of its decoded parameters. */
function shape(url: string) {
  const [path, query = ''] = url.split('?');
  const pairs = formDecode(query);
  return {
    path,
    signature: pairs.find(([name]) => name === 'oauth_signature')?.[1],
    params: pairs.map(([n, v]) => `${n}=${v}`).sort(),
  };
}

describe('iframe URL vectors (spec §7.1)', () => {
  const api = iframe();
  const a2 = {
    resetEmail: 'jdoe@example.com',
    requestToken: 's9s7vsb',
    actionName: 'it is a test',
    requesterMetadata: 'metadata',
  };
  const cases: [string, string, string][] = [
    [
      'U1 (Python 2 order)',
      api.getUserManagementUrl('jdoe'),
      'https://api.toopher.test/v1/web/manage_user?username=jdoe&reset_email=&expires=1300&v=2&oauth_nonce=12345678&oauth_timestamp=1000&oauth_version=1.0&oauth_signature_method=HMAC-SHA1&oauth_consumer_key=abcdefg&oauth_signature=SA7CAUj%2B5QcGO%2BMmdPv9ubbaozk%3D',
    ],
    [
      'U1 (PHP order)',
      api.getUserManagementUrl('jdoe'),
      'https://api.toopher.test/v1/web/manage_user?username=jdoe&reset_email=&v=2&expires=1300&oauth_consumer_key=abcdefg&oauth_signature_method=HMAC-SHA1&oauth_version=1.0&oauth_nonce=12345678&oauth_timestamp=1000&oauth_signature=SA7CAUj%2B5QcGO%2BMmdPv9ubbaozk%3D',
    ],
    [
      'U2',
      api.getUserManagementUrl('jdoe', { resetEmail: 'jdoe@example.com', ttl: 100 }),
      'https://api.toopher.test/v1/web/manage_user?username=jdoe&reset_email=jdoe%40example.com&expires=1100&v=2&oauth_nonce=12345678&oauth_timestamp=1000&oauth_version=1.0&oauth_signature_method=HMAC-SHA1&oauth_consumer_key=abcdefg&oauth_signature=sV8qoKnxJ3fxfP6AHNa0eNFxzJs%3D',
    ],
    [
      'U3',
      api.getUserManagementUrl('jdoe', { ttl: 100, extras: { foo: 'bar' } }),
      'https://api.toopher.test/v1/web/manage_user?username=jdoe&reset_email=&foo=bar&expires=1100&v=2&oauth_nonce=12345678&oauth_timestamp=1000&oauth_version=1.0&oauth_signature_method=HMAC-SHA1&oauth_consumer_key=abcdefg&oauth_signature=5DE7uRWNHNb0%2B76yqUuzoDpdjVg%3D',
    ],
    [
      'U6 (Ruby order)',
      api.getUserManagementUrl('jdoe', { resetEmail: 'jdoe@example.com' }),
      'https://api.toopher.test/v1/web/manage_user?username=jdoe&reset_email=jdoe%40example.com&expires=1300&v=2&oauth_consumer_key=abcdefg&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1000&oauth_nonce=12345678&oauth_version=1.0&oauth_signature=NjwH5yWPE2CCJL8v%2FMNknL%2BeTpE%3D',
    ],
    [
      'A1 (Python 2 order)',
      api.getAuthenticationUrl('jdoe'),
      'https://api.toopher.test/v1/web/authenticate?username=jdoe&reset_email=&session_token=&expires=1300&action_name=Log+In&requester_metadata=&v=2&oauth_nonce=12345678&oauth_timestamp=1000&oauth_version=1.0&oauth_signature_method=HMAC-SHA1&oauth_consumer_key=abcdefg&oauth_signature=NkaWUjEPRLwgsQMEJGsIQEpyRT4%3D',
    ],
    [
      'A1 (Ruby order)',
      api.getAuthenticationUrl('jdoe'),
      'https://api.toopher.test/v1/web/authenticate?username=jdoe&reset_email=&action_name=Log+In&session_token=&requester_metadata=&expires=1300&v=2&oauth_consumer_key=abcdefg&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1000&oauth_nonce=12345678&oauth_version=1.0&oauth_signature=NkaWUjEPRLwgsQMEJGsIQEpyRT4%3D',
    ],
    [
      'A1 (Java order)',
      api.getAuthenticationUrl('jdoe'),
      'https://api.toopher.test/v1/web/authenticate?username=jdoe&action_name=Log+In&reset_email=&session_token=&requester_metadata=&expires=1300&v=2&oauth_consumer_key=abcdefg&oauth_nonce=12345678&oauth_signature=NkaWUjEPRLwgsQMEJGsIQEpyRT4%3D&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1000&oauth_version=1.0',
    ],
    [
      'A2',
      api.getAuthenticationUrl('jdoe', a2),
      'https://api.toopher.test/v1/web/authenticate?username=jdoe&reset_email=jdoe%40example.com&session_token=s9s7vsb&expires=1300&action_name=it+is+a+test&requester_metadata=metadata&v=2&oauth_nonce=12345678&oauth_timestamp=1000&oauth_version=1.0&oauth_signature_method=HMAC-SHA1&oauth_consumer_key=abcdefg&oauth_signature=2TydgMnUwWoiwfpljKpSaFg0Luo%3D',
    ],
    [
      'A3 (Python 2 order)',
      api.getAuthenticationUrl('jdoe', {
        ...a2,
        ttl: 100,
        extras: { allow_inline_pairing: false, automation_allowed: false, challenge_required: true },
      }),
      'https://api.toopher.test/v1/web/authenticate?username=jdoe&reset_email=jdoe%40example.com&session_token=s9s7vsb&allow_inline_pairing=False&expires=1100&action_name=it+is+a+test&automation_allowed=False&requester_metadata=metadata&v=2&challenge_required=True&oauth_nonce=12345678&oauth_timestamp=1000&oauth_version=1.0&oauth_signature_method=HMAC-SHA1&oauth_consumer_key=abcdefg&oauth_signature=hKogqI%2FgjKXpYIH%2BjNDhRSi22b4%3D',
    ],
    [
      'A4 (Ruby, lowercase)',
      api.getAuthenticationUrl('jdoe', {
        ...a2,
        ttl: 100,
        extras: { allow_inline_pairing: 'false', automation_allowed: 'false', challenge_required: 'true' },
      }),
      'https://api.toopher.test/v1/web/authenticate?username=jdoe&reset_email=jdoe%40example.com&action_name=it+is+a+test&session_token=s9s7vsb&requester_metadata=metadata&allow_inline_pairing=false&automation_allowed=false&challenge_required=true&expires=1100&v=2&oauth_consumer_key=abcdefg&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1000&oauth_nonce=12345678&oauth_version=1.0&oauth_signature=61dqeQNPFxNy8PyEFB9e5UfgN8s%3D',
    ],
  ];
  for (const [name, actual, expected] of cases) {
    it(`${name}: same path, signature and parameter multiset`, () => {
      expect(shape(actual)).toEqual(shape(expected));
    });
  }

  it('emits the Python 3 order exactly (A3 arguments)', () => {
    const url = api.getAuthenticationUrl('jdoe', {
      ...a2,
      ttl: 100,
      extras: { allow_inline_pairing: false, automation_allowed: false, challenge_required: true },
    });
    expect(url).toBe(
      'https://api.toopher.test/v1/web/authenticate?username=jdoe&reset_email=jdoe%40example.com&action_name=it+is+a+test&session_token=s9s7vsb&requester_metadata=metadata&allow_inline_pairing=False&automation_allowed=False&challenge_required=True&expires=1100&v=2&oauth_nonce=12345678&oauth_timestamp=1000&oauth_version=1.0&oauth_signature_method=HMAC-SHA1&oauth_consumer_key=abcdefg&oauth_signature=hKogqI%2FgjKXpYIH%2BjNDhRSi22b4%3D',
    );
  });

  it('refuses an extra that would override expires, v or an OAuth parameter', () => {
    for (const name of ['expires', 'v', 'oauth_nonce', 'username']) {
      expect(() => api.getUserManagementUrl('jdoe', { extras: { [name]: 'x' } })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }),
      );
    }
  });
});

/** Postback data as the browser sends it: URLSearchParams writes a space as `+`. */
const encode = (pairs: [string, string][]) => new URLSearchParams(pairs).toString();
const without = (pairs: [string, string][], name: string) => pairs.filter(([n]) => n !== name);
const withSig = (pairs: [string, string][], sig: string): [string, string][] => [
  ...pairs,
  ['toopher_sig', sig],
];

function errorOf(fn: () => unknown): {
  code?: string;
  message?: string;
  providerCode?: string;
  data?: unknown;
} {
  try {
    fn();
  } catch (error) {
    expect(isAuthBridgeError(error), String(error)).toBe(true);
    return error as { code: string; message: string };
  }
  throw new Error('expected a throw');
}

describe('postback vectors (spec §7.2)', () => {
  const api = iframe();
  const opts: PostbackOptions = { requestToken: 's9s7vsb' };
  const sig = (pairs: [string, string][]) => postbackSignature(new Map(pairs), 'hijklmnop');

  it('P1-P5 signatures', () => {
    expect(sig(P1)).toBe(P1_SIG);
    expect(
      sig([
        ['id', '1'],
        ['enabled', 'true'],
        ['pending', 'false'],
        ['pairing_user_id', '1'],
        ['user_name', 'user name'],
        ['user_toopher_authentication_enabled', 'true'],
        ['session_token', 's9s7vsb'],
        ['timestamp', '1000'],
        ['resource_type', 'pairing'],
      ]),
    ).toBe('ucwKhkPpN4VxNbx3dMypWzi4tBg=');
    expect(
      sig([
        ['id', '1'],
        ['name', 'user name'],
        ['toopher_authentication_enabled', 'true'],
        ['session_token', 's9s7vsb'],
        ['timestamp', '1000'],
        ['resource_type', 'requester_user'],
      ]),
    ).toBe('RszgG9QE1rF9t7DVTGg+1I25yHM=');
    expect(sig([...P1, ['requester_metadata', '']])).toBe('2CQouLu8dL3OA8N/mgHK6eeYHm4=');
    expect(sig([...without(P1, 'resource_type'), ['resource_type', 'invalid']])).toBe(
      'xEY+oOtJcdMsmTLp6eOy9isO/xQ=',
    );
  });

  it('P1 processes into a granted authentication request and isAuthenticationGranted is true', () => {
    const data = encode(withSig(P1, P1_SIG));
    const result = api.processPostback(data, opts);
    expect(result.resourceType).toBe('authentication_request');
    if (result.resourceType !== 'authentication_request') return;
    expect(result.authenticationRequest).toMatchObject({
      id: '1',
      pending: false,
      granted: true,
      automated: false,
      reason: 'it is a test',
      reasonCode: 100,
      terminal: { id: '1', name: 'terminal name', requesterSpecifiedId: 'requester specified id' },
      user: { id: '1', name: 'user name', toopherAuthenticationEnabled: true },
      action: { id: '1', name: 'action name' },
    });
    expect(api.isAuthenticationGranted(data, opts)).toBe(true);
    expect(api.isAuthenticationGranted({ toopher_iframe_data: data }, opts)).toBe(true);
    expect(api.isAuthenticationGranted(new URLSearchParams({ toopher_iframe_data: data }), opts)).toBe(true);
  });

  it('P2 is a pairing, P3 a user; neither is a granted authentication', () => {
    const p2: [string, string][] = [
      ['id', '1'],
      ['enabled', 'true'],
      ['pending', 'false'],
      ['pairing_user_id', '1'],
      ['user_name', 'user name'],
      ['user_toopher_authentication_enabled', 'true'],
      ['session_token', 's9s7vsb'],
      ['timestamp', '1000'],
      ['resource_type', 'pairing'],
    ];
    const p2Data = encode(withSig(p2, 'ucwKhkPpN4VxNbx3dMypWzi4tBg='));
    expect(api.processPostback(p2Data, opts)).toMatchObject({
      resourceType: 'pairing',
      pairing: { id: '1', enabled: true, pending: false, user: { name: 'user name' } },
    });
    expect(api.isAuthenticationGranted(p2Data, opts)).toBe(false);
    const p3: [string, string][] = [
      ['id', '1'],
      ['name', 'user name'],
      ['toopher_authentication_enabled', 'true'],
      ['session_token', 's9s7vsb'],
      ['timestamp', '1000'],
      ['resource_type', 'requester_user'],
    ];
    expect(api.processPostback(encode(withSig(p3, 'RszgG9QE1rF9t7DVTGg+1I25yHM=')), opts)).toMatchObject({
      resourceType: 'requester_user',
      user: { id: '1', name: 'user name', toopherAuthenticationEnabled: true },
    });
  });

  it('P4 (empty requester_metadata is signed) validates', () => {
    const data = encode(withSig([...P1, ['requester_metadata', '']], '2CQouLu8dL3OA8N/mgHK6eeYHm4='));
    expect(api.isAuthenticationGranted(data, opts)).toBe(true);
  });

  it('P5 (resource_type=invalid, correctly signed) is an unexpected response', () => {
    const data = encode(
      withSig(
        [...without(P1, 'resource_type'), ['resource_type', 'invalid']],
        'xEY+oOtJcdMsmTLp6eOy9isO/xQ=',
      ),
    );
    const error = errorOf(() => api.processPostback(data, opts));
    expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE');
    expect(error.message).toContain('The postback resource type is not valid: invalid');
  });

  it('toopher_sig=invalid fails the signature and does not reveal the right one', () => {
    const error = errorOf(() => api.processPostback(encode(withSig(P1, 'invalid')), opts));
    expect(error.code).toBe('ERR_CREDENTIAL_SIGNATURE');
    expect(error.message).not.toContain(P1_SIG);
  });

  it('now = 2000 is expired; a 100 s TTL at now = 1000 still passes', () => {
    const data = encode(withSig(P1, P1_SIG));
    expect(errorOf(() => iframe(2000).processPostback(data, opts)).code).toBe('ERR_CREDENTIAL_EXPIRED');
    expect(iframe(1299).isAuthenticationGranted(data, opts)).toBe(true);
    expect(errorOf(() => iframe(1300).processPostback(data, opts)).code).toBe('ERR_CREDENTIAL_EXPIRED');
    expect(api.isAuthenticationGranted(data, { ...opts, ttl: 100 })).toBe(true);
  });

  it('a missing toopher_sig, timestamp or session_token is malformed and named', () => {
    for (const name of ['toopher_sig', 'timestamp', 'session_token']) {
      const error = errorOf(() => api.processPostback(encode(without(withSig(P1, P1_SIG), name)), opts));
      expect(error.code).toBe('ERR_CREDENTIAL_MALFORMED');
      expect(error.message).toContain(`Missing required keys: ${name}`);
    }
  });

  it('a session token other than the request token is ERR_CREDENTIAL_AUDIENCE', () => {
    const pairs = [...without(P1, 'session_token'), ['session_token', 'invalid token'] as [string, string]];
    const error = errorOf(() => api.processPostback(encode(withSig(pairs, P1_SIG)), opts));
    expect(error.code).toBe('ERR_CREDENTIAL_AUDIENCE');
    expect(error.message).toContain('Session token does not match expected value!');
  });

  const P1_704 = encode([
    ...withSig(P1, P1_SIG),
    ['error_code', '704'],
    ['error_message', 'The specified user has disabled Toopher authentication.'],
  ]);

  it('error_code 704 raises the user-disabled error with the vector message, its code kept', () => {
    const error = errorOf(() => api.processPostback(P1_704, opts));
    expect(error).toMatchObject({
      code: 'ERR_CREDENTIAL_REJECTED',
      providerCode: '704',
      data: {
        errorCode: '704',
        errorMessage: 'The specified user has disabled Toopher authentication.',
      },
    });
    expect(error.message).toContain('The specified user has disabled Toopher authentication.');
  });

  it('error_code 704: isAuthenticationGranted is True with treatUserDisabledAsGranted, as toopher-python', () => {
    expect(api.isAuthenticationGranted(P1_704, { ...opts, treatUserDisabledAsGranted: true })).toBe(true);
    // Python checks error_code before anything else, so even an unsigned 704 postback is "granted".
    const unsigned = encode([
      ['error_code', '704'],
      ['error_message', 'The specified user has disabled Toopher authentication.'],
    ]);
    expect(api.isAuthenticationGranted(unsigned, { treatUserDisabledAsGranted: true })).toBe(true);
  });

  it('error_code 704: isAuthenticationGranted is false by default (unsigned, as toopher-java)', () => {
    expect(api.isAuthenticationGranted(P1_704, opts)).toBe(false);
    expect(api.isAuthenticationGranted(P1_704, { ...opts, treatUserDisabledAsGranted: false })).toBe(false);
  });

  it('only 704 is granted by the option: other page errors and bad postbacks stay false', () => {
    const option = { ...opts, treatUserDisabledAsGranted: true };
    for (const code of ['705', '707', '601', '7040', 'x704']) {
      const data = encode([...withSig(P1, P1_SIG), ['error_code', code]]);
      expect(api.isAuthenticationGranted(data, option), code).toBe(false);
    }
    expect(api.isAuthenticationGranted(encode(withSig(P1, 'invalid')), option)).toBe(false);
  });

  it("the page's unsigned error text never reaches the message; in data it has no control characters and is bounded", () => {
    const forged = `ok\r\n2024-01-01 INFO admin logged in\u2028${'x'.repeat(500)}`;
    const error = errorOf(() =>
      api.processPostback(
        encode([
          ['error_code', '999'],
          ['error_message', forged],
        ]),
        opts,
      ),
    );
    expect(error).toMatchObject({ code: 'ERR_CREDENTIAL_REJECTED', providerCode: '999' });
    expect(error.message).not.toContain('admin logged in');
    expect(error.message).not.toMatch(/[\r\n\u2028]x/);
    const { errorMessage } = error.data as { errorMessage: string };
    expect(errorMessage).toContain('admin logged in');
    for (const ch of ['\r', '\n', '\u2028']) expect(errorMessage).not.toContain(ch);
    expect(errorMessage.length).toBeLessThanOrEqual(200);
    const badCode = errorOf(() => api.processPostback(encode([['error_code', '704\nFAKE LOG LINE']]), opts));
    expect(badCode).toMatchObject({ code: 'ERR_CREDENTIAL_REJECTED', providerCode: undefined });
    expect(badCode.message).not.toContain('FAKE');
    expect(
      api.isAuthenticationGranted(encode([['error_code', '704\n']]), { treatUserDisabledAsGranted: true }),
    ).toBe(false);
  });

  it('removing id breaks the signature', () => {
    expect(api.isAuthenticationGranted(encode(withSig(without(P1, 'id'), P1_SIG)), opts)).toBe(false);
    expect(errorOf(() => api.processPostback(encode(withSig(without(P1, 'id'), P1_SIG)), opts)).code).toBe(
      'ERR_CREDENTIAL_SIGNATURE',
    );
  });

  it('validates without a request token', () => {
    expect(api.isAuthenticationGranted(encode(withSig(P1, P1_SIG)))).toBe(true);
  });

  it("P1 signed over %20-encoded values gives the spec's wrong signature, not the right one", () => {
    const sorted = [...P1].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const percent20 = sorted
      .map(([n, v]) => `${formEncodeComponent(n)}=${formEncodeComponent(v).replace(/\+/g, '%20')}`)
      .join('&');
    expect(percent20).toContain('reason=it%20is%20a%20test');
    const wrong = hmacSha1Base64('hijklmnop', percent20);
    expect(wrong).toBe('S0QVsenZSPm1Ng6zbZd6g+s83V4=');
    expect(wrong).not.toBe(P1_SIG);
    expect(sig(P1)).toBe(P1_SIG);
  });

  it('a postback whose values arrive %20-encoded decodes to the same fields and validates', () => {
    const plus = encode(withSig(P1, P1_SIG));
    const percent20 = plus.replace(/\+/g, '%20');
    expect(percent20).not.toBe(plus);
    expect(api.isAuthenticationGranted(percent20, opts)).toBe(true);
  });

  it('accepts the form as FormData, a Map or a plain object as well as the string', () => {
    const data = encode(withSig(P1, P1_SIG));
    const form = new FormData();
    form.set('toopher_iframe_data', data);
    expect(api.isAuthenticationGranted(form, opts)).toBe(true);
    expect(api.isAuthenticationGranted(new Map([['toopher_iframe_data', data]]), opts)).toBe(true);
    expect(api.isAuthenticationGranted({ toopher_iframe_data: data }, opts)).toBe(true);
    const file = new FormData();
    file.set('toopher_iframe_data', new Blob([data]));
    expect(errorOf(() => api.processPostback(file, opts)).code).toBe('ERR_CREDENTIAL_MALFORMED');
    expect(errorOf(() => api.processPostback({ toopher_iframe_data: [data] }, opts)).code).toBe(
      'ERR_CREDENTIAL_MALFORMED',
    );
  });

  it('a missing postback (req.body without a body parser) is ERR_CREDENTIAL_MALFORMED naming the parser', () => {
    for (const missing of [undefined, null]) {
      const error = errorOf(() => api.processPostback(missing as never, opts));
      expect(error.code).toBe('ERR_CREDENTIAL_MALFORMED');
      expect(error.message).toContain('body parser');
      expect(api.isAuthenticationGranted(missing as never, opts)).toBe(false);
      expect(
        api.isAuthenticationGranted(missing as never, { ...opts, treatUserDisabledAsGranted: true }),
      ).toBe(false);
    }
    expect(errorOf(() => api.processPostback({}, opts)).code).toBe('ERR_CREDENTIAL_MALFORMED');
  });
});
