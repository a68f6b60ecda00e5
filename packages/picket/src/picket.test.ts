import {
  type AuthBridgeErrorCode,
  createAuth,
  createMemoryStore,
  type HttpEvent,
  isAuthBridgeError,
} from '@authbridge/core';
import { rejectionOf as errorOf } from '@authbridge/test-utils';
import fc from 'fast-check';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  type AuthRequirements,
  PICKET_BASE_URL,
  PICKET_CHALLENGE_TTL_MS,
  type PicketCredential,
  picket,
} from './index.js';

const ORIGIN = 'https://picketapi.com';
const BASE = '/api/v1';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'ES256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJl`;
}

/** A simple-format challenge for `walletAddress`, issued through a mocked nonce reply. */
async function issued(
  provider: ReturnType<typeof picket>,
  walletAddress: string,
  extra: { chain?: string; requirements?: AuthRequirements } = {},
) {
  nock(ORIGIN)
    .post(`${BASE}/auth/nonce`)
    .reply(200, { nonce: 'a1b2c3d4e5f6a7b8', statement: 'Sign in with your wallet', format: 'simple' });
  return provider.createChallenge({ chain: extra.chain ?? 'ethereum', walletAddress, ...extra });
}

// picket-python tests/test_picket.py (spec §8.1): key `api_key`, so `Basic YXBpX2tleTo=`.
describe('picket-python cases (spec §8.1)', () => {
  const user = {
    chain: 'chain',
    walletAddress: 'wallet_address',
    displayAddress: 'display_address',
    tokenBalances: { contractAddress: { '0x12345': '1' } },
  };
  const requirements = { requirements: 'requirements' } as unknown as AuthRequirements;
  const api = () =>
    nock(ORIGIN, { reqheaders: { authorization: 'Basic YXBpX2tleTo=', 'content-type': 'application/json' } });
  const client = () => picket({ apiKey: 'api_key' });

  it('uses the production base URL', () => {
    expect(PICKET_BASE_URL).toBe('https://picketapi.com/api/v1');
  });

  it('nonce', async () => {
    const scope = api()
      .post(`${BASE}/auth/nonce`, { walletAddress: 'wallet_address', chain: 'chain', locale: 'locale' })
      .reply(200, { nonce: 'nonce', statement: 'statement', format: 'format' });
    const reply = await client().nonce({ chain: 'chain', walletAddress: 'wallet_address', locale: 'locale' });
    expect(reply).toEqual({ nonce: 'nonce', statement: 'statement', format: 'format' });
    expect(scope.isDone()).toBe(true);
  });

  it('auth', async () => {
    const scope = api()
      .post(`${BASE}/auth`, {
        chain: 'chain',
        walletAddress: 'wallet_address',
        signature: 'signature',
        requirements: { requirements: 'requirements' },
        context: { context: 'context' },
      })
      .reply(200, { user, accessToken: 'xxx.yyy.zzz' });
    const reply = await client().auth({
      chain: 'chain',
      walletAddress: 'wallet_address',
      signature: 'signature',
      requirements,
      context: { context: 'context' } as never,
    });
    expect(reply).toEqual({ user, accessToken: 'xxx.yyy.zzz' });
    expect(scope.isDone()).toBe(true);
  });

  it('authz', async () => {
    const scope = api()
      .post(`${BASE}/authz`, {
        accessToken: 'xxx.yyy.zzz',
        requirements: { requirements: 'requirements' },
        revalidate: true,
      })
      .reply(200, { user, accessToken: 'aaa.bbb.ccc' });
    const reply = await client().authz({ accessToken: 'xxx.yyy.zzz', requirements, revalidate: true });
    expect(reply.accessToken).toBe('aaa.bbb.ccc');
    expect(reply.user).toEqual(user);
    expect(scope.isDone()).toBe(true);
  });

  it('authz sends revalidate false by default', async () => {
    const scope = api()
      .post(`${BASE}/authz`, {
        accessToken: 'xxx.yyy.zzz',
        requirements: { contractAddress: '0xContract' },
        revalidate: false,
      })
      .reply(200, { user, accessToken: 'aaa.bbb.ccc' });
    await client().authz({ accessToken: 'xxx.yyy.zzz', requirements: { contractAddress: '0xContract' } });
    expect(scope.isDone()).toBe(true);
  });

  it('validate', async () => {
    const scope = api()
      .post(`${BASE}/auth/validate`, {
        accessToken: 'xxx.yyy.zzz',
        requirements: { requirements: 'requirements' },
      })
      .reply(200, user);
    expect(await client().validate('xxx.yyy.zzz', requirements)).toEqual(user);
    expect(scope.isDone()).toBe(true);
  });

  it('token ownership (flat body; numeric balances become strings)', async () => {
    const scope = api()
      .post(`${BASE}/chains/chain/wallets/wallet_address/tokenOwnership`, { tokenIds: [1, 2, 3, 4, 5] })
      .reply(200, { allowed: false, tokenBalances: { token_ids: { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 } } });
    const reply = await client().tokenOwnership({
      chain: 'chain',
      walletAddress: 'wallet_address',
      requirements: { tokenIds: [1, 2, 3, 4, 5] as unknown as string[] },
    });
    expect(reply.allowed).toBe(false);
    expect(reply.tokenBalances).toEqual({ token_ids: { 1: '1', 2: '2', 3: '3', 4: '4', 5: '5' } });
    expect(scope.isDone()).toBe(true);
  });

  it('error: a { code, msg } body keeps msg and code', async () => {
    api().post(`${BASE}/authz`).reply(400, { code: 'code', msg: 'message' });
    const error = await errorOf(
      client().authz({ accessToken: 'xxx.yyy.zzz', requirements, revalidate: true }),
    );
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_BAD_REQUEST')).toBe(true);
    expect(error.providerCode).toBe('code');
    expect(error.data).toEqual({ msg: 'message' });
    expect(error.message).toContain('message');
  });

  it('unknown error: a 500 with a JSON string keeps the string, and authz is not retried', async () => {
    const scope = api().post(`${BASE}/authz`).times(1).reply(500, JSON.stringify('something went wrong.'));
    const error = await errorOf(
      client().authz({ accessToken: 'xxx.yyy.zzz', requirements, revalidate: true }),
    );
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_SERVER')).toBe(true);
    expect(error.message).toContain('something went wrong.');
    expect(error.data).toEqual({ msg: 'something went wrong.' });
    expect(scope.isDone()).toBe(true);
  });
});

// picket-go picket_test.go (spec §8.2). Its test server checks the r.BasicAuth() user name, the
// Content-Type, the method and the path: nock's reqheaders check the first two, and an interceptor
// matches only its own method and exact path, so a request that differs in any of them gets no reply.
describe('picket-go cases (spec §8.2)', () => {
  const client = () => picket({ apiKey: 'YOUR_API_KEY' });
  /** Go's r.BasicAuth(): `Basic ` then base64 of `user:password`; the user must be the key. */
  const basicUserIs = (user: string) => (value: string) => {
    const match = /^basic (.+)$/i.exec(value);
    if (!match) return false;
    const decoded = Buffer.from(match[1] as string, 'base64').toString();
    return decoded.includes(':') && decoded.slice(0, decoded.indexOf(':')) === user;
  };
  const api = () =>
    nock(ORIGIN, {
      reqheaders: { authorization: basicUserIs('YOUR_API_KEY'), 'content-type': 'application/json' },
    });
  const goUser = { chain: 'ethereum', walletAddress: '0x1234567890', displayAddress: 'my.name.eth' };

  it('nonce', async () => {
    const scope = api()
      .post(`${BASE}/auth/nonce`)
      .reply(200, { nonce: 'abcdefghijklmnop', statement: 'Woo', format: 'siwe' });
    expect(await client().nonce({ chain: 'ethereum', walletAddress: '0x1234567890' })).toEqual({
      nonce: 'abcdefghijklmnop',
      statement: 'Woo',
      format: 'siwe',
    });
    expect(scope.isDone()).toBe(true);
  });

  it("the server's checks refuse another key, content type, method or path", async () => {
    const scope = api()
      .post(`${BASE}/auth/nonce`)
      .reply(200, { nonce: 'abcdefghijklmnop', statement: 'Woo', format: 'siwe' });
    const send = (change: { key?: string; contentType?: string; method?: string; path?: string }) =>
      fetch(`${ORIGIN}${BASE}${change.path ?? '/auth/nonce'}`, {
        method: change.method ?? 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${change.key ?? 'YOUR_API_KEY'}:`).toString('base64')}`,
          'content-type': change.contentType ?? 'application/json',
        },
        body: '{}',
      }).then(
        () => 'answered',
        () => 'refused',
      );
    expect(await send({ key: 'NOT_YOUR_KEY' })).toBe('refused');
    expect(await send({ contentType: 'text/plain' })).toBe('refused');
    expect(await send({ method: 'PUT' })).toBe('refused');
    expect(await send({ path: '/auth' })).toBe('refused');
    expect(scope.isDone()).toBe(false);
    expect(await send({})).toBe('answered');
    expect(scope.isDone()).toBe(true);
  });

  it('auth and authz: a user without tokenBalances gets {}', async () => {
    const scope = api()
      .post(`${BASE}/auth`)
      .reply(200, { user: goUser, accessToken: 'xxx.yyy.zzz' })
      .post(`${BASE}/authz`)
      .reply(200, { user: goUser, accessToken: 'xxx.yyy.zzz' });
    const auth = await client().auth({
      chain: 'ethereum',
      walletAddress: '0x1234567890',
      signature: '0xsig',
    });
    expect(auth).toEqual({ user: { ...goUser, tokenBalances: {} }, accessToken: 'xxx.yyy.zzz' });
    const authz = await client().authz({
      accessToken: 'xxx.yyy.zzz',
      requirements: { contractAddress: '0xContract' },
    });
    expect(authz.user.displayAddress).toBe('my.name.eth');
    expect(scope.isDone()).toBe(true);
  });

  it('validate sends the access token', async () => {
    const scope = api()
      .post(`${BASE}/auth/validate`, (body: { accessToken?: string }) => body.accessToken === 'xxx.yyy.zzz')
      .reply(200, goUser);
    expect((await client().validate('xxx.yyy.zzz')).walletAddress).toBe('0x1234567890');
    expect(scope.isDone()).toBe(true);
  });

  it('token ownership on solana with a flat balance map', async () => {
    const scope = api()
      .post(`${BASE}/chains/solana/wallets/0x1234567890/tokenOwnership`, {
        contractAddress: '0xContract',
        minTokenBalance: '100',
      })
      .reply(200, { allowed: true, tokenBalances: { '0x1234567890': '100' } });
    const reply = await client().tokenOwnership({
      chain: 'solana',
      walletAddress: '0x1234567890',
      requirements: { contractAddress: '0xContract', minTokenBalance: '100' },
    });
    expect(reply).toEqual({ allowed: true, tokenBalances: { '0x1234567890': '100' } });
    expect(scope.isDone()).toBe(true);
  });

  it('error: a 400 { msg, code } is a typed error with the code', async () => {
    const scope = api()
      .post(`${BASE}/auth/nonce`)
      .reply(400, { msg: 'Oh no! An error', code: 'testing_error' });
    const error = await errorOf(client().nonce({ chain: 'ethereum', walletAddress: '0x1234567890' }));
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_BAD_REQUEST')).toBe(true);
    expect(error.providerCode).toBe('testing_error');
    expect(scope.isDone()).toBe(true);
  });
});

describe('transport: failures, retries, secrets', () => {
  const API_KEY = 'sk_live_0123456789abcdef';
  const BASIC = Buffer.from(`${API_KEY}:`).toString('base64');

  function expectNoSecret(value: unknown, events: HttpEvent[] = []): void {
    const text = `${String((value as Error)?.message)} ${JSON.stringify(value)} ${JSON.stringify(events)}`;
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(BASIC);
  }

  it('never retries the nonce, even on a 503 with Retry-After', async () => {
    const scope = nock(ORIGIN)
      .post(`${BASE}/auth/nonce`)
      .times(1)
      .reply(503, { msg: 'down' }, { 'retry-after': '0' });
    const error = await errorOf(
      picket({ apiKey: API_KEY }).nonce({ chain: 'ethereum', walletAddress: '0xabc' }),
    );
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_SERVER')).toBe(true);
    expect(error.retryAfter).toBe(0);
    expect(scope.isDone()).toBe(true);
  });

  it('retries validate (idempotent) after a 503, then succeeds', async () => {
    nock(ORIGIN).post(`${BASE}/auth/validate`).reply(503, { msg: 'down' }, { 'retry-after': '0' });
    nock(ORIGIN)
      .post(`${BASE}/auth/validate`)
      .reply(200, { chain: 'ethereum', walletAddress: '0xabc', displayAddress: '0xabc' });
    const claims = await picket({ apiKey: API_KEY, retry: { baseDelay: 1 } }).validate('a.b.c');
    expect(claims.walletAddress).toBe('0xabc');
  });

  it('maps 401, 429 and 404 with Picket codes, never showing the key', async () => {
    const events: HttpEvent[] = [];
    const provider = picket({
      apiKey: API_KEY,
      retry: false,
      hooks: { onError: (e) => events.push(e), onRequest: (e) => events.push(e) },
    });
    nock(ORIGIN)
      .post(`${BASE}/auth/nonce`)
      .reply(401, { msg: `Invalid project key ${API_KEY}`, code: 'api_key_invalid' });
    const unauthorized = await errorOf(provider.nonce({ chain: 'ethereum', walletAddress: '0xabc' }));
    expect(isAuthBridgeError(unauthorized, 'ERR_PROVIDER_UNAUTHORIZED')).toBe(true);
    expect(unauthorized.providerCode).toBe('api_key_invalid');
    expectNoSecret(unauthorized, events);

    nock(ORIGIN).get(`${BASE}/chains`).reply(429, { msg: 'slow down' }, { 'retry-after': '7' });
    const limited = await errorOf(provider.chains());
    expect(isAuthBridgeError(limited, 'ERR_PROVIDER_RATE_LIMITED')).toBe(true);
    expect(limited.retryAfter).toBe(7);

    nock(ORIGIN)
      .get(`${BASE}/chains/nope`)
      .reply(404, { msg: 'Chain nope not found', code: 'resource_not_found' });
    const missing = await errorOf(provider.chain('nope'));
    expect(isAuthBridgeError(missing, 'ERR_PROVIDER_NOT_FOUND')).toBe(true);
    expect(missing.providerCode).toBe('resource_not_found');
  });

  it('reports a non-JSON body, a schema mismatch, a dropped connection and a timeout as typed errors', async () => {
    const provider = picket({ apiKey: API_KEY, retry: false, timeout: 1000 });
    nock(ORIGIN).get(`${BASE}/chains`).reply(200, '<html>oops</html>');
    expect(isAuthBridgeError(await errorOf(provider.chains()), 'ERR_UNEXPECTED_RESPONSE')).toBe(true);

    nock(ORIGIN)
      .post(`${BASE}/auth`)
      .reply(200, { accessToken: 'secret.access.token', user: { chain: 'ethereum' } });
    const mismatch = await errorOf(
      provider.auth({ chain: 'ethereum', walletAddress: '0xabc', signature: '0x00' }),
    );
    expect(isAuthBridgeError(mismatch, 'ERR_UNEXPECTED_RESPONSE')).toBe(true);
    expect(`${mismatch.message} ${JSON.stringify(mismatch)} ${String(mismatch.bodyExcerpt)}`).not.toContain(
      'secret.access.token',
    );

    nock(ORIGIN).post(`${BASE}/auth/nonce`).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const dropped = await errorOf(provider.nonce({ chain: 'ethereum', walletAddress: '0xabc' }));
    expect(isAuthBridgeError(dropped, 'ERR_NETWORK')).toBe(true);
    expectNoSecret(dropped);

    nock(ORIGIN).get(`${BASE}/chains/ethereum`).delay(3000).reply(200, {});
    expect(isAuthBridgeError(await errorOf(provider.chain('ethereum')), 'ERR_TIMEOUT')).toBe(true);
  });

  it("hides the call's access token or signature when Picket's msg or body repeats it", async () => {
    const token = jwt({
      chain: 'ethereum',
      walletAddress: '0xabc',
      displayAddress: '0xabc',
      tokenBalances: {},
      exp: 4_102_444_800,
    });
    const signature = `0x${'ab'.repeat(65)}`;
    const events: HttpEvent[] = [];
    const provider = picket({
      apiKey: API_KEY,
      retry: false,
      hooks: { onError: (e) => events.push(e), onRequest: (e) => events.push(e) },
    });
    const expectHidden = (error: unknown, secret: string) => {
      const text = `${String((error as Error).message)} ${JSON.stringify(error)} ${JSON.stringify(
        (error as { data?: unknown }).data,
      )} ${JSON.stringify(events)} ${String((error as { cause?: Error }).cause?.message)}`;
      expect(text).not.toContain(secret);
      expect(text).toContain('[REDACTED]');
    };

    nock(ORIGIN)
      .post(`${BASE}/auth/validate`)
      .reply(401, { msg: `Invalid access token ${token}`, code: 'authentication_required' });
    const rejected = await errorOf(provider.verifyAccessToken(token));
    expect(isAuthBridgeError(rejected, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    expect(rejected.data).toEqual({ msg: 'Invalid access token [REDACTED]' });
    expectHidden(rejected, token);

    nock(ORIGIN)
      .post(`${BASE}/authz`)
      .reply(400, { msg: `token ${token} has no such balance`, code: 'parameter_invalid' });
    const authz = await errorOf(provider.authz({ accessToken: token, requirements: { tokenIds: ['m'] } }));
    expect(isAuthBridgeError(authz, 'ERR_PROVIDER_BAD_REQUEST')).toBe(true);
    expectHidden(authz, token);

    nock(ORIGIN).post(`${BASE}/auth/validate`).reply(502, `<html>upstream refused ${token}</html>`);
    const server = await errorOf(provider.validate(token));
    expect(isAuthBridgeError(server, 'ERR_PROVIDER_SERVER')).toBe(true);
    expectHidden(server, token);

    nock(ORIGIN)
      .post(`${BASE}/auth`)
      .reply(401, { msg: `Invalid signature ${signature}`, code: 'authentication_required' });
    const challenge = await issued(provider, `0x${'1'.repeat(40)}`);
    const bad = await errorOf(provider.verify({ challengeId: challenge.id, signature }));
    expect(isAuthBridgeError(bad, 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
    expectHidden(bad, signature);
    expectNoSecret(bad, events);
  });

  it('rejects a missing or blank API key with ERR_CONFIG', () => {
    for (const apiKey of [undefined, '', '  ', 'sk with space']) {
      let caught: unknown;
      try {
        picket({ apiKey } as never);
      } catch (error) {
        caught = error;
      }
      expect(isAuthBridgeError(caught, 'ERR_CONFIG'), String(apiKey)).toBe(true);
    }
  });
});

describe('the AuthProvider surface (nock)', () => {
  const provider = (now = () => Date.parse('2024-01-01T00:00:00Z')) =>
    picket({ apiKey: 'sk_test_key', retry: false, now });
  const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

  it('verify rejects credentials of the wrong form without a request', async () => {
    const scope = nock(ORIGIN)
      .post(`${BASE}/auth`)
      .reply(200, { accessToken: 'a.b.c', user: { chain: 'ethereum', walletAddress: ADDRESS } });
    const client = provider();
    const evm = await issued(client, ADDRESS, { chain: 'polygon' });
    const sol = await issued(client, 'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z', { chain: 'solana' });
    const cases: [string, unknown][] = [
      ['an empty signature', { challengeId: evm.id, signature: '' }],
      ['a signature that is not a string', { challengeId: evm.id, signature: 7 }],
      ['an over-long signature', { challengeId: evm.id, signature: `0x${'11'.repeat(9000)}` }],
      ['a malformed challenge id', { challengeId: 'not-an-id', signature: '0x00' }],
      ['a credential that is not an object', 'sig'],
      ['an array', [evm.id, '0x00']],
      ['the old shape with a context', { challengeId: evm.id, signature: '0x00', context: {} }],
      ['an EVM signature that is not hex', { challengeId: evm.id, signature: 'zz' }],
      ['a Solana signature that is too short', { challengeId: sol.id, signature: 'short' }],
    ];
    for (const [name, credential] of cases) {
      const error = await errorOf(client.verify(credential as never));
      expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), name).toBe(true);
    }
    // Had any case reached Picket, it would have taken this reply.
    expect(scope.isDone()).toBe(false);
  });

  it('createChallenge refuses a wallet address of the wrong form before asking for a nonce', async () => {
    const scope = nock(ORIGIN).post(`${BASE}/auth/nonce`).reply(200, { nonce: 'n', statement: 's' });
    for (const [chain, walletAddress] of [
      ['ethereum', '0x1234'],
      ['polygon', `${ADDRESS}\n`],
      ['solana', '0xnot-base58'],
      ['', ADDRESS],
    ]) {
      const error = await errorOf(
        provider().createChallenge({ chain: chain as string, walletAddress: walletAddress as string }),
      );
      expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), `${chain} ${walletAddress}`).toBe(true);
    }
    expect(scope.isDone()).toBe(false);
  });

  it('verify sends the server-held chain, wallet, requirements and context; a spent or foreign id is ERR_CREDENTIAL_CHALLENGE', async () => {
    const client = provider();
    const requirements = { contractAddress: '0xc' };
    const challenge = await issued(client, ADDRESS, { chain: 'polygon', requirements });
    const signature = `0x${'11'.repeat(65)}`;
    const user = { chain: 'polygon', walletAddress: ADDRESS, displayAddress: ADDRESS, tokenBalances: {} };
    const scope = nock(ORIGIN)
      .post(`${BASE}/auth`, { chain: 'polygon', walletAddress: ADDRESS, signature, requirements })
      .reply(200, { accessToken: 'a.b.c', user });
    await expect(client.verify({ challengeId: challenge.id, signature })).resolves.toMatchObject({
      subject: `polygon:${ADDRESS}`,
    });
    expect(scope.isDone()).toBe(true);
    const again = nock(ORIGIN).post(`${BASE}/auth`).reply(200, { accessToken: 'a.b.c', user });
    for (const challengeId of [challenge.id, (await issued(provider(), ADDRESS)).id]) {
      const error = await errorOf(client.verify({ challengeId, signature }));
      expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_CHALLENGE')).toBe(true);
    }
    expect(again.isDone()).toBe(false);
  });

  it('a challenge expires after challengeTtlMs (default two minutes); a failing store fails closed', async () => {
    let clock = Date.parse('2024-01-01T00:00:00Z');
    const store = createMemoryStore({ now: () => clock });
    const client = picket({ apiKey: 'sk_test_key', retry: false, challengeStore: store, now: () => clock });
    const challenge = await issued(client, ADDRESS);
    expect(challenge.expiresAt).toEqual(new Date(clock + PICKET_CHALLENGE_TTL_MS));
    clock += PICKET_CHALLENGE_TTL_MS;
    const expired = await errorOf(client.verify({ challengeId: challenge.id, signature: '0x11' }));
    expect(isAuthBridgeError(expired, 'ERR_CREDENTIAL_CHALLENGE')).toBe(true);
    const broken = picket({
      apiKey: 'sk_test_key',
      retry: false,
      challengeStore: { ...store, consume: () => Promise.reject(new Error('redis://u:pw@host down')) },
    });
    const down = await errorOf(broken.verify({ challengeId: challenge.id, signature: '0x11' }));
    expect(isAuthBridgeError(down, 'ERR_STORE')).toBe(true);
    expect(() => picket({ apiKey: 'sk_test_key', challengeTtlMs: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }),
    );
  });

  it('verify maps Picket answers about the credential onto credential codes, keeping Picket code and status', async () => {
    const signature = `0x${'11'.repeat(65)}`;
    const cases = [
      [401, { msg: 'Invalid signature', code: 'authentication_required' }, 'ERR_CREDENTIAL_SIGNATURE'],
      [
        403,
        { msg: "Wallet doesn't hold the necessary tokens to login", code: 'permission_denied' },
        'ERR_CREDENTIAL_REJECTED',
      ],
      [401, { msg: 'Invalid project key', code: 'api_key_invalid' }, 'ERR_PROVIDER_UNAUTHORIZED'],
      [400, { msg: 'chain is required', code: 'parameter_invalid' }, 'ERR_PROVIDER_BAD_REQUEST'],
      [500, { msg: 'Invalid signature store down' }, 'ERR_PROVIDER_SERVER'],
    ] as const;
    for (const [status, body, code] of cases) {
      const client = provider();
      const challenge = await issued(client, ADDRESS);
      nock(ORIGIN).post(`${BASE}/auth`).reply(status, body);
      const error = await errorOf(client.verify({ challengeId: challenge.id, signature }));
      expect(error.code, body.msg).toBe(code);
      expect(error.status).toBe(status);
      if ('code' in body) expect(error.providerCode).toBe(body.code);
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(signature);
    }
  });

  it('verify builds the AuthResult from the reply and the token payload', async () => {
    const exp = Date.parse('2024-01-01T12:00:00Z') / 1000;
    const token = jwt({
      chain: 'ethereum',
      walletAddress: ADDRESS,
      displayAddress: 'x.eth',
      tokenBalances: {},
      exp,
      aud: 'project',
    });
    nock(ORIGIN)
      .post(`${BASE}/auth`)
      .reply(200, {
        accessToken: token,
        user: {
          chain: 'ethereum',
          walletAddress: ADDRESS,
          displayAddress: 'x.eth',
          tokenBalances: { contractAddress: { '0xc': '1' } },
        },
      });
    const client = provider();
    const challenge = await issued(client, ADDRESS);
    const result = await client.verify({ challengeId: challenge.id, signature: `0x${'11'.repeat(65)}` });
    expect(result).toMatchObject({
      provider: 'picket',
      subject: `ethereum:${ADDRESS}`,
      wallet: { chain: 'ethereum', address: ADDRESS },
      expiresAt: new Date(exp * 1000),
    });
    expect(result.claims.tokenBalances).toEqual({ contractAddress: { '0xc': '1' } });
    expect(result.claims.aud).toBe('project');
    expect(result.claims.accessToken).toBe(token);
    expect(Object.keys(result.claims)).not.toContain('accessToken');
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('verifyAccessToken refuses malformed and expired tokens locally, then asks Picket', async () => {
    const now = () => Date.parse('2024-01-01T00:00:00Z');
    const claims = { chain: 'solana', walletAddress: 'W', displayAddress: 'W', tokenBalances: {} };
    for (const token of ['', 'abc', 'a.b', 'a.!!.c', jwt({ chain: 'solana' })]) {
      const error = await errorOf(provider(now).verifyAccessToken(token));
      expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), token).toBe(true);
    }
    const expired = jwt({ ...claims, exp: now() / 1000 - 31 });
    expect(
      isAuthBridgeError(await errorOf(provider(now).verifyAccessToken(expired)), 'ERR_CREDENTIAL_EXPIRED'),
    ).toBe(true);

    const withinSkew = jwt({ ...claims, exp: now() / 1000 - 10 });
    nock(ORIGIN)
      .post(`${BASE}/auth/validate`, { accessToken: withinSkew, requirements: { tokenIds: ['m'] } })
      .reply(200, {
        ...claims,
        exp: now() / 1000 - 10,
      });
    const result = await provider(now).verifyAccessToken(withinSkew, { requirements: { tokenIds: ['m'] } });
    expect(result.subject).toBe('solana:W');

    const valid = jwt({ ...claims, exp: now() / 1000 + 600 });
    nock(ORIGIN)
      .post(`${BASE}/auth/validate`)
      .reply(401, { msg: 'Invalid access token', code: 'authentication_required' });
    expect(
      isAuthBridgeError(await errorOf(provider(now).verifyAccessToken(valid)), 'ERR_CREDENTIAL_REJECTED'),
    ).toBe(true);
    nock(ORIGIN)
      .post(`${BASE}/auth/validate`)
      .reply(401, { msg: 'Access token expired', code: 'authentication_required' });
    expect(
      isAuthBridgeError(await errorOf(provider(now).verifyAccessToken(valid)), 'ERR_CREDENTIAL_EXPIRED'),
    ).toBe(true);
    nock(ORIGIN).post(`${BASE}/auth/validate`).reply(403, { msg: 'no tokens', code: 'permission_denied' });
    expect(
      isAuthBridgeError(await errorOf(provider(now).verifyAccessToken(valid)), 'ERR_CREDENTIAL_REJECTED'),
    ).toBe(true);
  });

  it('createChallenge builds a SIWE message, reading the chain id from GET /chains/{chain}', async () => {
    nock(ORIGIN)
      .post(`${BASE}/auth/nonce`)
      .reply(200, { nonce: 'a1b2c3d4e5f6a7b8', statement: 'Sign in with your wallet', format: 'siwe' });
    nock(ORIGIN).get(`${BASE}/chains/ethereum`).reply(200, {
      chainSlug: 'ethereum',
      chainId: 1,
      chainType: 'ethereum',
      chainName: 'Ethereum',
      publicRPC: 'x',
      authorizationSupported: true,
    });
    const client = provider(() => Date.parse('2023-01-01T00:00:00.000Z'));
    const challenge = await client.createChallenge({
      chain: 'ethereum',
      walletAddress: ADDRESS,
      siwe: { domain: 'localhost:3000', uri: 'http://localhost:3000' },
    });
    // picket.md §8.3: the SIWE message its signature vector signs.
    expect(challenge.message).toBe(
      'localhost:3000 wants you to sign in with your Ethereum account:\n0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\nSign in with your wallet\n\nURI: http://localhost:3000\nVersion: 1\nChain ID: 1\nNonce: a1b2c3d4e5f6a7b8\nIssued At: 2023-01-01T00:00:00.000Z',
    );
    expect(challenge.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(challenge.data.nonce).toBe('a1b2c3d4e5f6a7b8');
    const context = {
      domain: 'localhost:3000',
      uri: 'http://localhost:3000',
      chainId: 1,
      issuedAt: '2023-01-01T00:00:00.000Z',
      chainType: 'ethereum',
    };
    expect(challenge.data.context).toEqual(context);
    // verify sends the context the server built with the challenge, whatever the client saw.
    const signature = `0x${'11'.repeat(65)}`;
    const user = { chain: 'ethereum', walletAddress: ADDRESS, displayAddress: ADDRESS, tokenBalances: {} };
    const scope = nock(ORIGIN)
      .post(`${BASE}/auth`, { chain: 'ethereum', walletAddress: ADDRESS, signature, context })
      .reply(200, { accessToken: 'a.b.c', user });
    await client.verify({ challengeId: challenge.id, signature });
    expect(scope.isDone()).toBe(true);
  });

  it('createChallenge binds the SIWE chain id to the chain: a different siwe.chainId is ERR_CONFIG', async () => {
    const nonceReply = { nonce: 'a1b2c3d4e5f6a7b8', statement: 'Sign in with your wallet', format: 'siwe' };
    const chains = nock(ORIGIN).get(`${BASE}/chains/polygon`).once().reply(200, {
      chainSlug: 'polygon',
      chainId: 137,
      chainType: 'ethereum',
      chainName: 'Polygon',
      publicRPC: 'x',
      authorizationSupported: true,
    });
    nock(ORIGIN).post(`${BASE}/auth/nonce`).times(3).reply(200, nonceReply);
    const client = provider();
    const siwe = { domain: 'localhost:3000', uri: 'http://localhost:3000' };
    const mismatch = await errorOf(
      client.createChallenge({ chain: 'polygon', walletAddress: ADDRESS, siwe: { ...siwe, chainId: 1 } }),
    );
    expect(isAuthBridgeError(mismatch, 'ERR_CONFIG')).toBe(true);
    expect(mismatch.message).toContain("'polygon' (137)");
    // The id is read once per chain and client: neither call below asks again.
    const given = await client.createChallenge({
      chain: 'polygon',
      walletAddress: ADDRESS,
      siwe: { ...siwe, chainId: 137 },
    });
    const looked = await client.createChallenge({ chain: 'polygon', walletAddress: ADDRESS, siwe });
    for (const challenge of [given, looked]) {
      expect(challenge.data.context?.chainId).toBe(137);
      expect(challenge.message).toContain('\nChain ID: 137\n');
    }
    expect(chains.isDone()).toBe(true);
  });

  it('createChallenge asks for the page when the project signs SIWE', async () => {
    nock(ORIGIN).post(`${BASE}/auth/nonce`).reply(200, { nonce: 'n0nce123', statement: 's', format: 'siwe' });
    const error = await errorOf(provider().createChallenge({ chain: 'ethereum', walletAddress: ADDRESS }));
    expect(isAuthBridgeError(error, 'ERR_CONFIG')).toBe(true);
  });
});

describe('every method rejects, never throws', () => {
  const provider = () => picket({ apiKey: 'sk_test_key' });
  const cases: [string, (p: ReturnType<typeof provider>) => Promise<unknown>, AuthBridgeErrorCode][] = [
    ['validate with an empty token', (p) => p.validate(''), 'ERR_CREDENTIAL_MALFORMED'],
    ['validate without a token', (p) => p.validate(undefined as never), 'ERR_CREDENTIAL_MALFORMED'],
    [
      'authz with an empty token',
      (p) => p.authz({ accessToken: '', requirements: { tokenIds: ['m'] } }),
      'ERR_CREDENTIAL_MALFORMED',
    ],
    ['authz without input', (p) => p.authz(undefined as never), 'ERR_CREDENTIAL_MALFORMED'],
    ['authz without requirements', (p) => p.authz({ accessToken: 'a.b.c' } as never), 'ERR_CONFIG'],
    ['verifyAccessToken with an empty token', (p) => p.verifyAccessToken(''), 'ERR_CREDENTIAL_MALFORMED'],
    ['verify without a credential', (p) => p.verify(undefined as never), 'ERR_CREDENTIAL_MALFORMED'],
    [
      'createChallenge without a wallet',
      (p) => p.createChallenge({ chain: 'ethereum' } as never),
      'ERR_CREDENTIAL_MALFORMED',
    ],
  ];

  it.each(cases)('%s: a rejected promise, not a synchronous throw', async (_name, call, code) => {
    // Called without await: a synchronous throw fails here, before any promise exists.
    const result = call(provider());
    expect(result).toBeInstanceOf(Promise);
    const error = await errorOf(result);
    expect(isAuthBridgeError(error, code), String(error)).toBe(true);
  });
});

describe('the verify credential, from any client (property)', () => {
  it('any value is refused with ERR_CREDENTIAL_MALFORMED or ERR_CREDENTIAL_CHALLENGE, without a request', async () => {
    // nock allows no connection: a request would be ERR_NETWORK and fail the property.
    const client = picket({ apiKey: 'sk_test_key', retry: false });
    const credential = fc.oneof(
      fc.anything(),
      fc.record({ challengeId: fc.string({ maxLength: 30 }), signature: fc.string({ maxLength: 200 }) }),
      fc.record(
        {
          challengeId: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
          signature: fc.string(),
          context: fc.anything(),
        },
        { requiredKeys: ['challengeId', 'signature'] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(credential, async (value) => {
        const error = await errorOf(client.verify(value as never));
        expect(['ERR_CREDENTIAL_MALFORMED', 'ERR_CREDENTIAL_CHALLENGE']).toContain(error.code);
      }),
      { numRuns: 300 },
    );
  });
});

describe('createAuth with picket', () => {
  it('types the credential as { challengeId, signature } and refuses server fields at compile time', () => {
    const auth = createAuth({ providers: [picket({ apiKey: 'sk_test_key' })] });
    expectTypeOf(auth.verify<'picket'>)
      .parameter(1)
      .toEqualTypeOf<PicketCredential>();
    expectTypeOf<PicketCredential>().toEqualTypeOf<{ challengeId: string; signature: string }>();
    // @ts-expect-error: the SIWE context is the server's, kept with the challenge.
    void (() => auth.verify('picket', { challengeId: 'c', signature: '0x', context: {} }));
    // @ts-expect-error: so are the chain and the wallet.
    void (() => auth.verify('picket', { chain: 'ethereum', walletAddress: '0x', signature: '0x' }));
  });
});
