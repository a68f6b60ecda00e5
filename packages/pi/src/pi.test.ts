import {
  type AuthBridgeError,
  createHttpClient,
  type HttpEvent,
  isAuthBridgeError,
  type RetryOptions,
} from '@authbridge/core';
import { rejectionOf as failure } from '@authbridge/test-utils';
import nock from 'nock';
import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPiError, paymentOf, verificationErrorOf } from './errors.js';
import { type PiOptions, type PiProvider, pi } from './pi.js';
import type { PiPayment } from './wire.js';

const BASE = 'https://api.minepi.test';
const API_KEY = 'pi_server_key_0123456789abcdef';
const TOKEN = 'pioneer-access-token-0123456789abcdefABCDEF';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const fast = { baseDelay: 1, backoffLimit: 5 };

const client = (extra: Partial<PiOptions> = {}) =>
  pi({ apiKey: API_KEY, baseUrl: BASE, retry: fast, now: () => NOW, ...extra });

const me = {
  uid: 'c5b5d3c6-9f3b-4b0e-9d5e-0a1b2c3d4e5f',
  username: 'alice',
  credentials: {
    scopes: ['username', 'payments'],
    valid_until: { timestamp: NOW / 1000 + 3600, iso8601: new Date(NOW + 3_600_000).toISOString() },
  },
};

const payment: PiPayment = {
  identifier: 'jGCjzZqgg78B6Pf1wzYHFSBTqNIv',
  user_uid: me.uid,
  amount: 3.14,
  memo: 'A coffee',
  metadata: { orderId: 7 },
  from_address: `G${'A'.repeat(55)}`,
  to_address: `G${'B'.repeat(55)}`,
  direction: 'user_to_app',
  created_at: '2026-01-15T11:59:00.102Z',
  network: 'Pi Testnet',
  status: {
    developer_approved: false,
    transaction_verified: false,
    developer_completed: false,
    cancelled: false,
    user_cancelled: false,
  },
  transaction: null,
};
const TXID = 'a'.repeat(64);

/** Every visible field of an error, where a leaked secret would show. */
const errorText = (error: Error) => `${error.message} ${JSON.stringify(error)} ${String(error.cause ?? '')}`;

const key = () => nock(BASE, { reqheaders: { authorization: `Key ${API_KEY}` } });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('pi() configuration', () => {
  it.each([
    ['no apiKey', {}],
    ['an empty apiKey', { apiKey: '' }],
    ['a "Key " prefixed apiKey', { apiKey: `Key ${API_KEY}` }],
    ['an apiKey with a space', { apiKey: 'abc def' }],
    ['a non-http baseUrl', { apiKey: API_KEY, baseUrl: 'ftp://x' }],
    ['a cache TTL of 0', { apiKey: API_KEY, cache: { ttlMs: 0 } }],
    ['a cache TTL over 10 minutes', { apiKey: API_KEY, cache: { ttlMs: 600_001 } }],
    ['a cache of 0 entries', { apiKey: API_KEY, cache: { maxEntries: 0 } }],
  ])('rejects %s with ERR_CONFIG and no key in the message', (_name, options) => {
    let error: unknown;
    try {
      pi(options as Parameters<typeof pi>[0]);
    } catch (e) {
      error = e;
    }
    expect(isAuthBridgeError(error, 'ERR_CONFIG')).toBe(true);
    expect((error as Error).message).not.toContain(API_KEY);
  });
});

describe('id and parseCredential', () => {
  it('registers under a configured id, which AuthResult.provider names', async () => {
    const scope = nock(BASE).get('/v2/me').reply(200, me);
    const testnet = pi({ id: 'pi-testnet', apiKey: API_KEY, baseUrl: BASE, retry: fast, now: () => NOW });
    expect(testnet.id).toBe('pi-testnet');
    expect((await testnet.verify(TOKEN)).provider).toBe('pi-testnet');
    scope.done();
  });

  it('refuses an empty id with ERR_CONFIG', () => {
    expect(() => pi({ id: '', apiKey: API_KEY })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });

  it('passes an access token through and refuses any other input with ERR_CREDENTIAL_MALFORMED', () => {
    const provider = client();
    expect(provider.parseCredential(TOKEN)).toBe(TOKEN);
    for (const input of ['', 'a'.repeat(4097), 42, null, undefined, { token: TOKEN }, [TOKEN]]) {
      let error: unknown;
      try {
        provider.parseCredential(input);
      } catch (caught) {
        error = caught;
      }
      expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), String(input)).toBe(true);
    }
  });
});

describe('verify', () => {
  it('calls GET /v2/me with the Bearer token and returns the uid Pi reports', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/v2/me')
      .reply(200, { ...me, extra_field_from_the_future: true });
    const result = await client().verify(TOKEN);
    expect(result).toEqual({
      provider: 'pi',
      subject: me.uid,
      username: 'alice',
      expiresAt: new Date(NOW + 3_600_000),
      claims: { uid: me.uid, scopes: ['username', 'payments'], validUntil: me.credentials.valid_until },
    });
    scope.done();
  });

  it('leaves username out when Pi sends none (no username scope) and keeps roles', async () => {
    const { username: _dropped, ...anonymous } = me;
    nock(BASE)
      .get('/v2/me')
      .reply(200, { ...anonymous, roles: ['email_verified'], preferred_language: 'fr' });
    const result = await client().verify(TOKEN);
    expect('username' in result).toBe(false);
    expect(result.claims.roles).toEqual(['email_verified']);
    expect(result.claims.preferredLanguage).toBe('fr');
  });

  it('maps a 401 to ERR_CREDENTIAL_REJECTED without the token in the error', async () => {
    nock(BASE)
      .get('/v2/me')
      .reply(401, { error: 'unauthorized', error_message: `bad token ${TOKEN}` });
    const error = await failure(client().verify(TOKEN));
    expect(error.code).toBe('ERR_CREDENTIAL_REJECTED');
    expect(error.status).toBe(401);
    expect(errorText(error)).not.toContain(TOKEN);
  });

  describe('never puts the access token in an error or a hook event, even when Pi echoes it', () => {
    /** Every place a caller, a logger or a hook could read a secret from. */
    const everything = (error: AuthBridgeError & { bodyExcerpt?: string }, events: HttpEvent[]) =>
      [
        errorText(error),
        error.stack,
        error.details,
        error.bodyExcerpt,
        error.providerCode,
        JSON.stringify(error.data),
        JSON.stringify(events),
        ...events.map((e) => (e.error ? `${e.error.message} ${e.error.stack}` : '')),
      ].join(' ');

    // A token that happens to look like a snake_case code, to reach the providerCode path.
    const SNAKE_TOKEN = 'pioneer_token_0123456789';
    it.each([
      ['a 500 JSON error', 500, { error: 'server_error', error_message: `could not check ${TOKEN}` }, TOKEN],
      ['a 500 JSON error whose code is the token', 500, { error: SNAKE_TOKEN }, SNAKE_TOKEN],
      [
        'a 500 JSON error with the token in verification_error',
        500,
        { error: 'bad', verification_error: TOKEN },
        TOKEN,
      ],
      ['a 500 text page', 500, `<html>token ${TOKEN} failed</html>`, TOKEN],
      ['a 403 JSON error', 403, { error: `${TOKEN} is not allowed here` }, TOKEN],
      ['a 200 that fails the schema', 200, { uid: 'x', echo: TOKEN }, TOKEN],
      ['a 200 that is not JSON', 200, `oops ${TOKEN}`, TOKEN],
    ] as const)('%s', async (_name, status, body, token) => {
      const events: HttpEvent[] = [];
      const record = (event: HttpEvent) => events.push(event);
      nock(BASE).get('/v2/me').times(2).reply(status, body);
      const provider = client({
        retry: { limit: 1, baseDelay: 1, backoffLimit: 5 },
        hooks: { onError: record, onRetry: record, onResponse: record },
      });
      const error = await failure(provider.verify(token));
      expect(error.status).toBe(status);
      expect(everything(error, events)).not.toContain(token);
      nock.cleanAll();
    });
  });

  it('maps a valid_until in the past to ERR_CREDENTIAL_EXPIRED', async () => {
    const stale = {
      ...me,
      credentials: { ...me.credentials, valid_until: { timestamp: NOW / 1000 - 1, iso8601: 'x' } },
    };
    nock(BASE).get('/v2/me').reply(200, stale);
    expect((await failure(client().verify(TOKEN))).code).toBe('ERR_CREDENTIAL_EXPIRED');
  });

  it.each([
    ['an empty string', ''],
    ['a "Bearer " prefixed token', `Bearer ${TOKEN}`],
    ['a token with a newline', `${TOKEN}\nx`],
    ['a number', 42],
    ['a 5000-character token', 'a'.repeat(5000)],
  ])('rejects %s with ERR_CREDENTIAL_MALFORMED before any request', async (_name, token) => {
    const error = await failure(client().verify(token as string));
    expect(error.code).toBe('ERR_CREDENTIAL_MALFORMED');
  });

  it.each([
    ['a body that misses credentials', 200, { uid: 'x' }, 'ERR_UNEXPECTED_RESPONSE'],
    ['a non-JSON body', 200, '<html>oops</html>', 'ERR_UNEXPECTED_RESPONSE'],
    ['a 500 HTML page', 500, '<html>500</html>', 'ERR_PROVIDER_SERVER'],
    ['a 403', 403, { error: 'forbidden' }, 'ERR_PROVIDER_FORBIDDEN'],
  ] as const)('maps %s to %s', async (_name, status, body, code) => {
    nock(BASE).get('/v2/me').reply(status, body);
    const error = await failure(client({ retry: false }).verify(TOKEN));
    expect(error.code).toBe(code);
    expect(errorText(error)).not.toContain(TOKEN);
  });

  it('retries a 503 on /me (a GET) and succeeds', async () => {
    nock(BASE).get('/v2/me').reply(503, { error: 'down' }).get('/v2/me').reply(200, me);
    expect((await client().verify(TOKEN)).subject).toBe(me.uid);
  });

  it('maps a dropped connection to ERR_NETWORK', async () => {
    nock(BASE).get('/v2/me').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    expect((await failure(client({ retry: false }).verify(TOKEN))).code).toBe('ERR_NETWORK');
  });

  it('rejects an already aborted signal with ERR_ABORTED', async () => {
    expect((await failure(client().verify(TOKEN, { signal: AbortSignal.abort() }))).code).toBe('ERR_ABORTED');
  });
});

describe('verify cache', () => {
  it('is off by default: every verify asks Pi', async () => {
    nock(BASE).get('/v2/me').times(2).reply(200, me);
    const provider = client();
    await provider.verify(TOKEN);
    await provider.verify(TOKEN);
  });

  it('answers repeats from the cache until the TTL, then asks Pi again', async () => {
    let now = NOW;
    nock(BASE).get('/v2/me').times(2).reply(200, me);
    const provider = client({ now: () => now, cache: { ttlMs: 10_000 } });
    const first = await provider.verify(TOKEN);
    now += 9_999;
    const second = await provider.verify(TOKEN);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(nock.pendingMocks()).toHaveLength(1);
    now += 1;
    await provider.verify(TOKEN);
  });

  it('never serves a token past its valid_until, even inside the TTL', async () => {
    let now = NOW;
    const shortLived = {
      ...me,
      credentials: { ...me.credentials, valid_until: { timestamp: NOW / 1000 + 5, iso8601: 'x' } },
    };
    nock(BASE).get('/v2/me').reply(200, shortLived).get('/v2/me').reply(401, {});
    const provider = client({ now: () => now, cache: { ttlMs: 60_000 } });
    await provider.verify(TOKEN);
    now += 5_000;
    expect((await failure(provider.verify(TOKEN))).code).toBe('ERR_CREDENTIAL_REJECTED');
  });

  it('does not cache rejections, and keeps tokens apart', async () => {
    nock(BASE)
      .get('/v2/me')
      .reply(401, {})
      .get('/v2/me')
      .reply(200, me)
      .get('/v2/me')
      .reply(200, { ...me, uid: 'other-uid' });
    const provider = client({ cache: true });
    expect((await failure(provider.verify(TOKEN))).code).toBe('ERR_CREDENTIAL_REJECTED');
    expect((await provider.verify(TOKEN)).subject).toBe(me.uid);
    expect((await provider.verify(`${TOKEN}2`)).subject).toBe('other-uid');
    expect((await provider.verify(TOKEN)).subject).toBe(me.uid);
  });

  it('a caller mutating a result does not change what the cache returns', async () => {
    nock(BASE).get('/v2/me').reply(200, me);
    const provider = client({ cache: true });
    const first = await provider.verify(TOKEN);
    first.claims.scopes.push('wallet_address');
    expect((await provider.verify(TOKEN)).claims.scopes).toEqual(['username', 'payments']);
  });
});

describe('payments', () => {
  it('get sends the Key header and parses the payment, tolerating absent post-2023 fields', async () => {
    const { from_address: _f, direction: _d, network: _n, ...legacy } = payment;
    key().get(`/v2/payments/${payment.identifier}`).reply(200, legacy);
    expect(await client().payments.get(payment.identifier)).toEqual(legacy);
  });

  it('get reads a payment without a transaction key as transaction null', async () => {
    const { transaction: _t, ...bare } = payment;
    key().get(`/v2/payments/${payment.identifier}`).reply(200, bare);
    const read = await client().payments.get(payment.identifier);
    expect(read.transaction).toBeNull();
    expect(read).toEqual(payment);
  });

  it('exposes an attached payment that has no transaction key through paymentOf', async () => {
    const { transaction: _t, ...bare } = payment;
    const a2u = {
      ...bare,
      direction: 'app_to_user',
      status: { ...payment.status, developer_approved: true },
    };
    key().post('/v2/payments').reply(400, {
      error: 'ongoing_payment_found',
      error_message: 'You need to complete the ongoing payment first to create a new one.',
      payment: a2u,
    });
    const error = await failure(
      client().payments.create({ amount: 1, memo: 'm', metadata: {}, uid: me.uid }),
    );
    expect(error.providerCode).toBe('ongoing_payment_found');
    expect(paymentOf(error)).toEqual({ ...a2u, transaction: null });
  });

  it('approve posts and returns the approved payment', async () => {
    const approved = { ...payment, status: { ...payment.status, developer_approved: true } };
    key().post(`/v2/payments/${payment.identifier}/approve`).reply(200, approved);
    expect((await client().payments.approve(payment.identifier)).status.developer_approved).toBe(true);
  });

  it('complete posts the txid', async () => {
    const done = {
      ...payment,
      status: {
        ...payment.status,
        developer_approved: true,
        transaction_verified: true,
        developer_completed: true,
      },
      transaction: {
        txid: TXID,
        verified: true,
        _link: `https://api.testnet.minepi.com/transactions/${TXID}`,
      },
    };
    key().post(`/v2/payments/${payment.identifier}/complete`, { txid: TXID }).reply(200, done);
    expect(await client().payments.complete(payment.identifier, TXID)).toEqual(done);
  });

  it('complete keeps verification_failed and its verification_error', async () => {
    key().post(`/v2/payments/${payment.identifier}/complete`).reply(400, {
      error: 'verification_failed',
      verification_error: 'tx_memo_payment_identifier_mismatch',
    });
    const error = await failure(client().payments.complete(payment.identifier, TXID));
    expect(error.code).toBe('ERR_PROVIDER_BAD_REQUEST');
    expect(error.providerCode).toBe('verification_failed');
    expect(verificationErrorOf(error)).toBe('tx_memo_payment_identifier_mismatch');
    expect(isPiError(error, 'verification_failed')).toBe(true);
    expect(isPiError(error, 'already_completed')).toBe(false);
  });

  it('cancel posts once with an empty JSON body and returns the cancelled payment', async () => {
    const cancelled = { ...payment, status: { ...payment.status, cancelled: true } };
    key()
      .post(`/v2/payments/${payment.identifier}/cancel`, (body) => JSON.stringify(body) === '{}')
      .reply(200, cancelled);
    const result = await client().payments.cancel(payment.identifier);
    expect(result).toEqual(cancelled);
    expect(result.status.cancelled).toBe(true);
  });

  it('cancel posts and exposes the payment attached to already_completed', async () => {
    const completed = { ...payment, status: { ...payment.status, developer_completed: true } };
    key().post(`/v2/payments/${payment.identifier}/cancel`).reply(400, {
      error: 'already_completed',
      error_message: 'Payment already completed',
      payment: completed,
    });
    const error = await failure(client().payments.cancel(payment.identifier));
    expect(error.providerCode).toBe('already_completed');
    expect(paymentOf(error)).toEqual(completed);
    expect(error.data).toEqual({ payment: completed });
  });

  it('create wraps the body in { payment } and exposes the blocking payment of ongoing_payment_found', async () => {
    const input = { amount: 1, memo: 'Refund', metadata: { orderId: 7 }, uid: me.uid };
    const a2u = {
      ...payment,
      direction: 'app_to_user',
      status: { ...payment.status, developer_approved: true },
    };
    key().post('/v2/payments', { payment: input }).reply(200, a2u);
    expect(await client().payments.create(input)).toEqual(a2u);
    key().post('/v2/payments').once().reply(400, {
      error: 'ongoing_payment_found',
      error_message: 'You need to complete the ongoing payment first',
      payment: a2u,
    });
    const error = await failure(client().payments.create(input));
    expect(error.providerCode).toBe('ongoing_payment_found');
    expect(paymentOf(error)?.identifier).toBe(payment.identifier);
  });

  it('drops an attached payment that does not parse instead of handing it out unchecked', async () => {
    key()
      .post(`/v2/payments/${payment.identifier}/cancel`)
      .reply(400, { error: 'forbidden', payment: { identifier: 1 } });
    const error = await failure(client().payments.cancel(payment.identifier));
    expect(error.providerCode).toBe('forbidden');
    expect(paymentOf(error)).toBeUndefined();
  });

  it('create maps a 401 missing_scope to ERR_PROVIDER_UNAUTHORIZED, keeping the code', async () => {
    key().post('/v2/payments').reply(401, {
      error: 'missing_scope',
      error_message: 'User hasn\'t authorized "wallet_address" scope',
    });
    const error = await failure(client().payments.create({ amount: 1, memo: 'm', metadata: {}, uid: 'u' }));
    expect(error.code).toBe('ERR_PROVIDER_UNAUTHORIZED');
    expect(error.providerCode).toBe('missing_scope');
  });

  it.each([
    ['an amount that is a string', { amount: '1', memo: 'm', metadata: {}, uid: 'u' }],
    ['an infinite amount', { amount: Number.POSITIVE_INFINITY, memo: 'm', metadata: {}, uid: 'u' }],
    ['a missing memo', { amount: 1, metadata: {}, uid: 'u' }],
    ['array metadata', { amount: 1, memo: 'm', metadata: [], uid: 'u' }],
    ['an empty uid', { amount: 1, memo: 'm', metadata: {}, uid: '' }],
  ])('create rejects %s with ERR_INVALID_ARGUMENT before any request', async (_name, input) => {
    const error = await failure(client().payments.create(input as never));
    expect(error.code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('incomplete returns the array, not the wrapper', async () => {
    key()
      .get('/v2/payments/incomplete_server_payments')
      .reply(200, { incomplete_server_payments: [payment] });
    expect(await client().payments.incomplete()).toEqual([payment]);
  });

  it.each(['../me', 'a/b', '', 'x'.repeat(129), 'id with space'])(
    'refuses the payment id %j with ERR_INVALID_ARGUMENT before any request',
    async (id) => {
      expect((await failure(client().payments.get(id))).code).toBe('ERR_INVALID_ARGUMENT');
      expect((await failure(client().payments.approve(id))).code).toBe('ERR_INVALID_ARGUMENT');
    },
  );

  it('maps a 401 on a Key route to ERR_CONFIG (our key), with no key in the error', async () => {
    key()
      .get(`/v2/payments/${payment.identifier}`)
      .reply(401, { error: 'unauthorized', error_message: `bad key ${API_KEY}` });
    const error = await failure(client().payments.get(payment.identifier));
    expect(error.code).toBe('ERR_CONFIG');
    expect(error.status).toBe(401);
    expect(errorText(error)).not.toContain(API_KEY);
  });

  it('drops a code or verification_error that echoes the key instead of attaching it', async () => {
    key()
      .post(`/v2/payments/${payment.identifier}/complete`)
      .reply(400, { error: 'verification_failed', verification_error: `key ${API_KEY} bad` });
    const error = await failure(client().payments.complete(payment.identifier, TXID));
    expect(error.providerCode).toBe('verification_failed');
    expect(verificationErrorOf(error)).toBeUndefined();
    expect(`${errorText(error)} ${JSON.stringify(error.data)}`).not.toContain(API_KEY);
  });

  it('a 401 on create is ERR_CONFIG that keeps Pi code and does not claim the key is wrong', async () => {
    key().post('/v2/payments').reply(401, { error: 'unauthorized', error_message: 'Unauthorized' });
    const error = await failure(
      client().payments.create({ amount: 1, memo: 'm', metadata: {}, uid: me.uid }),
    );
    expect(error.code).toBe('ERR_CONFIG');
    expect(error.status).toBe(401);
    expect(error.providerCode).toBe('unauthorized');
    expect(error.shortMessage).toContain('the same key works on other routes');
    expect(error.shortMessage).not.toContain('Pi rejected the server API key');
    expect(errorText(error)).not.toContain(API_KEY);
  });

  it('a 401 on another Key route points at the key, keeping Pi code', async () => {
    key().get('/v2/payments/incomplete_server_payments').reply(401, { error: 'unauthorized' });
    const error = await failure(client().payments.incomplete());
    expect(error.code).toBe('ERR_CONFIG');
    expect(error.providerCode).toBe('unauthorized');
    expect(error.shortMessage).toContain('check the key');
    expect(error.shortMessage).not.toContain('creation');
  });

  it('maps a 404 payment_not_found to ERR_PROVIDER_NOT_FOUND', async () => {
    key()
      .get(`/v2/payments/${payment.identifier}`)
      .reply(404, { error: 'payment_not_found', error_message: 'Payment not found' });
    const error = await failure(client().payments.get(payment.identifier));
    expect(error.code).toBe('ERR_PROVIDER_NOT_FOUND');
    expect(error.providerCode).toBe('payment_not_found');
    expect(error.message).toContain('Payment not found');
  });

  it('rejects a payment that fails the schema with ERR_UNEXPECTED_RESPONSE', async () => {
    key()
      .get(`/v2/payments/${payment.identifier}`)
      .reply(200, { ...payment, amount: '3.14' });
    expect((await failure(client().payments.get(payment.identifier))).code).toBe('ERR_UNEXPECTED_RESPONSE');
  });
});

describe('ads', () => {
  it('status reads the rewarded-ad status', async () => {
    const ad = {
      identifier: 'ad123',
      mediator_ack_status: 'granted',
      mediator_granted_at: '2026-01-15T12:00:00Z',
      mediator_revoked_at: null,
    };
    key().get('/v2/ads_network/status/ad123').reply(200, ad);
    expect(await client().ads.status('ad123')).toEqual(ad);
  });

  it('rejects an unknown mediator status with ERR_UNEXPECTED_RESPONSE', async () => {
    key().get('/v2/ads_network/status/ad123').reply(200, {
      identifier: 'ad123',
      mediator_ack_status: 'maybe',
      mediator_granted_at: null,
      mediator_revoked_at: null,
    });
    expect((await failure(client().ads.status('ad123'))).code).toBe('ERR_UNEXPECTED_RESPONSE');
  });
});

describe('notifications', () => {
  const note = { uid: me.uid, title: 'Shipped', body: 'On its way', subroute: '/orders/7' };
  const delivered = {
    id: 'n1',
    title: 'Shipped',
    body: 'On its way',
    user_uid: me.uid,
    subroute: '/orders/7',
    seen_at: null,
    dismissed_at: null,
  };

  it('send posts user_uid on the wire and returns what Pi delivered', async () => {
    key()
      .post('/v2/in_app_notifications/notify', {
        notifications: [{ title: 'Shipped', body: 'On its way', user_uid: me.uid, subroute: '/orders/7' }],
      })
      .reply(201, { success: true, delivered_notifications: [delivered] });
    expect(await client().notifications.send([note])).toEqual([delivered]);
  });

  it('keeps the human message of a 403 quota error, without taking it for a code', async () => {
    key()
      .post('/v2/in_app_notifications/notify')
      .reply(403, { error: `Daily quota exceeded for users: ${me.uid}` });
    const error = await failure(client().notifications.send([note]));
    expect(error.code).toBe('ERR_PROVIDER_FORBIDDEN');
    expect(error.providerCode).toBeUndefined();
    expect(error.message).toContain('Daily quota exceeded');
  });

  it.each([
    ['an empty list', []],
    ['a missing subroute', [{ ...note, subroute: undefined }]],
    ['not an array', note],
  ])('rejects %s with ERR_INVALID_ARGUMENT', async (_name, input) => {
    expect((await failure(client().notifications.send(input as never))).code).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('writes are sent once, even when the app configures retries for POST', () => {
  // An app-wide policy that retries POST: only the per-request `retry: false` of the writes stops it.
  const retryPosts: RetryOptions = {
    methods: ['GET', 'POST'],
    statusCodes: [500, 502, 503],
    limit: 3,
    baseDelay: 1,
    backoffLimit: 5,
  };

  /** Answers every POST to `path` with `status` and counts the requests that reach the server. */
  function failingPost(path: string, status: number): { calls: () => number } {
    let calls = 0;
    key()
      .post(path)
      .times(retryPosts.limit! + 1)
      .reply(() => {
        calls += 1;
        return [status, { error: 'unknown_error', error_message: 'Try later' }];
      });
    return { calls: () => calls };
  }

  afterEach(() => nock.cleanAll());

  it('the policy does retry a POST that allows it (control)', async () => {
    const http = createHttpClient({ provider: 'pi', defaultBaseUrl: BASE, retry: retryPosts });
    const server = failingPost('/v2/payments', 503);
    const error = await failure(
      http.request({
        method: 'POST',
        path: 'v2/payments',
        json: {},
        schema: v.unknown(),
        headers: { authorization: `Key ${API_KEY}` },
      }),
    );
    expect(error.code).toBe('ERR_PROVIDER_SERVER');
    expect(server.calls()).toBe(retryPosts.limit! + 1);
  });

  it('the policy retries get (a GET)', async () => {
    let gets = 0;
    key()
      .get(`/v2/payments/${payment.identifier}`)
      .times(2)
      .reply(() => {
        gets += 1;
        return gets === 1 ? [503, { error: 'unknown_error' }] : [200, payment];
      });
    expect(await client({ retry: retryPosts }).payments.get(payment.identifier)).toEqual(payment);
    expect(gets).toBe(2);
  });

  const input = { amount: 1, memo: 'Refund', metadata: {}, uid: me.uid };
  const note = { uid: me.uid, title: 'Shipped', body: 'On its way', subroute: '/orders/7' };
  it.each([
    [
      'approve',
      `/v2/payments/${payment.identifier}/approve`,
      (p: PiProvider) => p.payments.approve(payment.identifier),
    ],
    [
      'complete',
      `/v2/payments/${payment.identifier}/complete`,
      (p: PiProvider) => p.payments.complete(payment.identifier, TXID),
    ],
    [
      'cancel',
      `/v2/payments/${payment.identifier}/cancel`,
      (p: PiProvider) => p.payments.cancel(payment.identifier),
    ],
    ['create', '/v2/payments', (p: PiProvider) => p.payments.create(input)],
    [
      'notifications.send',
      '/v2/in_app_notifications/notify',
      (p: PiProvider) => p.notifications.send([note]),
    ],
  ] as const)('%s reaches the server exactly once on a 5xx', async (_name, path, call) => {
    for (const status of [500, 503]) {
      const server = failingPost(path, status);
      const error = await failure(call(client({ retry: retryPosts })));
      expect(error.code).toBe('ERR_PROVIDER_SERVER');
      expect(server.calls()).toBe(1);
      nock.cleanAll();
    }
  });
});
