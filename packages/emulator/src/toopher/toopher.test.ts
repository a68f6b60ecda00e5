/**
 * The Toopher emulator over raw HTTP, signed by a small RFC 5849 signer written here (checked against
 * the spec's §7.3 vector first), so the routes are tested apart from the client package.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../server.js';
import { createNonceGuard, type Params, totp } from './oauth.js';
import type { ToopherFixtures } from './state.js';

const pct = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** Form encoding as the Python SDK writes a body: a space is `+`. */
const form = (params: Params) => params.map(([n, v]) => `${pct(n)}=${pct(v)}`.replace(/%20/g, '+')).join('&');

interface Signing {
  key: string;
  secret: string;
  timestamp: number;
  nonce?: string;
}

/** The `oauth_*` parameters, `oauth_signature` included, for `method url` with decoded `params`. */
function oauthParams(method: string, url: string, params: Params, s: Signing): Params {
  const oauth: Params = [
    ['oauth_consumer_key', s.key],
    ['oauth_nonce', s.nonce ?? randomBytes(12).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(s.timestamp)],
    ['oauth_version', '1.0'],
  ];
  const normalized = [...params, ...oauth]
    .map(([n, v]) => [pct(n), pct(v)])
    .sort(([an = '', av = ''], [bn = '', bv = '']) => (an === bn ? (av < bv ? -1 : 1) : an < bn ? -1 : 1))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
  const base = [method, pct(url), pct(normalized)].join('&');
  const signature = createHmac('sha1', `${pct(s.secret)}&`)
    .update(base)
    .digest('base64');
  return [...oauth, ['oauth_signature', signature]];
}

const header = (oauth: Params, realm?: string) =>
  `OAuth ${[...(realm === undefined ? [] : [['realm', realm]]), ...oauth].map(([n, v]) => `${n}="${pct(v ?? '')}"`).join(', ')}`;

describe('the test signer', () => {
  it('reproduces spec §7.3 (POST pairings/create, nonce "nonce", timestamp 0)', () => {
    const oauth = oauthParams(
      'POST',
      'https://api.toopher.test/v1/pairings/create',
      [
        ['user_name', 'user name'],
        ['pairing_phrase', 'awkward turtle'],
      ],
      { key: 'key', secret: 'secret', timestamp: 0, nonce: 'nonce' },
    );
    expect(oauth.find(([n]) => n === 'oauth_signature')?.[1]).toBe('Bx5EZmZHLjWFewtplLcObH6Gva0=');
  });
});

let emulator: Emulator;
let base: string;
let f: ToopherFixtures;
beforeAll(async () => {
  emulator = await startEmulator({ providers: ['toopher'] });
  base = emulator.urls.toopher as string;
  f = emulator.fixtures.toopher as ToopherFixtures;
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

interface Call {
  method?: 'GET' | 'POST';
  params?: Params;
  /** Where the OAuth parameters go. Default the Authorization header. */
  oauthIn?: 'header' | 'query' | 'body';
  realm?: string;
  secret?: string;
  timestamp?: number;
  nonce?: string;
  /** Changes the request after signing, to tamper with it. */
  tamper?: (parts: { query: string; body: string }) => { query: string; body: string };
}

/** A signed call to the emulator, built by hand. */
async function call(path: string, c: Call = {}): Promise<{ status: number; json: unknown }> {
  const method = c.method ?? 'GET';
  const params = c.params ?? [];
  const url = `${base}${path}`;
  const oauth = oauthParams(method, url, params, {
    key: f.consumerKey,
    secret: c.secret ?? f.consumerSecret,
    timestamp: c.timestamp ?? Math.floor(emulator.clock.now() / 1000),
    nonce: c.nonce,
  });
  const where = c.oauthIn ?? 'header';
  let query = method === 'GET' ? form([...params, ...(where === 'query' ? oauth : [])]) : '';
  let body = method === 'POST' ? form([...params, ...(where === 'body' ? oauth : [])]) : '';
  if (method === 'POST' && where === 'query') query = form(oauth);
  if (c.tamper) ({ query, body } = c.tamper({ query, body }));
  const headers: Record<string, string> = {};
  if (where === 'header') headers.authorization = header(oauth, c.realm);
  if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(`${url}${query ? `?${query}` : ''}`, {
    method,
    headers,
    body: method === 'POST' ? body : undefined,
  });
  return { status: response.status, json: await response.json() };
}

const paired = () => f.users.paired;

describe('OAuth 1.0a verification', () => {
  it('accepts the header with or without realm, and OAuth parameters in the query or form body', async () => {
    const search: Params = [['name', paired().username]];
    for (const c of [
      { params: search },
      { params: search, realm: 'https://api.toopher.test/' },
      { params: search, oauthIn: 'query' as const },
    ]) {
      const { status, json } = await call('/users', c);
      expect(status, JSON.stringify(c)).toBe(200);
      expect(json).toEqual([
        { id: paired().userId, name: paired().username, toopher_authentication_enabled: true },
      ]);
    }
    const created = await call('/users/create', {
      method: 'POST',
      params: [['name', 'in body']],
      oauthIn: 'body',
    });
    expect(created.status).toBe(201);
    const viaQuery = await call('/users/create', {
      method: 'POST',
      params: [['name', 'in query']],
      oauthIn: 'query',
    });
    expect(viaQuery.status).toBe(201);
  });

  it('refuses a wrong consumer secret with 401 and Toopher error 401', async () => {
    const { status, json } = await call('/users', { secret: 'not-the-secret' });
    expect(status).toBe(401);
    expect(json).toMatchObject({ error_code: 401 });
    expect((json as { error_message: string }).error_message).toMatch(/^Not a valid OAuth signed request/);
  });

  it('refuses a tampered query, form body or OAuth parameter', async () => {
    const cases: [string, Call][] = [
      [
        'query',
        {
          params: [['name', paired().username]],
          tamper: ({ query, body }) => ({ query: query.replace('alice', 'bob'), body }),
        },
      ],
      [
        'query added',
        { params: [['name', 'x']], tamper: ({ query, body }) => ({ query: `${query}&extra=1`, body }) },
      ],
      [
        'body',
        {
          method: 'POST',
          params: [['toopher_authentication_enabled', 'true']],
          tamper: ({ query, body }) => ({ query, body: body.replace('true', 'false') }),
        },
      ],
      [
        'oauth in query',
        {
          params: [['name', 'x']],
          oauthIn: 'query',
          tamper: ({ query, body }) => ({
            query: query.replace(/oauth_nonce=\w+/, 'oauth_nonce=other'),
            body,
          }),
        },
      ],
    ];
    for (const [name, c] of cases) {
      const path = c.method === 'POST' ? `/users/${paired().userId}` : '/users';
      const untampered = await call(path, { ...c, tamper: undefined });
      expect(untampered.status, `${name} untampered`).toBeLessThan(300);
      expect((await call(path, c)).status, name).toBe(401);
    }
  });

  it('refuses a timestamp more than 5 minutes from the emulator clock, either way', async () => {
    const now = Math.floor(emulator.clock.now() / 1000);
    // A few seconds past the window on either side: the emulator reads its clock a moment later.
    expect((await call('/users', { timestamp: now - 305 })).status).toBe(401);
    expect((await call('/users', { timestamp: now + 305 })).status).toBe(401);
    expect((await call('/users', { timestamp: now - 240 })).status).toBe(200);
    expect((await call('/users', { timestamp: now + 240 })).status).toBe(200);
    const stale = await call('/users', { timestamp: 0 });
    expect((stale.json as { error_message: string }).error_message).toContain('timestamp');
  });

  it('refuses a nonce used before with the same timestamp (a replayed request), not after a reset', async () => {
    const timestamp = Math.floor(emulator.clock.now() / 1000);
    const once = { timestamp, nonce: 'nonce-1', params: [['name', 'x']] as Params };
    expect((await call('/users', once)).status).toBe(200);
    const replay = await call('/users', once);
    expect(replay.status).toBe(401);
    expect((replay.json as { error_message: string }).error_message).toContain('nonce');
    expect((await call('/users', { ...once, nonce: 'nonce-2' })).status).toBe(200);
    // A wrongly signed request does not use up the nonce it names.
    expect((await call('/users', { ...once, nonce: 'nonce-3', secret: 'wrong' })).status).toBe(401);
    expect((await call('/users', { ...once, nonce: 'nonce-3' })).status).toBe(200);
    emulator.reset();
    expect((await call('/users', once)).status).toBe(200);
  });

  it('remembers a bounded number of nonces, and each only while its timestamp is in the window', () => {
    const guard = createNonceGuard({ windowMs: 1000, maxNonces: 3 });
    const params = (nonce: string, seconds: number): Params => [
      ['oauth_consumer_key', 'k'],
      ['oauth_nonce', nonce],
      ['oauth_timestamp', String(seconds)],
    ];
    expect(guard.check(params('a', 100), 100_000)).toBeUndefined();
    expect(guard.check(params('a', 100), 100_500)).toBe('nonce already used');
    for (const nonce of ['b', 'c', 'd', 'e'])
      expect(guard.check(params(nonce, 100), 100_000)).toBeUndefined();
    expect(guard.size).toBeLessThanOrEqual(3);
    expect(guard.check(params('f', 102), 101_999)).toBeUndefined();
    expect(guard.check(params('a', 100), 101_001)).toBe('timestamp outside the allowed window');
  });
});

describe('spelling differences between the SDKs (spec §9)', () => {
  it('user_terminals/create takes the requester id as name_extra or requester_specified_id', async () => {
    for (const [key, id] of [
      ['name_extra', 'rs-python'],
      ['requester_specified_id', 'rs-ruby'],
    ] as const) {
      const { status, json } = await call('/user_terminals/create', {
        method: 'POST',
        params: [
          ['user_name', paired().username],
          ['name', `terminal ${key}`],
          [key, id],
        ],
      });
      expect(status, key).toBe(201);
      expect(json).toMatchObject({ name: `terminal ${key}`, requester_specified_id: id });
    }
  });

  it('users/reset identifies the user by user_name (Python) or name (Ruby, Java)', async () => {
    for (const [key, user] of [
      ['user_name', f.users.paired],
      ['name', f.users.otpRequired],
    ] as const) {
      expect(
        (await call('/users/reset', { method: 'POST', params: [[key, user.username]] })).status,
        key,
      ).toBe(200);
      const pairing = await call(`/pairings/${user.pairingId}`);
      expect(pairing.json, key).toMatchObject({ enabled: false });
    }
  });

  it('GET /users filters by name or by user_name (PHP, old Python)', async () => {
    for (const key of ['name', 'user_name']) {
      const { json } = await call('/users', { params: [[key, paired().username]] });
      expect(json, key).toEqual([
        { id: paired().userId, name: paired().username, toopher_authentication_enabled: true },
      ]);
    }
  });

  it('booleans in either case, and 1.x disable_toopher_auth', async () => {
    const path = `/users/${paired().userId}`;
    const cases: [string, string, boolean][] = [
      ['toopher_authentication_enabled', 'False', false],
      ['toopher_authentication_enabled', 'true', true],
      ['toopher_authentication_enabled', 'false', false],
      ['toopher_authentication_enabled', 'True', true],
      ['disable_toopher_auth', 'true', false],
      ['disable_toopher_auth', 'False', true],
      ['disable_toopher_auth', 'True', false],
    ];
    for (const [key, value, enabled] of cases) {
      const { status, json } = await call(path, { method: 'POST', params: [[key, value]] });
      expect(status, `${key}=${value}`).toBe(200);
      expect(json, `${key}=${value}`).toMatchObject({ toopher_authentication_enabled: enabled });
    }
    expect(
      (await call(path, { method: 'POST', params: [['toopher_authentication_enabled', 'yes']] })).status,
    ).toBe(400);
  });

  it('authenticate takes requester_specified_terminal_id / action_name or terminal_name_extra / action', async () => {
    await call('/user_terminals/create', {
      method: 'POST',
      params: [
        ['user_name', paired().username],
        ['name', 'desk'],
        ['requester_specified_id', 'desk-1'],
      ],
    });
    for (const [terminalKey, actionKey] of [
      ['requester_specified_terminal_id', 'action_name'],
      ['terminal_name_extra', 'action'],
    ]) {
      const { status, json } = await call('/authentication_requests/initiate', {
        method: 'POST',
        params: [
          ['user_name', paired().username],
          [terminalKey as string, 'desk-1'],
          [actionKey as string, `Pay via ${actionKey}`],
        ],
      });
      expect(status, terminalKey).toBe(201);
      expect(json).toMatchObject({
        pending: true,
        terminal: { name: 'desk', requester_specified_id: 'desk-1' },
        action: { name: `Pay via ${actionKey}` },
      });
    }
  });

  it("Java's camelCase duplicates next to the snake_case names are signed and tolerated", async () => {
    const { status, json } = await call('/authentication_requests/initiate', {
      method: 'POST',
      params: [
        ['pairing_id', paired().pairingId],
        ['terminal_name', 'java box'],
        ['action_name', 'Log In'],
        ['terminalName', 'java box'],
        ['actionName', 'Log In'],
        ['requesterSpecifiedId', ''],
      ],
    });
    expect(status).toBe(201);
    expect(json).toMatchObject({ terminal: { name: 'java box' }, action: { name: 'Log In' } });
  });
});

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 Appendix B, SHA-1, seed "12345678901234567890": the 8-digit values; the emulator sends
  // the 6-digit truncation (the value mod 10^6).
  const RFC_SEED = Buffer.from('12345678901234567890', 'ascii');
  const VECTORS: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];

  it('matches the Appendix B vectors, truncated to 6 digits', () => {
    for (const [seconds, eight] of VECTORS)
      expect(totp(RFC_SEED, seconds * 1000), String(seconds)).toBe(eight.slice(2));
  });

  it('the phone route gives the pairing TOTP at the emulator clock; it grants once, not twice', async () => {
    emulator.clock.set(1_111_111_111_000);
    const user = f.users.otpRequired;
    const phone = (await (await fetch(`${base}/_emulator/pairings/${user.pairingId}/otp`)).json()) as {
      otp: string;
    };
    expect(phone.otp).toBe(totp(Buffer.from(user.totpSecretHex, 'hex'), emulator.clock.now()));
    const initiate = (otp: string) =>
      call('/authentication_requests/initiate', {
        method: 'POST',
        params: [
          ['user_name', user.username],
          ['otp', otp],
        ],
      });
    expect((await initiate(phone.otp)).json).toMatchObject({ pending: false, granted: true });
    // RFC 6238 §5.2: an OTP accepted once is not accepted again, nor an older one within the drift.
    expect((await initiate(phone.otp)).json).toMatchObject({ pending: false, granted: false });
    const previous = totp(Buffer.from(user.totpSecretHex, 'hex'), emulator.clock.now(), -1);
    expect((await initiate(previous)).json).toMatchObject({ granted: false });
    emulator.clock.advance(30_000);
    const next = totp(Buffer.from(user.totpSecretHex, 'hex'), emulator.clock.now());
    expect((await initiate(next)).json).toMatchObject({ pending: false, granted: true });
  });

  it('otp_auth refuses a wrong code and a reused one', async () => {
    const user = f.users.paired;
    const start = () =>
      call('/authentication_requests/initiate', { method: 'POST', params: [['user_name', user.username]] });
    const otp = totp(Buffer.from(user.totpSecretHex, 'hex'), emulator.clock.now());
    const wrong = otp === '000000' ? '111111' : '000000';
    const answer = async (code: string) => {
      const { id } = (await start()).json as { id: string };
      return (
        await call(`/authentication_requests/${id}/otp_auth`, { method: 'POST', params: [['otp', code]] })
      ).json;
    };
    expect(await answer(wrong)).toMatchObject({ pending: false, granted: false });
    expect(await answer(otp)).toMatchObject({ pending: false, granted: true });
    expect(await answer(otp)).toMatchObject({ pending: false, granted: false });
  });
});

describe('unknown routes', () => {
  it('answer a signed request for a path Toopher does not have in its {error_code, error_message} shape', async () => {
    const { status, json } = await call('/v1/no-such-route');
    expect(status).toBe(404);
    expect(json).toEqual({
      error_code: 404,
      error_message: 'No such route for GET /toopher/v1/no-such-route',
    });
  });

  it('check the OAuth signature before saying a path does not exist', async () => {
    const { status, json } = await call('/v1/no-such-route', { secret: 'wrong' });
    expect(status).toBe(401);
    expect(json).toMatchObject({ error_code: 401 });
  });
});
