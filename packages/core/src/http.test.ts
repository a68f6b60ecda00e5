import { rejectionOf } from '@authbridge/test-utils';
import nock from 'nock';
import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAuthBridgeError, ProviderRequestError, UnexpectedResponseError } from './errors.js';
import { createHttpClient, type HttpEvent, parseRetryAfter } from './http.js';

const BASE = 'https://api.example.test';
const User = v.object({ uid: v.string(), username: v.string() });
const fast = { baseDelay: 1, backoffLimit: 5 };
// These tests narrow the error with instanceof and casts, so take it untyped.
const failure = (promise: Promise<unknown>) => rejectionOf<unknown>(promise);

const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({
    provider: 'pi',
    defaultBaseUrl: `${BASE}/v2`,
    userAgent: '@authbridge/pi/0.1.0',
    secretHeaders: ['x-secret-key'],
    secretValues: ['sk_live_supersecret'],
    retry: fast,
    ...extra,
  });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('createHttpClient', () => {
  it('joins the base URL and path, sends default headers and parses through the schema', async () => {
    nock(BASE, {
      reqheaders: { 'user-agent': '@authbridge/pi/0.1.0', accept: 'application/json', 'x-app': '1' },
    })
      .get('/v2/me')
      .query({ scope: 'username' })
      .reply(200, { uid: 'u1', username: 'alice', extra: true });
    const http = client({ headers: { 'x-app': '1' } });
    const me = await http.request({
      method: 'GET',
      path: '/me',
      searchParams: { scope: 'username', skip: undefined },
      schema: User,
    });
    expect(me).toEqual({ uid: 'u1', username: 'alice' });
  });

  it('sends JSON and form bodies with their content types', async () => {
    nock(BASE)
      .post('/v2/payments', { amount: 1 })
      .matchHeader('content-type', 'application/json')
      .reply(200, { uid: 'p', username: 'x' })
      .post('/v2/form', 'a=1&b=two')
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, { uid: 'f', username: 'y' });
    const http = client();
    expect(
      (await http.request({ method: 'POST', path: 'payments', json: { amount: 1 }, schema: User })).uid,
    ).toBe('p');
    expect(
      (
        await http.request({
          method: 'POST',
          path: 'form',
          form: { a: 1, b: 'two', c: undefined },
          schema: User,
        })
      ).uid,
    ).toBe('f');
  });

  it('returns bytes and ignores bodies when asked', async () => {
    nock(BASE)
      .get('/v2/qr')
      .reply(200, Buffer.from([137, 80, 78, 71]))
      .get('/v2/none')
      .reply(204);
    const http = client();
    expect(await http.request({ method: 'GET', path: 'qr', responseType: 'bytes' })).toEqual(
      new Uint8Array([137, 80, 78, 71]),
    );
    expect(await http.request({ method: 'GET', path: 'none', responseType: 'none' })).toBeUndefined();
  });

  it.each([
    [400, 'ERR_PROVIDER_BAD_REQUEST', false],
    [401, 'ERR_PROVIDER_UNAUTHORIZED', false],
    [403, 'ERR_PROVIDER_FORBIDDEN', false],
    [404, 'ERR_PROVIDER_NOT_FOUND', false],
    [409, 'ERR_PROVIDER_CONFLICT', false],
    [418, 'ERR_PROVIDER_REQUEST', false],
    [429, 'ERR_PROVIDER_RATE_LIMITED', true],
    [500, 'ERR_PROVIDER_SERVER', true],
    [503, 'ERR_PROVIDER_SERVER', true],
  ] as const)('maps status %i to %s', async (status, code, retryable) => {
    nock(BASE).post('/v2/x').reply(status, { error: 'nope' });
    const error = await failure(client().request({ method: 'POST', path: 'x', schema: User }));
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(isAuthBridgeError(error, code)).toBe(true);
    expect((error as ProviderRequestError).status).toBe(status);
    expect((error as ProviderRequestError).retryable).toBe(retryable);
    expect((error as ProviderRequestError).provider).toBe('pi');
  });

  it("keeps the provider's code, message and data through parseError", async () => {
    nock(BASE)
      .post('/v2/payments/p1/complete')
      .reply(404, { error: 'payment_not_found', error_message: 'No such payment', payment: { id: 'p1' } });
    const http = client({
      parseError: ({ body }) => {
        const b = body as { error: string; error_message: string; payment: unknown };
        return { providerCode: b.error, message: b.error_message, data: b.payment };
      },
    });
    const error = (await failure(
      http.request({ method: 'POST', path: 'payments/p1/complete', schema: User }),
    )) as ProviderRequestError;
    expect(error.code).toBe('ERR_PROVIDER_NOT_FOUND');
    expect(error.providerCode).toBe('payment_not_found');
    expect(error.data).toEqual({ id: 'p1' });
    expect(error.shortMessage).toContain('No such payment');
  });

  it('reads Retry-After into retryAfter on a 429', async () => {
    nock(BASE).post('/v2/x').reply(429, {}, { 'Retry-After': '7' });
    const error = (await failure(
      client().request({ method: 'POST', path: 'x', schema: User }),
    )) as ProviderRequestError;
    expect(error.retryAfter).toBe(7);
  });

  it('answers ERR_UNEXPECTED_RESPONSE for a body that is not JSON, keeping status and a redacted excerpt', async () => {
    nock(BASE).get('/v2/me').reply(200, '<html>token=abcdefgh sk_live_supersecret</html>');
    const error = (await failure(
      client().request({ method: 'GET', path: 'me', schema: User }),
    )) as UnexpectedResponseError;
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE');
    expect(error.status).toBe(200);
    expect(error.bodyExcerpt).toContain('<html>');
    expect(error.bodyExcerpt).not.toContain('sk_live_supersecret');
    expect(error.bodyExcerpt).not.toContain('abcdefgh');
  });

  it('answers ERR_UNEXPECTED_RESPONSE naming the failing field when the schema does not match', async () => {
    nock(BASE).get('/v2/me').reply(200, { uid: 42, username: 'alice', access_token: 'leakyleakyleaky' });
    const error = (await failure(
      client().request({ method: 'GET', path: 'me', schema: User }),
    )) as UnexpectedResponseError;
    expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE');
    expect(error.details).toContain('uid');
    expect(error.bodyExcerpt).not.toContain('leakyleakyleaky');
  });

  it('retries a GET on 503 and succeeds, reporting each retry', async () => {
    nock(BASE)
      .get('/v2/me')
      .reply(503)
      .get('/v2/me')
      .reply(502)
      .get('/v2/me')
      .reply(200, { uid: 'u', username: 'n' });
    const retries: HttpEvent[] = [];
    const me = await client({ hooks: { onRetry: (e) => retries.push(e) } }).request({
      method: 'GET',
      path: 'me',
      schema: User,
    });
    expect(me.uid).toBe('u');
    expect(retries.map((e) => [e.attempt, e.status, e.error?.code])).toEqual([
      [1, 503, 'ERR_PROVIDER_SERVER'],
      [2, 502, 'ERR_PROVIDER_SERVER'],
    ]);
  });

  it('never retries a POST by default', async () => {
    nock(BASE).post('/v2/payments/p/approve').reply(503);
    const error = await failure(
      client().request({ method: 'POST', path: 'payments/p/approve', schema: User }),
    );
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_SERVER')).toBe(true);
  });

  it('does not retry a GET when the request says retry: false', async () => {
    nock(BASE).get('/v2/nonce').reply(503);
    const error = await failure(
      client().request({ method: 'GET', path: 'nonce', schema: User, retry: false }),
    );
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_SERVER')).toBe(true);
  });

  it('retries a retryAfterOnly status only when Retry-After is given and fits under maxRetryAfter', async () => {
    const http = client({
      retry: { ...fast, statusCodes: [429, 503], retryAfterOnly: [429, 503], maxRetryAfter: 5_000 },
    });
    const request = () => http.request({ method: 'GET', path: 'me', schema: User });
    // Without Retry-After: one request, even though 503 is a retry status. The spare answer stays unused.
    nock(BASE).get('/v2/me').reply(503).get('/v2/me').reply(200, { uid: 'u', username: 'x' });
    expect(((await failure(request())) as ProviderRequestError).code).toBe('ERR_PROVIDER_SERVER');
    expect(nock.pendingMocks()).toHaveLength(1);
    nock.cleanAll();
    // With a Retry-After it can honour: retried.
    nock(BASE)
      .get('/v2/me')
      .reply(429, {}, { 'retry-after': '0' })
      .get('/v2/me')
      .reply(200, { uid: 'u', username: 'x' });
    expect(await request()).toEqual({ uid: 'u', username: 'x' });
    // With a longer one: not waited out, the caller gets it.
    nock(BASE)
      .get('/v2/me')
      .reply(429, {}, { 'retry-after': '60' })
      .get('/v2/me')
      .reply(200, { uid: 'u', username: 'x' });
    const limited = (await failure(request())) as ProviderRequestError;
    expect(limited).toMatchObject({ code: 'ERR_PROVIDER_RATE_LIMITED', retryAfter: 60 });
    expect(nock.pendingMocks()).toHaveLength(1);
    nock.cleanAll();
  });

  it('waits the delay the policy computes, without jitter when asked', async () => {
    nock(BASE)
      .get('/v2/me')
      .times(3)
      .replyWithError('socket hang up')
      .get('/v2/me')
      .reply(200, { uid: 'u', username: 'x' });
    const waits: number[] = [];
    const http = client({
      retry: { limit: 3, delay: (n) => n * 60, jitter: false },
      hooks: { onRetry: (e) => waits.push(e.delayMs ?? -1) },
    });
    await http.request({ method: 'GET', path: 'me', schema: User });
    expect(waits).toHaveLength(3);
    // Timers never fire early; with jitter a wait could be anywhere below these.
    for (const [i, wait] of waits.entries()) expect(wait).toBeGreaterThanOrEqual((i + 1) * 60 - 2);
  });

  it('gives up after the retry limit with the last error', async () => {
    nock(BASE).get('/v2/me').times(3).reply(500);
    const error = await failure(
      client({ retry: { ...fast, limit: 2 } }).request({ method: 'GET', path: 'me', schema: User }),
    );
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_SERVER')).toBe(true);
  });

  it('maps a refused connection to ERR_NETWORK without the secret', async () => {
    nock(BASE).get('/v2/me').times(3).replyWithError('socket hang up sk_live_supersecret');
    const error = (await failure(client().request({ method: 'GET', path: 'me', schema: User }))) as Error;
    expect(isAuthBridgeError(error, 'ERR_NETWORK')).toBe(true);
    expect(error.message).not.toContain('sk_live_supersecret');
  });

  it('redacts secret headers, query values and credentials from events and errors', async () => {
    nock(BASE).get('/v2/me').query(true).reply(401, { message: 'bad key sk_live_supersecret' });
    const events: HttpEvent[] = [];
    const http = client({
      hooks: { onRequest: (e) => events.push(e), onError: (e) => events.push(e) },
      parseError: ({ body }) => ({ message: (body as { message: string }).message }),
    });
    const error = (await failure(
      http.request({
        method: 'GET',
        path: 'me',
        searchParams: { api_key: 'querysecret1', page: 2 },
        headers: { 'x-secret-key': 'sk_live_supersecret' },
        schema: User,
      }),
    )) as Error;
    const everything = JSON.stringify({ events, message: error.message, json: error });
    expect(everything).not.toContain('sk_live_supersecret');
    expect(everything).not.toContain('querysecret1');
    expect(everything).toContain('page=2');
    expect(events[0]?.url).toBe(`${BASE}/v2/me?api_key=[REDACTED]&page=2`);
  });

  it("hides a request's own secret values (a user's token) from its errors, events and provider code", async () => {
    const token = 'pioneer-token-7f3a9c';
    nock(BASE)
      .get('/v2/me')
      .reply(500, { error: `bad_${token}`, message: `token ${token} is broken` })
      .get('/v2/me')
      .reply(200, `<html>${token}</html>`);
    const events: HttpEvent[] = [];
    const http = client({
      retry: false,
      hooks: { onError: (e) => events.push(e) },
      parseError: ({ body }) => {
        const { error, message } = body as { error: string; message: string };
        return { providerCode: error, message };
      },
    });
    const request = { method: 'GET', path: 'me', schema: User, secretValues: [token] } as const;
    const serverError = (await failure(http.request(request))) as ProviderRequestError;
    const unexpected = (await failure(http.request(request))) as UnexpectedResponseError;
    expect(serverError.code).toBe('ERR_PROVIDER_SERVER');
    expect(serverError.providerCode).toBe('bad_[REDACTED]');
    expect(unexpected.code).toBe('ERR_UNEXPECTED_RESPONSE');
    const everything = JSON.stringify({
      events,
      messages: [serverError.message, unexpected.message],
      errors: [serverError, unexpected],
    });
    expect(everything).toContain('[REDACTED]');
    expect(everything).not.toContain(token);
    // The client's own redactor is unchanged: the value belonged to those requests only.
    expect(http.redactor.text(token)).toBe(token);
  });

  it('signs every attempt afresh', async () => {
    const seen: string[] = [];
    nock(BASE)
      .get('/v2/me')
      .reply(function () {
        seen.push(String(this.req.headers.authorization));
        return [503, ''];
      })
      .get('/v2/me')
      .reply(function () {
        seen.push(String(this.req.headers.authorization));
        return [200, { uid: 'u', username: 'n' }];
      });
    let n = 0;
    const http = client({
      sign: ({ method, url }) => ({ authorization: `OAuth n=${++n} ${method} ${url}` }),
    });
    await http.request({ method: 'GET', path: 'me', schema: User });
    expect(seen).toEqual([`OAuth n=1 GET ${BASE}/v2/me`, `OAuth n=2 GET ${BASE}/v2/me`]);
  });

  it('uses the injected fetch', async () => {
    const urls: string[] = [];
    const http = client({
      fetch: async (input) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return new Response(JSON.stringify({ uid: 'x', username: 'y' }), {
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    expect((await http.request({ method: 'GET', path: 'me', schema: User })).uid).toBe('x');
    expect(urls).toEqual([`${BASE}/v2/me`]);
  });

  it('rejects with ERR_ABORTED for an aborted signal', async () => {
    const error = await failure(
      client().request({ method: 'GET', path: 'me', schema: User, signal: AbortSignal.abort() }),
    );
    expect(isAuthBridgeError(error, 'ERR_ABORTED')).toBe(true);
  });

  it('rejects bad configuration with ERR_CONFIG', () => {
    for (const bad of [
      { baseUrl: 'not a url' },
      { baseUrl: 'ftp://x' },
      { timeout: 0 },
      { timeout: Number.NaN },
      { retry: { limit: -1 } },
    ]) {
      expect(() => client(bad)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    }
  });

  it('refuses a baseUrl with a user name or password, without repeating it', () => {
    const error = (() => {
      try {
        client({ baseUrl: 'https://proxyuser:proxy-pass-93@proxy.example/v2' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(isAuthBridgeError(error, 'ERR_CONFIG')).toBe(true);
    expect(`${error?.message} ${JSON.stringify(error)}`).not.toContain('proxy-pass-93');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});
