import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorApp } from '../src/emulator-app.js';

let emulator: Emulator;
let server: ReturnType<typeof serve>;
let url: string;

beforeAll(async () => {
  emulator = await startEmulator({ providers: ['pi', 'magic'] });
  const app = emulatorApp(emulator, 'http://127.0.0.1');
  server = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await emulator?.close();
});

/** Plays the user's side: the emulator hands out what Pi Browser or Magic's client SDK would. */
const mint = async (provider: 'pi' | 'magic', route: string, body: unknown) => {
  const response = await fetch(`${emulator.urls[provider]}/_emulator/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, string>;
};

const post = (path: string, body: unknown, cookie = '') =>
  fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');

describe('Hono example over real HTTP against the emulators', () => {
  it('signs in with Pi, answers the guarded profile, and refuses it after logout', async () => {
    const { accessToken } = await mint('pi', 'tokens', { username: 'alice' });
    const login = await post('/auth/pi/verify', { credential: accessToken });
    expect(login.status).toBe(200);
    const cookie = cookieOf(login);
    expect(cookie).toMatch(/^authbridge-session=/);
    const profile = await fetch(`${url}/api/profile`, { headers: { cookie } });
    expect(await profile.json()).toMatchObject({ provider: 'pi', username: 'alice' });
    expect((await fetch(`${url}/api/profile`)).status).toBe(401);
    const logout = await post('/auth/logout', {}, cookie);
    expect(logout.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
  });

  it('signs in with Magic once per DID token, and refuses a forged session', async () => {
    const { didToken } = await mint('magic', 'did-tokens', {});
    const first = await post('/auth/magic/verify', { credential: didToken });
    expect(first.status).toBe(200);
    const replay = await post('/auth/magic/verify', { credential: didToken });
    expect([replay.status, ((await replay.json()) as { code: string }).code]).toEqual([
      401,
      'ERR_CREDENTIAL_REPLAYED',
    ]);
    const forged = await fetch(`${url}/api/profile`, {
      headers: { cookie: 'authbridge-session=eyJhbGciOiJIUzI1NiJ9.e30.x' },
    });
    expect([forged.status, ((await forged.json()) as { code: string }).code]).toEqual([
      401,
      'ERR_SESSION_INVALID',
    ]);
  });

  it('refuses a form post (login CSRF) with 415', async () => {
    const response = await fetch(`${url}/auth/pi/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'credential=x',
    });
    expect(response.status).toBe(415);
  });
});
