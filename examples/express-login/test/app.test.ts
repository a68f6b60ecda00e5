import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  type AuthProvider,
  type AuthResult,
  ConfigurationError,
  createAuth,
  InvalidCredentialError,
  NetworkError,
  ProviderRequestError,
  TimeoutError,
} from '@authbridge/core';
import type { ToopherChallengeInput } from '@authbridge/toopher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { challengeInputs } from '../src/providers.js';
import { createSessions } from '../src/session.js';

const API_KEY = 'sk_test_configured_secret_value';
const GOOD = 'good-token-0123456789abcdef';
const LEAKY = 'leaky-token-0123456789abcdef';
let logouts: string[] = [];

/** A provider whose answer depends on the token, so each error class can be reached through HTTP. */
const tokenProvider: AuthProvider<'token', string> & { logout(subject: string): Promise<void> } = {
  id: 'token',
  async verify(token): Promise<AuthResult<'token'>> {
    if (token === GOOD)
      return { provider: 'token', subject: 'user-1', username: 'ada', claims: { raw: token } };
    if (token === LEAKY)
      throw new InvalidCredentialError('ERR_CREDENTIAL_REJECTED', `Token ${token} is revoked.`);
    if (token === 'down')
      throw new ProviderRequestError(`Upstream failed for key ${API_KEY}.`, { status: 503 });
    if (token === 'offline') throw new NetworkError('The provider could not be reached.');
    if (token === 'slow') throw new TimeoutError('The provider did not answer in time.');
    if (token === 'misconfigured') throw new ConfigurationError('The API key is missing.');
    if (token === 'crash') throw new Error(`internal detail ${API_KEY}`);
    throw new InvalidCredentialError('ERR_CREDENTIAL_SIGNATURE', 'The token signature does not verify.');
  },
  async logout(subject) {
    logouts.push(subject);
  },
};

const challengeProvider = {
  id: 'nonce' as const,
  async createChallenge(input: { address: string }) {
    return { provider: 'nonce' as const, id: 'n-1', message: `Sign in as ${input.address}`, data: {} };
  },
  async verify(credential: { address: string; signature: string }): Promise<AuthResult<'nonce'>> {
    if (credential.signature !== 'signed:n-1') {
      throw new InvalidCredentialError('ERR_CREDENTIAL_SIGNATURE', 'The signature does not match.');
    }
    return {
      provider: 'nonce',
      subject: credential.address,
      wallet: { chain: 'test', address: credential.address },
      claims: {},
    };
  },
};

/** Like Toopher: the credential only names the challenge, so the server must bind it to the browser. */
let pushCount = 0;
const pushProvider = {
  id: 'push' as const,
  async createChallenge(_input: { username: string }) {
    pushCount += 1;
    return { provider: 'push' as const, id: `request-${pushCount}`, data: {} };
  },
  async verify(credential: { requestId: string }): Promise<AuthResult<'push'>> {
    return { provider: 'push', subject: `approved:${credential.requestId}`, claims: {} };
  },
};

let base = '';
let close: () => void = () => {};
const logged: string[] = [];

beforeAll(async () => {
  const app = createApp({
    auth: createAuth({ providers: [tokenProvider, challengeProvider, pushProvider] }),
    challengeIdOf: { push: (credential) => (credential as { requestId?: unknown }).requestId },
    challengeInputs: {
      nonce: (body) => ({ address: body.address }),
      push: (body) => ({ username: body.username }),
    },
    publicOrigin: 'http://127.0.0.1',
    sessions: createSessions(),
    secrets: [API_KEY],
    log: (line) => logged.push(line),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const sessionCookie = (res: Response) =>
  res.headers.getSetCookie().find((c) => c.startsWith('authbridge_session='));

describe('login routes', () => {
  it('lists the configured providers and their steps', async () => {
    const res = await fetch(`${base}/api/providers`);
    expect(await res.json()).toEqual({
      providers: [
        { id: 'token', challenge: false, logout: true },
        { id: 'nonce', challenge: true, logout: false },
        { id: 'push', challenge: true, logout: false },
      ],
    });
  });

  it('issues an httpOnly, SameSite=Lax session that /me reads back, without the credential in it', async () => {
    const res = await post('/auth/token/verify', { credential: GOOD });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { provider: 'token', subject: 'user-1', username: 'ada' } });
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const jwt = cookie.split(';')[0]!.split('=')[1]!;
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload).toMatchObject({ sub: 'user-1', provider: 'token', iss: 'authbridge-example' });
    expect(JSON.stringify(payload)).not.toContain(GOOD);

    const me = await fetch(`${base}/me`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ user: { provider: 'token', subject: 'user-1', username: 'ada' } });
  });

  it('runs a challenge provider through the same two routes', async () => {
    const challenge = await (await post('/auth/nonce/challenge', { address: '0xabc' })).json();
    expect(challenge).toEqual({ provider: 'nonce', id: 'n-1', message: 'Sign in as 0xabc' });
    const res = await post('/auth/nonce/verify', {
      credential: { address: '0xabc', signature: `signed:${challenge.id}` },
    });
    expect(await res.json()).toEqual({
      user: { provider: 'nonce', subject: '0xabc', wallet: { chain: 'test', address: '0xabc' } },
    });
  });

  it('finishes a challenge only in the browser that started it', async () => {
    const cookieOf = (res: Response) =>
      res.headers
        .getSetCookie()
        .find((c) => c.startsWith('authbridge_challenge='))!
        .split(';')[0]!;
    const mine = await post('/auth/push/challenge', { username: 'ada' });
    const myChallenge = (await mine.json()).id as string;
    const myCookie = cookieOf(mine);
    const theirs = await post('/auth/push/challenge', { username: 'ada' });
    const theirChallenge = (await theirs.json()).id as string;

    const noCookie = await post('/auth/push/verify', { credential: { requestId: myChallenge } });
    expect([noCookie.status, (await noCookie.json()).code]).toEqual([401, 'ERR_CHALLENGE_MISMATCH']);
    const stolen = await post(
      '/auth/push/verify',
      { credential: { requestId: theirChallenge } },
      { cookie: myCookie },
    );
    expect([stolen.status, (await stolen.json()).code]).toEqual([401, 'ERR_CHALLENGE_MISMATCH']);
    expect(sessionCookie(stolen)).toBeUndefined();

    const ok = await post(
      '/auth/push/verify',
      { credential: { requestId: myChallenge } },
      { cookie: myCookie },
    );
    expect(ok.status).toBe(200);
    expect((await ok.json()).user.subject).toBe(`approved:${myChallenge}`);
    expect(ok.headers.getSetCookie().find((c) => c.startsWith('authbridge_challenge='))).toMatch(
      /Expires=Thu, 01 Jan 1970/,
    );
  });

  it.each([
    ['bad-signature', 401, 'ERR_CREDENTIAL_SIGNATURE'],
    ['down', 502, 'ERR_PROVIDER_SERVER'],
    ['offline', 503, 'ERR_NETWORK'],
    ['slow', 504, 'ERR_TIMEOUT'],
    ['misconfigured', 500, 'ERR_CONFIG'],
    ['crash', 500, 'ERR_INTERNAL'],
  ])('answers a %s credential with %i %s and no session', async (token, status, code) => {
    const res = await post('/auth/token/verify', { credential: token });
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.code).toBe(code);
    expect(typeof body.message).toBe('string');
    expect(Object.keys(body)).toEqual(['code', 'message']);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('keeps configured secrets and the credential out of error bodies and logs', async () => {
    const leaky = await post('/auth/token/verify', { credential: LEAKY });
    const leakyText = await leaky.text();
    expect(leaky.status).toBe(401);
    expect(leakyText).toContain('[REDACTED]');
    expect(leakyText).not.toContain(LEAKY);
    const upstream = await (await post('/auth/token/verify', { credential: 'down' })).text();
    const crash = await (await post('/auth/token/verify', { credential: 'crash' })).text();
    // The crash was logged (the check below would pass on an empty log otherwise).
    expect(logged.length).toBeGreaterThan(0);
    for (const text of [upstream, crash, ...logged]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(LEAKY);
    }
  });

  it('rejects unknown providers, missing credentials, bad JSON and a challenge the provider lacks', async () => {
    const unknown = await post('/auth/nope/verify', { credential: 'x' });
    expect([unknown.status, (await unknown.json()).code]).toEqual([404, 'ERR_UNKNOWN_PROVIDER']);
    const missing = await post('/auth/token/verify', {});
    expect([missing.status, (await missing.json()).code]).toEqual([400, 'ERR_BAD_REQUEST']);
    const broken = await post('/auth/token/verify', '{"credential":');
    expect([broken.status, (await broken.json()).code]).toEqual([400, 'ERR_BAD_REQUEST']);
    const noStep = await post('/auth/token/challenge', {});
    expect([noStep.status, (await noStep.json()).code]).toEqual([400, 'ERR_NO_CHALLENGE_STEP']);
  });

  it('refuses /me without a session or with a tampered one', async () => {
    const none = await fetch(`${base}/me`);
    expect([none.status, (await none.json()).code]).toEqual([401, 'ERR_SESSION_MISSING']);
    const cookie = sessionCookie(await post('/auth/token/verify', { credential: GOOD }))!.split(';')[0]!;
    const [header, payload, signature] = cookie.split('=')[1]!.split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'admin', provider: 'token', iss: 'authbridge-example' }),
    ).toString('base64url');
    expect(payload).not.toBe(forged);
    const tampered = await fetch(`${base}/me`, {
      headers: { cookie: `authbridge_session=${header}.${forged}.${signature}` },
    });
    expect([tampered.status, (await tampered.json()).code]).toEqual([401, 'ERR_SESSION_INVALID']);
  });

  it('signs out: clears the cookie and ends the session at a provider that can', async () => {
    logouts = [];
    const cookie = sessionCookie(await post('/auth/token/verify', { credential: GOOD }))!.split(';')[0]!;
    const res = await post('/auth/logout', {}, { cookie });
    expect(await res.json()).toEqual({ signedOut: true });
    expect(sessionCookie(res)).toMatch(/authbridge_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(logouts).toEqual(['user-1']);
  });
});

describe('state-changing routes take JSON only (login CSRF)', () => {
  it.each([
    ['text/plain', `{"credential":"${GOOD}"}`],
    ['application/x-www-form-urlencoded', `credential=${GOOD}`],
    [
      'multipart/form-data; boundary=x',
      `--x\r\ncontent-disposition: form-data; name="credential"\r\n\r\n${GOOD}\r\n--x--`,
    ],
  ])('answers a %s post with 415 and no session', async (type, body) => {
    const res = await fetch(`${base}/auth/token/verify`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    expect([res.status, (await res.json()).code]).toEqual([415, 'ERR_UNSUPPORTED_MEDIA_TYPE']);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('refuses a challenge or a logout without a JSON content type', async () => {
    const challenge = await fetch(`${base}/auth/push/challenge`, {
      method: 'POST',
      body: '{"username":"ada"}',
    });
    expect([challenge.status, (await challenge.json()).code]).toEqual([415, 'ERR_UNSUPPORTED_MEDIA_TYPE']);
    const logout = await fetch(`${base}/auth/logout`, { method: 'POST' });
    expect(logout.status).toBe(415);
  });

  it('accepts application/json with a charset', async () => {
    const res = await post(
      '/auth/token/verify',
      { credential: GOOD },
      { 'content-type': 'application/json; charset=utf-8' },
    );
    expect(res.status).toBe(200);
  });
});

describe('challenge inputs are built on the server', () => {
  const inputs: { provider: string; input: unknown }[] = [];
  const recording = <Id extends string>(id: Id) => ({
    id,
    async createChallenge(input: unknown) {
      inputs.push({ provider: id, input });
      return { provider: id, id: `${id}-${inputs.length}`, message: 'sign this', data: {} };
    },
    async verify(): Promise<AuthResult<Id>> {
      throw new InvalidCredentialError('ERR_CREDENTIAL_REJECTED', 'Not in this test.');
    },
  });
  let origin = '';
  let stop: () => void = () => {};

  beforeAll(async () => {
    const app = createApp({
      auth: createAuth({ providers: [recording('picket'), recording('toopher'), recording('other')] }),
      challengeInputs,
      publicOrigin: 'https://login.example',
      sessions: createSessions({ secure: false }),
      log: () => {},
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stop = () => server.close();
  });
  afterAll(() => stop());

  const challenge = async (provider: string, body: unknown, cookie?: string) => {
    inputs.length = 0;
    const res = await fetch(`${origin}/auth/${provider}/challenge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    return { res, input: inputs[0]?.input };
  };
  const browserCookieOf = (res: Response) =>
    res.headers.getSetCookie().find((c) => c.startsWith('authbridge_browser='));
  const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

  it('gives Toopher only the username: the terminal is this browser, client terminal, action and extras are ignored', async () => {
    const { res, input } = await challenge('toopher', {
      username: 'victim',
      terminal: { name: 'Work laptop', requesterSpecifiedId: 'victims-terminal' },
      action: 'Transfer',
      pairingId: 'p-1',
      extras: { automation_allowed: true, user_name: 'someone', requester_specified_terminal_id: 'x' },
    });
    expect(res.status).toBe(200);
    const cookie = browserCookieOf(res)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Path=\/auth/);
    const token = cookie.split(';')[0]!.split('=')[1]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The provider sees the hash of the cookie, never the cookie itself.
    const terminalId = sha256Hex(token);
    expect(input).toEqual({
      username: 'victim',
      terminal: { name: `Web browser ${terminalId.slice(0, 8)}`, requesterSpecifiedId: terminalId },
    });
  });

  it('names the same terminal for the same browser and another for another browser', async () => {
    const first = await challenge('toopher', { username: 'ada' });
    const cookie = browserCookieOf(first.res)!.split(';')[0]!;
    const again = await challenge('toopher', { username: 'ada' }, cookie);
    const other = await challenge('toopher', { username: 'ada' });
    const terminalOf = (input: unknown) =>
      (input as ToopherChallengeInput & { terminal: { requesterSpecifiedId: string } }).terminal
        .requesterSpecifiedId;
    expect(terminalOf(again.input)).toBe(terminalOf(first.input));
    expect(terminalOf(other.input)).not.toBe(terminalOf(first.input));
    // A cookie the server did not draw (here, a chosen terminal id) is replaced, not hashed as sent.
    const chosen = await challenge('toopher', { username: 'ada' }, 'authbridge_browser=victims-terminal');
    expect(browserCookieOf(chosen.res)).not.toContain('victims-terminal');
    expect(terminalOf(chosen.input)).not.toBe(sha256Hex('victims-terminal'));
  });

  it("gives Picket the chain and wallet only, with the SIWE domain and uri of the server's origin", async () => {
    const { res, input } = await challenge('picket', {
      chain: 'ethereum',
      walletAddress: '0xabc',
      locale: 'fr',
      siwe: { domain: 'evil.example', uri: 'https://evil.example/login', chainId: 5 },
    });
    expect(res.status).toBe(200);
    expect(input).toEqual({
      chain: 'ethereum',
      walletAddress: '0xabc',
      siwe: { domain: 'login.example', uri: 'https://login.example' },
    });
  });

  it.each([
    ['toopher', {}],
    ['toopher', { username: ['victim'] }],
    ['picket', { chain: 'ethereum' }],
  ])(
    'answers %s without its allowed fields with 400 before the provider is called',
    async (provider, body) => {
      const { res, input } = await challenge(provider, body);
      expect([res.status, (await res.json()).code]).toEqual([400, 'ERR_BAD_REQUEST']);
      expect(input).toBeUndefined();
    },
  );

  it('offers no challenge step for a provider without an input builder', async () => {
    const list = await (await fetch(`${origin}/api/providers`)).json();
    expect(list.providers.find((p: { id: string }) => p.id === 'other')).toEqual({
      id: 'other',
      challenge: false,
      logout: false,
    });
    const { res, input } = await challenge('other', { anything: true });
    expect([res.status, (await res.json()).code]).toEqual([400, 'ERR_NO_CHALLENGE_STEP']);
    expect(input).toBeUndefined();
  });
});
