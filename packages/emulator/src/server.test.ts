import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ providers: ['echo'] });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

const get = (path: string, init?: RequestInit) => fetch(`${emulator.url}${path}`, init);

describe('startEmulator', () => {
  it('listens on 127.0.0.1 on an ephemeral port and mounts providers under their id', async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.urls.echo).toBe(`${emulator.url}/echo`);
    const body = await (await get('/echo/anything/x?a=1', { headers: { 'x-test': 'yes' } })).json();
    expect(body).toMatchObject({ method: 'GET', path: '/echo/anything/x', query: { a: '1' } });
    expect(body.headers['x-test']).toBe('yes');
  });

  it('records requests with provider, sub-path, query, headers and body', async () => {
    await get('/echo/anything/rec?q=2', { method: 'POST', body: 'hello', headers: { 'x-a': 'b' } });
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]).toMatchObject({
      method: 'POST',
      provider: 'echo',
      path: '/echo/anything/rec',
      subPath: '/anything/rec',
      query: { q: '2' },
      body: 'hello',
    });
    expect(emulator.requests[0]?.headers['x-a']).toBe('b');
  });

  it('applies a fault the given number of times, then runs the route again', async () => {
    emulator.injectFault({
      provider: 'echo',
      method: 'get',
      path: '/anything/f',
      times: 2,
      fault: { status: 503, retryAfter: 4 },
    });
    const first = await get('/echo/anything/f');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('4');
    expect((await get('/echo/anything/f')).status).toBe(503);
    expect((await get('/echo/anything/f')).status).toBe(200);
  });

  it('matches faults by RegExp, method and provider', async () => {
    emulator.injectFault({
      provider: 'echo',
      method: 'POST',
      path: /^\/anything\/r\d$/,
      fault: { status: 418, body: 'teapot' },
    });
    expect((await get('/echo/anything/r1')).status).toBe(200);
    const hit = await get('/echo/anything/r2', { method: 'POST' });
    expect(hit.status).toBe(418);
    expect(await hit.text()).toBe('teapot');
    emulator.injectFault({ provider: 'other', path: '/anything/r3', fault: { status: 500 } });
    expect((await get('/echo/anything/r3')).status).toBe(200);
  });

  it('answers a non-JSON body and drops connections on request', async () => {
    emulator.injectFault({ path: '/echo/anything/html', fault: { nonJson: true } });
    const html = await get('/echo/anything/html');
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('<html>');
    emulator.injectFault({ provider: 'echo', path: '/anything/drop', fault: { drop: true } });
    await expect(get('/echo/anything/drop')).rejects.toThrow(TypeError);
  });

  it('delays and then runs the route when the fault only has a delay', async () => {
    emulator.injectFault({ provider: 'echo', path: '/anything/slow', fault: { delayMs: 200 } });
    const started = Date.now();
    const response = await get('/echo/anything/slow');
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("adds headers and Retry-After to the route's own answer when the fault sets no status", async () => {
    emulator.injectFault({
      provider: 'echo',
      path: '/anything/h',
      fault: { retryAfter: 7, headers: { 'x-fault': 'on' } },
    });
    const response = await get('/echo/anything/h');
    expect(response.status).toBe(200);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('x-fault')).toBe('on');
    expect(await response.json()).toMatchObject({ path: '/echo/anything/h' });
  });

  it('sends the headers at once and stalls the body when asked', async () => {
    emulator.injectFault({ provider: 'echo', path: '/anything/stall', fault: { stallBodyMs: 400 } });
    const started = Date.now();
    const response = await get('/echo/anything/stall');
    const headersAfter = Date.now() - started;
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ path: '/echo/anything/stall' });
    // The body, not the status line, carried the wait.
    expect(Date.now() - started - headersAfter).toBeGreaterThanOrEqual(350);
  });

  it('stalls the body of an injected answer too', async () => {
    emulator.injectFault({
      provider: 'echo',
      path: '/anything/stall503',
      fault: { status: 503, body: { error: 'down' }, stallBodyMs: 300 },
    });
    const started = Date.now();
    const response = await get('/echo/anything/stall503');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'down' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('exposes faults, requests, the clock and reset as control routes', async () => {
    const added = await get('/__emulator/faults', {
      method: 'POST',
      body: JSON.stringify({
        provider: 'echo',
        path: { regex: '^/anything/c' },
        times: 1,
        fault: { status: 502 },
      }),
    });
    expect(await added.json()).toEqual({ id: expect.any(Number) });
    expect((await get('/echo/anything/c1')).status).toBe(502);
    await get('/__emulator/faults', {
      method: 'POST',
      body: JSON.stringify({ path: '/echo/anything/d', fault: { status: 500 } }),
    });
    await get('/__emulator/faults', { method: 'DELETE' });
    expect((await get('/echo/anything/d')).status).toBe(200);

    const recorded = (await (await get('/__emulator/requests')).json()) as unknown[];
    expect(recorded.length).toBe(2);
    await get('/__emulator/requests', { method: 'DELETE' });
    expect(emulator.requests).toHaveLength(0);

    const before = emulator.clock.now();
    const { now } = (await (
      await get('/__emulator/clock', { method: 'POST', body: JSON.stringify({ advance: 3_600_000 }) })
    ).json()) as { now: number };
    expect(now - before).toBeGreaterThanOrEqual(3_600_000);
    await get('/__emulator/clock', { method: 'POST', body: JSON.stringify({ set: 0 }) });
    expect(emulator.clock.now()).toBeLessThan(10_000);
    await get('/__emulator/reset', { method: 'POST' });
    expect(Math.abs(emulator.clock.now() - Date.now())).toBeLessThan(1000);
    expect(await (await get('/__emulator/fixtures')).json()).toEqual({ echo: {} });
  });

  it('answers 404 as JSON for unknown routes', async () => {
    const response = await get('/nowhere');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it('refuses a provider it does not have', async () => {
    await expect(startEmulator({ providers: ['nope' as 'echo'] })).rejects.toThrow(/no 'nope' provider/);
  });

  it('closes even while a delayed request is pending', async () => {
    const other = await startEmulator({ providers: ['echo'] });
    other.injectFault({ provider: 'echo', path: '/anything/hang', fault: { delayMs: 60_000 } });
    const pending = fetch(`${other.url}/echo/anything/hang`).catch((error: unknown) => error);
    // Close only once the request is in, waiting on its fault: otherwise this tests a refused connection.
    while (other.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
