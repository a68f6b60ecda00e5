import { type Emulator, startEmulator } from '@authbridge/emulator';
import { rejectionOf as failure } from '@authbridge/test-utils';
import * as v from 'valibot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAuthBridgeError, type ProviderRequestError } from './errors.js';
import { createHttpClient, type HttpClientOptions, type HttpEvent } from './http.js';

const Echo = v.object({ method: v.string(), path: v.string() });
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ providers: ['echo'] });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

const client = (extra: Partial<HttpClientOptions> = {}) =>
  createHttpClient({
    provider: 'echo',
    defaultBaseUrl: emulator.urls.echo!,
    timeout: 2000,
    retry: { baseDelay: 10, backoffLimit: 50 },
    ...extra,
  });
const attemptsAt = (subPath: string) => emulator.requests.filter((r) => r.subPath === subPath);

describe('HTTP layer against the emulator, over real sockets', () => {
  it('reaches a route and parses the answer', async () => {
    const body = await client().request({ method: 'GET', path: 'anything/ok', schema: Echo });
    expect(body).toEqual({ method: 'GET', path: '/echo/anything/ok' });
  });

  it.each([
    ['a 503 with a JSON body', { status: 503, body: { error: 'down' } }, 'ERR_PROVIDER_SERVER'],
    ['a 429', { status: 429, body: { error: 'slow down' } }, 'ERR_PROVIDER_RATE_LIMITED'],
    ['a 404', { status: 404 }, 'ERR_PROVIDER_NOT_FOUND'],
    ['a dropped connection', { drop: true }, 'ERR_NETWORK'],
    ['a non-JSON 200 body', { nonJson: true }, 'ERR_UNEXPECTED_RESPONSE'],
    ['a non-JSON 502 body', { nonJson: true, status: 502 }, 'ERR_PROVIDER_SERVER'],
    ['a hung server', { delayMs: 5000 }, 'ERR_TIMEOUT'],
    ['a body that stalls after the headers', { stallBodyMs: 5000 }, 'ERR_TIMEOUT'],
    ['an error body that stalls', { status: 503, stallBodyMs: 5000 }, 'ERR_TIMEOUT'],
  ] as const)('ends %s in %s', async (_name, fault, code) => {
    emulator.injectFault({ provider: 'echo', path: '/anything/f', fault });
    // Only the faults that hang meet the timeout; a loaded machine must not turn the others into one.
    const timeout = 'delayMs' in fault || 'stallBodyMs' in fault ? 400 : 4000;
    const error = await failure(
      client({ timeout, retry: false }).request({ method: 'GET', path: 'anything/f', schema: Echo }),
    );
    expect(error.code).toBe(code);
    expect(attemptsAt('/anything/f')).toHaveLength(1);
  });

  it('retries a GET through two failures and succeeds on the third attempt', async () => {
    emulator.injectFault({ provider: 'echo', path: '/anything/r', times: 1, fault: { drop: true } });
    emulator.injectFault({ provider: 'echo', path: '/anything/r', times: 1, fault: { status: 502 } });
    const body = await client().request({ method: 'GET', path: 'anything/r', schema: Echo });
    expect(body.method).toBe('GET');
    expect(attemptsAt('/anything/r')).toHaveLength(3);
  });

  it('never retries a POST, whatever the fault', async () => {
    for (const fault of [{ status: 503 }, { drop: true }, { delayMs: 2000 }]) {
      emulator.reset();
      emulator.injectFault({ provider: 'echo', path: '/anything/p', fault });
      await failure(
        client({ timeout: 300 }).request({ method: 'POST', path: 'anything/p', json: {}, schema: Echo }),
      );
      expect(attemptsAt('/anything/p'), JSON.stringify(fault)).toHaveLength(1);
    }
  });

  it('does not retry a 400-class error other than 408 and 429', async () => {
    emulator.injectFault({ provider: 'echo', path: '/anything/b', fault: { status: 400 } });
    const error = await failure(client().request({ method: 'GET', path: 'anything/b', schema: Echo }));
    expect(error.code).toBe('ERR_PROVIDER_BAD_REQUEST');
    expect(attemptsAt('/anything/b')).toHaveLength(1);
  });

  it('times out each attempt: three attempts of a hung GET, each cut at the timeout', async () => {
    emulator.injectFault({ provider: 'echo', path: '/anything/t', fault: { delayMs: 5000 } });
    const retries: HttpEvent[] = [];
    const error = await failure(
      client({ timeout: 250, hooks: { onRetry: (e) => retries.push(e) } }).request({
        method: 'GET',
        path: 'anything/t',
        schema: Echo,
      }),
    );
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(attemptsAt('/anything/t')).toHaveLength(3);
    expect(retries.map((e) => e.error?.code)).toEqual(['ERR_TIMEOUT', 'ERR_TIMEOUT']);
    // Each attempt was cut near its own timeout, not the whole call at one.
    for (const retry of retries) expect(retry.durationMs).toBeGreaterThanOrEqual(240);
  });

  it('times out each attempt of a GET whose body stalls, and retries it', async () => {
    emulator.injectFault({ provider: 'echo', path: '/anything/sb', times: 2, fault: { stallBodyMs: 5000 } });
    const retries: HttpEvent[] = [];
    const body = await client({ timeout: 800, hooks: { onRetry: (e) => retries.push(e) } }).request({
      method: 'GET',
      path: 'anything/sb',
      schema: Echo,
    });
    expect(body.path).toBe('/echo/anything/sb');
    expect(retries.map((e) => e.error?.code)).toEqual(['ERR_TIMEOUT', 'ERR_TIMEOUT']);
    expect(attemptsAt('/anything/sb')).toHaveLength(3);
  });

  it('waits as long as Retry-After says before retrying a 503, and reports the wait apart from the attempt', async () => {
    emulator.injectFault({
      provider: 'echo',
      path: '/anything/ra',
      times: 1,
      fault: { status: 503, retryAfter: 1 },
    });
    const retries: HttpEvent[] = [];
    const responses: HttpEvent[] = [];
    await client({
      hooks: { onRetry: (e) => retries.push(e), onResponse: (e) => responses.push(e) },
    }).request({ method: 'GET', path: 'anything/ra', schema: Echo });
    const [first, second] = attemptsAt('/anything/ra');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(retries).toHaveLength(1);
    const [retry] = retries;
    expect(retry).toMatchObject({ attempt: 1, status: 503, error: { code: 'ERR_PROVIDER_SERVER' } });
    expect(retry!.delayMs).toBeGreaterThanOrEqual(950);
    // The failed attempt's duration does not include the wait that followed it.
    expect(retry!.durationMs).toBeLessThan(retry!.delayMs!);
    expect(responses.map((e) => [e.attempt, e.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    expect(responses[0]!.durationMs).toBeLessThan(retry!.delayMs!);
  });

  it('caps a long Retry-After at maxRetryAfter', async () => {
    emulator.injectFault({
      provider: 'echo',
      path: '/anything/cap',
      times: 1,
      fault: { status: 429, retryAfter: 3600 },
    });
    await client({ retry: { baseDelay: 10, maxRetryAfter: 100 } }).request({
      method: 'GET',
      path: 'anything/cap',
      schema: Echo,
    });
    const [first, second] = attemptsAt('/anything/cap');
    expect(second!.at - first!.at).toBeLessThan(3000);
  });

  it('surfaces Retry-After on the final 429 error', async () => {
    emulator.injectFault({ provider: 'echo', path: '/anything/429', fault: { status: 429, retryAfter: 2 } });
    const error = (await failure(
      client({ retry: false }).request({ method: 'GET', path: 'anything/429', schema: Echo }),
    )) as ProviderRequestError;
    expect(error.code).toBe('ERR_PROVIDER_RATE_LIMITED');
    expect(error.retryAfter).toBe(2);
  });

  it('stops the retry loop when the caller aborts during a backoff wait', async () => {
    emulator.injectFault({ provider: 'echo', path: '/anything/ab', fault: { status: 503, retryAfter: 5 } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const error = await failure(
      client().request({ method: 'GET', path: 'anything/ab', schema: Echo, signal: controller.signal }),
    );
    expect(error.code).toBe('ERR_ABORTED');
    expect(Date.now() - started).toBeLessThan(4000);
    expect(attemptsAt('/anything/ab')).toHaveLength(1);
  });

  it('aborts an attempt in flight', async () => {
    emulator.injectFault({ provider: 'echo', path: '/anything/inflight', fault: { delayMs: 3000 } });
    const error = await failure(
      client().request({
        method: 'GET',
        path: 'anything/inflight',
        schema: Echo,
        signal: AbortSignal.timeout(150),
      }),
    );
    expect(isAuthBridgeError(error, 'ERR_ABORTED')).toBe(true);
  });

  it('reports a refused connection as ERR_NETWORK', async () => {
    const closed = await startEmulator({ providers: ['echo'] });
    const url = closed.urls.echo!;
    await closed.close();
    const error = await failure(
      createHttpClient({ provider: 'echo', defaultBaseUrl: url, retry: false }).request({
        method: 'GET',
        path: 'anything/x',
        schema: Echo,
      }),
    );
    expect(error.code).toBe('ERR_NETWORK');
  });
});
