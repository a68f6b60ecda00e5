import { bytesToHex, createMemoryStore, isAuthBridgeError, utf8ToBytes } from '@authbridge/core';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as V from '../test/vectors.js';
import { createMagicAdmin } from './admin.js';
import { canonicalIssuer } from './did-token.js';
import { magic } from './provider.js';
import { hashPersonalMessage } from './recover.js';
import * as validateModule from './validate.js';

const HOST = 'https://api.toaster.magic.link';
const SECRET = 'sk_test_123_not_a_real_key';
const ISSUER = 'did:ethr:0x1234';
const VALID_DIDT_AUD = 'did:magic:f54168e9-9ce9-47f2-81c8-7cb2a96b26ba';
const NOW = new Date('2026-11-23T12:00:00Z');
/** VALID_DIDT's `ext - iat`, ten years: over the default replay lifespan cap, so raised to it where needed. */
const VALID_DIDT_LIFESPAN = 1900411204 - 1585011204;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/**
 * The verified-token cache and `provider.verify` read the wall clock, not a `now` option: pin it
 * inside the spec vectors' validity (VALID_DIDT expires in 2030), so these tests do not change
 * outcome, or silently stop testing the cache, once that date has passed.
 */
function pinClock(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
}

const admin = (extra: Partial<Parameters<typeof createMagicAdmin>[0]> = {}) =>
  createMagicAdmin({ secretKey: SECRET, backoffFactor: 0, ...extra });

const USER = {
  issuer: ISSUER,
  public_address: '0x1234',
  email: 'a@example.com',
  oauth_provider: null,
  phone_number: null,
  username: null,
  wallets: [{ wallet_type: 'SOLANA', network: 'MAINNET', public_address: 'barxyz' }],
};

describe('admin calls on the wire', () => {
  it('GET /v1/admin/client with the secret-key header, once', async () => {
    const scope = nock(HOST, { reqheaders: { 'x-magic-secret-key': SECRET } })
      .get('/v1/admin/client')
      .reply(200, { client_id: 'cid', app_scope: 'GLOBAL' });
    const client = admin();
    await expect(Promise.all([client.getClientId(), client.getClientId()])).resolves.toEqual(['cid', 'cid']);
    expect(scope.isDone()).toBe(true);
  });

  it('GET /v1/admin/user with issuer and wallet_type, snake_case mapped to camelCase', async () => {
    nock(HOST, { reqheaders: { 'x-magic-secret-key': SECRET } })
      .get('/v1/admin/user')
      .query({ issuer: ISSUER, wallet_type: 'SOLANA' })
      .reply(200, USER);
    await expect(admin().users.getMetadataByIssuer(ISSUER, { walletType: 'SOLANA' })).resolves.toEqual({
      issuer: ISSUER,
      publicAddress: '0x1234',
      email: 'a@example.com',
      oauthProvider: null,
      phoneNumber: null,
      username: null,
      wallets: [{ walletType: 'SOLANA', network: 'MAINNET', publicAddress: 'barxyz' }],
    });
  });

  it('ByPublicAddress and ByToken resolve the issuer; wallet_type defaults to NONE', async () => {
    nock(HOST).get('/v1/admin/user').query({ issuer: ISSUER, wallet_type: 'NONE' }).reply(200, USER);
    nock(HOST)
      .get('/v1/admin/user')
      .query({ issuer: 'did:ethr:0xB2ec9b61699762491b6542278E9dFEC9050f8089', wallet_type: 'NONE' })
      .reply(200, USER);
    await admin().users.getMetadataByPublicAddress('0x1234');
    await admin().users.getMetadataByToken(V.VALID_DIDT);
    expect(nock.isDone()).toBe(true);
  });

  it('tolerates the legacy envelope', async () => {
    nock(HOST)
      .get('/v1/admin/user')
      .query(true)
      .reply(200, { data: USER, error_code: '', message: '', status: 'ok' });
    nock(HOST)
      .get('/v1/admin/client')
      .reply(200, { data: { client_id: 'cid', app_scope: 'GLOBAL' }, status: 'ok' });
    await expect(admin().users.getMetadataByIssuer(ISSUER)).resolves.toMatchObject({
      email: 'a@example.com',
    });
    await expect(admin().getClientId()).resolves.toBe('cid');
  });

  it('an empty or failed-envelope 200 is an unexpected response, never all-null metadata', async () => {
    nock(HOST).get('/v1/admin/user').query(true).reply(200, {});
    nock(HOST).get('/v1/admin/user').query(true).reply(200, { data: {}, status: 'failed', error_code: 'X' });
    await expect(admin().users.getMetadataByIssuer(ISSUER)).rejects.toMatchObject({
      code: 'ERR_UNEXPECTED_RESPONSE',
    });
    await expect(admin().users.getMetadataByIssuer(ISSUER)).rejects.toMatchObject({
      code: 'ERR_UNEXPECTED_RESPONSE',
    });
  });

  it('POST /v1/admin/user/logout with a JSON body {issuer}', async () => {
    let body: unknown;
    nock(HOST, { reqheaders: { 'x-magic-secret-key': SECRET, 'content-type': 'application/json' } })
      .post('/v1/admin/user/logout', (b) => {
        body = b;
        return true;
      })
      .reply(200, {});
    await admin().users.logoutByIssuer(ISSUER);
    expect(body).toEqual({ issuer: ISSUER });
    nock(HOST)
      .post('/v1/admin/user/logout', { issuer: 'did:ethr:0x0123' })
      .reply(200, { status: 'ok', data: {} });
    await admin().users.logoutByPublicAddress('0x0123');
    nock(HOST)
      .post('/v1/admin/user/logout', { issuer: 'did:ethr:0xB2ec9b61699762491b6542278E9dFEC9050f8089' })
      .reply(200, {});
    await admin().users.logoutByToken(V.VALID_DIDT);
    expect(nock.isDone()).toBe(true);
  });

  it.each([
    [400, 'ERR_PROVIDER_BAD_REQUEST', 'BadRequestError'],
    [401, 'ERR_PROVIDER_UNAUTHORIZED', 'AuthenticationError'],
    [403, 'ERR_PROVIDER_FORBIDDEN', 'ForbiddenError'],
    [404, 'ERR_PROVIDER_NOT_FOUND', 'APIError'],
    [429, 'ERR_PROVIDER_RATE_LIMITED', 'RateLimitingError'],
    [499, 'ERR_PROVIDER_REQUEST', 'APIError'],
    [500, 'ERR_PROVIDER_SERVER', 'APIError'],
  ])('status %i → %s (Python %s), Magic error_code kept, no secret in the error', async (status, code) => {
    nock(HOST)
      .get('/v1/admin/user')
      .query(true)
      .reply(status, { data: {}, error_code: 'SOME_MAGIC_CODE', message: `bad ${SECRET}`, status: 'failed' });
    const error = await admin({ retry: false })
      .users.getMetadataByIssuer(ISSUER)
      .catch((e: unknown) => e);
    expect(isAuthBridgeError(error, code as 'ERR_PROVIDER_SERVER')).toBe(true);
    expect(error).toMatchObject({ status, providerCode: 'SOME_MAGIC_CODE' });
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(SECRET);
  });

  it('FastAPI {detail} bodies give the message', async () => {
    nock(HOST).post('/v1/admin/user/logout').reply(422, { detail: 'issuer: field required' });
    await expect(admin().users.logoutByIssuer(ISSUER)).rejects.toMatchObject({
      code: 'ERR_PROVIDER_BAD_REQUEST',
      message: expect.stringContaining('issuer: field required'),
    });
  });

  describe('retries only where spec §3 allows (urllib3 as the Python SDK mounts it)', () => {
    it('retries a GET on 429 with Retry-After (retries = 3 → 4 requests), then ERR_PROVIDER_RATE_LIMITED', async () => {
      const scope = nock(HOST)
        .get('/v1/admin/user')
        .query(true)
        .times(4)
        .reply(429, {}, { 'retry-after': '0' });
      await expect(admin().users.getMetadataByIssuer(ISSUER)).rejects.toMatchObject({
        code: 'ERR_PROVIDER_RATE_LIMITED',
        retryAfter: 0,
      });
      expect(scope.isDone()).toBe(true);
    });

    it.each([413, 429, 503])('a GET on %i with Retry-After is retried and then succeeds', async (status) => {
      nock(HOST).get('/v1/admin/user').query(true).reply(status, {}, { 'retry-after': '0' });
      nock(HOST).get('/v1/admin/user').query(true).reply(200, USER);
      await expect(admin().users.getMetadataByIssuer(ISSUER)).resolves.toMatchObject({ issuer: ISSUER });
      expect(nock.pendingMocks()).toEqual([]);
    });

    it.each([
      [429, 'ERR_PROVIDER_RATE_LIMITED'],
      [503, 'ERR_PROVIDER_SERVER'],
      [413, 'ERR_PROVIDER_REQUEST'],
    ])('a GET on %i without Retry-After fails at once with %s: one request', async (status, code) => {
      // A second, successful answer is ready: a retry would consume it and resolve.
      nock(HOST).get('/v1/admin/user').query(true).reply(status, { error_code: 'X', message: 'slow down' });
      nock(HOST).get('/v1/admin/user').query(true).reply(200, USER);
      await expect(admin().users.getMetadataByIssuer(ISSUER)).rejects.toMatchObject({ code, status });
      expect(nock.pendingMocks()).toHaveLength(1);
    });

    it('an unparseable Retry-After counts as none: not retried', async () => {
      nock(HOST).get('/v1/admin/client').reply(429, {}, { 'retry-after': 'soon' });
      nock(HOST).get('/v1/admin/client').reply(200, { client_id: 'cid' });
      await expect(admin().getClientId()).rejects.toMatchObject({ code: 'ERR_PROVIDER_RATE_LIMITED' });
      expect(nock.pendingMocks()).toHaveLength(1);
    });

    it('does not retry a GET on 500 or 502, even with Retry-After, nor any POST', async () => {
      for (const status of [500, 502]) {
        nock(HOST).get('/v1/admin/user').query(true).reply(status, {}, { 'retry-after': '0' });
        nock(HOST).get('/v1/admin/user').query(true).reply(200, USER);
        await expect(admin().users.getMetadataByIssuer(ISSUER)).rejects.toMatchObject({
          code: 'ERR_PROVIDER_SERVER',
        });
        expect(nock.pendingMocks()).toHaveLength(1);
        nock.cleanAll();
      }
      nock(HOST).post('/v1/admin/user/logout').reply(503, {}, { 'retry-after': '0' });
      nock(HOST).post('/v1/admin/user/logout').reply(200, {});
      await expect(admin().users.logoutByIssuer(ISSUER)).rejects.toMatchObject({
        code: 'ERR_PROVIDER_SERVER',
      });
      expect(nock.pendingMocks()).toHaveLength(1);
    });

    it('retries a dropped connection on a GET, never on a POST', async () => {
      nock(HOST).get('/v1/admin/client').replyWithError('socket hang up');
      nock(HOST).get('/v1/admin/client').reply(200, { client_id: 'cid' });
      await expect(admin().getClientId()).resolves.toBe('cid');
      nock(HOST).post('/v1/admin/user/logout').replyWithError('socket hang up');
      nock(HOST).post('/v1/admin/user/logout').reply(200, {});
      await expect(admin().users.logoutByIssuer(ISSUER)).rejects.toMatchObject({ code: 'ERR_NETWORK' });
      expect(nock.pendingMocks()).toHaveLength(1);
    });

    it('waits 0, then backoffFactor·2^(n−1) as urllib3 (also for Retry-After: 0), and a non-zero Retry-After as given', async () => {
      // delayMs is the wait observed between attempts: never shorter than planned, slightly longer.
      const delays: number[] = [];
      const events: { attempt: number; status?: number }[] = [];
      const hooks = {
        onRetry: (e: { delayMs?: number; attempt: number; status?: number }) => {
          delays.push(e.delayMs ?? -1);
          events.push({ attempt: e.attempt, status: e.status });
        },
      };
      nock(HOST).get('/v1/admin/user').query(true).times(4).reply(503, {}, { 'retry-after': '0' });
      await expect(
        admin({ backoffFactor: 0.25, hooks }).users.getMetadataByIssuer(ISSUER),
      ).rejects.toMatchObject({ status: 503 });
      expect(events).toEqual([1, 2, 3].map((attempt) => ({ attempt, status: 503 })));
      // The first retry is immediate: far below the second's 500 ms, even on a loaded machine.
      expect(delays[0]).toBeLessThan(400);
      expect(delays[1]).toBeGreaterThanOrEqual(498);
      expect(delays[2]).toBeGreaterThanOrEqual(998);
      delays.length = 0;
      nock(HOST).get('/v1/admin/client').reply(429, {}, { 'retry-after': '1' });
      nock(HOST).get('/v1/admin/client').reply(200, { client_id: 'cid' });
      await expect(admin({ hooks }).getClientId()).resolves.toBe('cid');
      expect(delays).toHaveLength(1);
      expect(delays[0]).toBeGreaterThanOrEqual(998);
    });

    it('reports one onError per call and numbers its attempts', async () => {
      const errors: { attempt: number }[] = [];
      const requests: number[] = [];
      const hooks = {
        onError: (e: { attempt: number }) => errors.push(e),
        onRequest: (e: { attempt: number }) => requests.push(e.attempt),
      };
      nock(HOST).get('/v1/admin/user').query(true).times(3).reply(503, {}, { 'retry-after': '0' });
      await expect(
        admin({ retries: 2, backoffFactor: 0, hooks }).users.getMetadataByIssuer(ISSUER),
      ).rejects.toMatchObject({ status: 503 });
      expect(requests).toEqual([1, 2, 3]);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.attempt).toBe(3);
    });

    it('a Retry-After beyond 120 s is not waited out: the error and its retryAfter go to the caller', async () => {
      nock(HOST).get('/v1/admin/client').reply(429, {}, { 'retry-after': '3600' });
      nock(HOST).get('/v1/admin/client').reply(200, { client_id: 'cid' });
      await expect(admin().getClientId()).rejects.toMatchObject({ retryAfter: 3600 });
      expect(nock.pendingMocks()).toHaveLength(1);
    });

    it('retries: 0 and retry: false turn retries off', async () => {
      for (const extra of [{ retries: 0 }, { retry: false as const }]) {
        nock(HOST).get('/v1/admin/client').reply(429, {}, { 'retry-after': '0' });
        nock(HOST).get('/v1/admin/client').reply(200, { client_id: 'cid' });
        await expect(admin(extra).getClientId()).rejects.toMatchObject({ code: 'ERR_PROVIDER_RATE_LIMITED' });
        expect(nock.pendingMocks()).toHaveLength(1);
        nock.cleanAll();
      }
    });

    it('an abort during the wait ends the call with ERR_ABORTED', async () => {
      nock(HOST).get('/v1/admin/client').reply(429, {}, { 'retry-after': '60' });
      const controller = new AbortController();
      const call = admin().getClientId({ signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(call).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    });
  });

  it('honours baseUrl (trailing slashes stripped)', async () => {
    nock('https://example.com').get('/v1/admin/client').reply(200, { client_id: 'x' });
    await expect(admin({ baseUrl: 'https://example.com//' }).getClientId()).resolves.toBe('x');
  });

  it('a missing secret key is ERR_CONFIG with ERROR_SECRET_API_KEY_MISSING, before any request', () => {
    expect(() => createMagicAdmin({ secretKey: '' })).toThrowError(
      expect.objectContaining({ code: 'ERR_CONFIG', providerCode: 'ERROR_SECRET_API_KEY_MISSING' }),
    );
  });

  it('a network failure is ERR_NETWORK, a non-JSON body ERR_UNEXPECTED_RESPONSE', async () => {
    nock(HOST).get('/v1/admin/client').replyWithError('socket hang up');
    await expect(admin({ retry: false }).getClientId()).rejects.toMatchObject({ code: 'ERR_NETWORK' });
    nock(HOST).get('/v1/admin/client').reply(200, '<html>oops</html>');
    await expect(admin().getClientId()).rejects.toMatchObject({ code: 'ERR_UNEXPECTED_RESPONSE' });
  });
});

describe('token.validate', () => {
  it('uses the looked-up client id for the audience check', async () => {
    nock(HOST).get('/v1/admin/client').reply(200, { client_id: 'different' });
    await expect(admin().token.validate(V.VALID_DIDT, { now: NOW })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_AUDIENCE',
    });
  });

  it('an aborted signal rejects before any work', async () => {
    await expect(
      admin().token.validate(V.VALID_DIDT, { now: NOW, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: 'ERR_ABORTED',
    });
  });

  it('serves a repeat validation from the cache, never a failed token, never past ext', async () => {
    pinClock();
    const spy = vi.spyOn(validateModule, 'validateDIDToken');
    const client = admin({ clientId: VALID_DIDT_AUD });
    await client.token.validate(V.VALID_DIDT, { now: NOW });
    await client.token.validate(V.VALID_DIDT, { now: NOW });
    expect(spy).toHaveBeenCalledTimes(1);
    await expect(client.token.validate(V.VALID_DIDT, { now: 1900411205 * 1000 })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_EXPIRED',
    });
    await expect(client.token.validate(V.EXPIRED_DIDT, { clientId: null, now: NOW })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_EXPIRED',
    });
    await expect(client.token.validate(V.EXPIRED_DIDT, { clientId: null, now: NOW })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_EXPIRED',
    });
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it('the cache key includes the attachment: a cached token cannot skip an attachment check', async () => {
    pinClock();
    const spy = vi.spyOn(validateModule, 'validateDIDToken');
    const client = admin({ clientId: null });
    await client.token.validate(V.VALID_DIDT, { now: NOW });
    await client.token.validate(V.VALID_DIDT, { now: NOW });
    expect(spy).toHaveBeenCalledTimes(1); // cached
    await expect(
      client.token.validate(V.VALID_DIDT, { now: NOW, attachment: 'ravi@magic.link' }),
    ).rejects.toMatchObject({
      providerCode: 'ERROR_INCORRECT_SIGNER_ADDR',
    });
  });
});

describe('client-id lookup', () => {
  const AUD = 'did:magic:f54168e9-9ce9-47f2-81c8-7cb2a96b26ba';
  afterEach(() => vi.useRealTimers());

  it('a malformed, forged or expired token is refused without calling Magic', async () => {
    // No interceptor and no net connect: any call would end as ERR_NETWORK instead.
    const client = admin();
    await expect(client.token.validate('bm90IGEgdG9rZW4=', { now: NOW })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_MALFORMED',
    });
    await expect(client.token.validate(V.INVALID_SIGNER_DIDT, { now: NOW })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_SIGNATURE',
    });
    await expect(client.token.validate(V.EXPIRED_DIDT, { now: NOW })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_EXPIRED',
    });
  });

  it('a failed lookup fails the validation, is remembered briefly (no hammering), then looked up again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const lookups = nock(HOST).get('/v1/admin/client').reply(401, { error_code: 'API_KEY_INVALID' });
    const client = admin();
    const failures = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.token.validate(V.VALID_DIDT, { now: NOW }).catch((e: unknown) => e),
      ),
    );
    for (const error of failures) expect(error).toMatchObject({ code: 'ERR_PROVIDER_UNAUTHORIZED' });
    expect(lookups.isDone()).toBe(true);
    // A good answer is ready, but within the window the failure is served without a call.
    const next = nock(HOST).get('/v1/admin/client').reply(200, { client_id: AUD });
    await expect(client.token.validate(V.VALID_DIDT, { now: NOW })).rejects.toMatchObject({
      code: 'ERR_PROVIDER_UNAUTHORIZED',
    });
    expect(next.isDone()).toBe(false);
    vi.setSystemTime(Date.now() + 5_001);
    await expect(client.token.validate(V.VALID_DIDT, { now: NOW })).resolves.toMatchObject({
      claim: { aud: AUD },
    });
    expect(next.isDone()).toBe(true);
  });

  it('a failed lookup never skips the audience check: a wrong-audience token is not accepted', async () => {
    nock(HOST).get('/v1/admin/client').times(2).reply(500, {});
    const client = admin({ retry: false });
    await expect(client.token.validate(V.VALID_DIDT, { now: NOW })).rejects.toMatchObject({
      code: 'ERR_PROVIDER_SERVER',
    });
    await expect(client.token.validate(V.VALID_DIDT, { now: NOW })).rejects.toMatchObject({
      code: 'ERR_PROVIDER_SERVER',
    });
  });

  it('one caller aborting does not cancel the lookup the others share', async () => {
    nock(HOST).get('/v1/admin/client').delay(1500).reply(200, { client_id: AUD });
    const client = admin();
    const controller = new AbortController();
    const waiting = client.token.validate(V.VALID_DIDT, { now: NOW });
    const aborted = client.token.validate(V.VALID_DIDT, { now: NOW, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(waiting).resolves.toMatchObject({ claim: { aud: AUD } });
  });
});

describe('replay protection', () => {
  const N = secp256k1.Point.CURVE().n;
  const key = keccak_256(utf8ToBytes('replay test user'));
  const address = `0x${bytesToHex(keccak_256(secp256k1.getPublicKey(key, false).subarray(1)).subarray(12))}`;
  const nowS = Math.floor(NOW.getTime() / 1000);
  const claim = JSON.stringify({
    iat: nowS,
    ext: nowS + 900,
    iss: `did:ethr:${address}`,
    sub: 'sub',
    aud: 'replay-app',
    nbf: nowS,
    tid: '11111111-2222-4333-8444-555555555555',
    add: '0x00',
  });
  const sig = secp256k1.sign(hashPersonalMessage(claim), key, { prehash: false, format: 'recovered' });
  const r = bytesToHex(sig.subarray(1, 33));
  const s = BigInt(`0x${bytesToHex(sig.subarray(33, 65))}`);
  const recovery = sig[0] as number;
  const low = `0x${r}${s.toString(16).padStart(64, '0')}${(27 + recovery).toString(16)}`;
  const high = `0x${r}${(N - s).toString(16).padStart(64, '0')}${(27 + (recovery ^ 1)).toString(16)}`;
  const token = (proof: string) => btoa(JSON.stringify([proof, claim]));
  const client = () => admin({ clientId: 'replay-app', replayStore: createMemoryStore() });

  it('the high-s twin is itself a valid signature of the same claim', async () => {
    expect(token(high)).not.toBe(token(low));
    await expect(client().token.validate(token(high), { now: NOW })).resolves.toMatchObject({
      issuer: canonicalIssuer(address),
    });
  });

  it('a malleated (high-s) signature of a token already used is refused as a replay, and vice versa', async () => {
    for (const [first, second] of [
      [low, high],
      [high, low],
    ] as const) {
      const c = client();
      await c.token.validate(token(first), { now: NOW });
      await expect(c.token.validate(token(second), { now: NOW })).rejects.toMatchObject({
        code: 'ERR_CREDENTIAL_REPLAYED',
      });
    }
  });

  it('consume: false validates without using the token up, and accepts one already used', async () => {
    const c = client();
    await c.token.validate(token(low), { now: NOW, consume: false });
    await c.token.validate(token(low), { now: NOW });
    await expect(c.token.validate(token(low), { now: NOW, consume: false })).resolves.toMatchObject({
      issuer: canonicalIssuer(address),
    });
    await expect(c.token.validate(token(low), { now: NOW })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_REPLAYED',
    });
  });

  it('verify uses the token up before fetching metadata: a failed fetch needs a new token, and a replay never reaches Magic', async () => {
    pinClock();
    const provider = magic({
      secretKey: SECRET,
      clientId: VALID_DIDT_AUD,
      replayStore: createMemoryStore(),
      replayMaxLifespan: VALID_DIDT_LIFESPAN,
      fetchMetadata: true,
      retry: false,
    });
    nock(HOST).get('/v1/admin/user').query(true).reply(503, {});
    await expect(provider.verify(V.VALID_DIDT)).rejects.toMatchObject({ code: 'ERR_PROVIDER_SERVER' });
    const metadata = nock(HOST).get('/v1/admin/user').query(true).reply(200, USER);
    await expect(provider.verify(V.VALID_DIDT)).rejects.toMatchObject({ code: 'ERR_CREDENTIAL_REPLAYED' });
    expect(metadata.isDone()).toBe(false);
  });
});
