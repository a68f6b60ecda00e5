/**
 * Unit tests of the Horizon client (nock): how each Horizon result code is typed, which failures
 * are retried (only with the same envelope), and that nothing hostile gets through unparsed.
 */
import { errorDocsPath } from '@authbridge/core';
import { rejectionOf as failure } from '@authbridge/test-utils';
import fc from 'fast-check';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHorizon, parseHorizonError, resultCodesOf } from './horizon.js';

const URL = 'https://horizon.pi.test';
const SEED = 'SBKGCMBY56MHTT4EGE3YJRZT3WR3KNPOLOQNNHA3WEHM5GYD5FBZF7AB';
const horizon = (extra: Partial<Parameters<typeof createHorizon>[0]> = {}) =>
  createHorizon({
    url: URL,
    secretValues: [SEED],
    retry: { baseDelay: 1, backoffLimit: 5 },
    submitTimeout: 500,
    ...extra,
  });
const HASH = 'a'.repeat(64);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const rejected = (transaction: string, operations?: string[]) => ({
  type: 'https://stellar.org/horizon-errors/transaction_failed',
  title: 'Transaction Failed',
  status: 400,
  extras: { envelope_xdr: 'AAAA', result_codes: { transaction, ...(operations ? { operations } : {}) } },
});

describe('Horizon result codes become typed errors', () => {
  const cases = [
    ['tx_bad_seq', undefined, 'ERR_PROVIDER_CONFLICT', false],
    ['tx_too_late', undefined, 'ERR_PROVIDER_CONFLICT', false],
    ['tx_too_early', undefined, 'ERR_PROVIDER_BAD_REQUEST', true],
    ['tx_insufficient_fee', undefined, 'ERR_PROVIDER_RATE_LIMITED', true],
    ['tx_bad_auth', undefined, 'ERR_CONFIG', false],
    ['tx_failed', ['op_underfunded'], 'ERR_PROVIDER_BAD_REQUEST', false],
    ['tx_failed', ['op_no_destination'], 'ERR_PROVIDER_NOT_FOUND', false],
  ] as const;
  for (const [transaction, operations, code, retryable] of cases) {
    const providerCode = operations?.[0] ?? transaction;
    it(`${providerCode} -> ${code}, retryable ${retryable}, sent once`, async () => {
      const scope = nock(URL)
        .post('/transactions')
        .once()
        .reply(400, rejected(transaction, operations ? [...operations] : undefined));
      const error = await failure(horizon().submit('AAAA'));
      expect(error).toMatchObject({ code, providerCode, retryable, provider: 'pi', status: 400 });
      expect(resultCodesOf(error)).toEqual({ transaction, operations });
      expect(error.message).toContain(providerCode);
      expect(error.docsPath).toBe(errorDocsPath(code));
      scope.done();
    });
  }

  it('an unknown result code keeps the status-derived code with Horizon’s code in providerCode', async () => {
    nock(URL).post('/transactions').reply(400, rejected('tx_internal_error'));
    expect(await failure(horizon().submit('AAAA'))).toMatchObject({
      code: 'ERR_PROVIDER_BAD_REQUEST',
      providerCode: 'tx_internal_error',
    });
  });
});

describe('submission retries only where the same envelope makes it safe', () => {
  it('a 503 and a 504 are retried with the identical form body, then the hash is returned', async () => {
    const bodies: string[] = [];
    const keep = (body: unknown) => {
      bodies.push(JSON.stringify(body));
      return true;
    };
    nock(URL)
      .post('/transactions', keep)
      .reply(503, { status: 503, title: 'Service Unavailable' })
      .post('/transactions', keep)
      .reply(504, { status: 504, title: 'Timeout' })
      .post('/transactions', keep)
      .reply(200, { hash: HASH, successful: true });
    expect(await horizon().submit('ENVELOPE+/=')).toBe(HASH);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0] ?? '{}')).toEqual({ tx: 'ENVELOPE+/=' });
  });

  it('a timeout is retried, then surfaces as ERR_TIMEOUT (outcome unknown)', async () => {
    nock(URL).post('/transactions').times(3).delay(800).reply(200, { hash: HASH });
    expect(await failure(horizon().submit('AAAA'))).toMatchObject({ code: 'ERR_TIMEOUT', retryable: true });
  });

  it('a dropped connection is retried, then ERR_NETWORK', async () => {
    nock(URL).post('/transactions').times(3).replyWithError({ code: 'ECONNRESET' });
    expect(await failure(horizon().submit('AAAA'))).toMatchObject({ code: 'ERR_NETWORK' });
  });

  it('retry: false from the app is respected', async () => {
    nock(URL).post('/transactions').once().reply(503, {});
    expect(await failure(horizon({ retry: false }).submit('AAAA'))).toMatchObject({
      code: 'ERR_PROVIDER_SERVER',
    });
  });

  it('sends no Authorization header: Horizon is not Pi’s platform API', async () => {
    nock(URL, { badheaders: ['authorization'] })
      .post('/transactions')
      .reply(200, { hash: HASH });
    expect(await horizon().submit('AAAA')).toBe(HASH);
  });
});

describe('answers are parsed', () => {
  it('a 404 transaction or account is undefined; another status is an error', async () => {
    nock(URL).get(`/transactions/${HASH}`).reply(404, { status: 404, title: 'Resource Missing' });
    nock(URL).get('/accounts/GABC').reply(404, { status: 404 });
    expect(await horizon().transaction(HASH)).toBeUndefined();
    expect(await horizon().sequenceOf('GABC')).toBeUndefined();
    nock(URL).get(`/transactions/${HASH}`).reply(400, { status: 400, title: 'Bad Request' });
    expect((await failure(horizon({ retry: false }).transaction(HASH))).code).toBe(
      'ERR_PROVIDER_BAD_REQUEST',
    );
  });

  it('a hash, sequence or fee of the wrong shape is ERR_UNEXPECTED_RESPONSE', async () => {
    nock(URL).post('/transactions').reply(200, { hash: 'not-a-hash' });
    nock(URL).get('/accounts/GABC').reply(200, { sequence: '12e3' });
    nock(URL).get('/fee_stats').reply(200, { last_ledger_base_fee: 100 });
    expect((await failure(horizon().submit('AAAA'))).code).toBe('ERR_UNEXPECTED_RESPONSE');
    expect((await failure(horizon().sequenceOf('GABC'))).code).toBe('ERR_UNEXPECTED_RESPONSE');
    expect((await failure(horizon().baseFee())).code).toBe('ERR_UNEXPECTED_RESPONSE');
  });

  it('the root gives the ledger close time and the passphrase', async () => {
    nock(URL).get('/').reply(200, {
      history_latest_ledger_closed_at: '2026-01-15T12:00:00Z',
      network_passphrase: 'Pi Testnet',
    });
    expect(await horizon().root()).toEqual({
      closedAtMs: Date.UTC(2026, 0, 15, 12),
      passphrase: 'Pi Testnet',
    });
  });
});

describe('parseHorizonError (property)', () => {
  it('never throws on any body and only passes snake_case codes', () => {
    fc.assert(
      fc.property(fc.anything(), (body) => {
        const parsed = parseHorizonError({ body });
        if (parsed?.providerCode !== undefined) expect(parsed.providerCode).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
      }),
      { numRuns: 500 },
    );
  });

  it('for tx_failed, the first failing operation names the error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('op_success', 'op_underfunded', 'op_no_destination', 'op_malformed'), {
          maxLength: 5,
        }),
        (operations) => {
          const parsed = parseHorizonError({ body: rejected('tx_failed', operations) });
          expect(parsed?.providerCode).toBe(operations.find((o) => o !== 'op_success') ?? 'tx_failed');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a code with markup is dropped; a secret echoed in the title is redacted from the error', async () => {
    expect(parseHorizonError({ body: rejected('tx_<script>') })?.providerCode).toBeUndefined();
    nock(URL)
      .post('/transactions')
      .reply(400, { ...rejected('tx_bad_auth'), title: `Bad signature for ${SEED}` });
    const error = await failure(horizon().submit('AAAA'));
    expect(error.code).toBe('ERR_CONFIG');
    expect(
      `${error.message} ${JSON.stringify(error)} ${String((error.cause as Error).message)}`,
    ).not.toContain(SEED);
  });
});
