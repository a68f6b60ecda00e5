import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, mintCredential } from '../../../packages/web/test/login-routes-suite.js';
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

const codeOf = async (response: Response) => ((await response.json()) as { code: string }).code;

describe('Hono example over real HTTP against the emulators', () => {
  it('signs in with Pi, answers the guarded profile, and refuses it after logout', async () => {
    const b = browser(url);
    const login = await b.post('/auth/pi/verify', { credential: await mintCredential(emulator, 'pi') });
    expect(login.status).toBe(200);
    expect([...b.jar.keys()]).toContain('authbridge-session');
    expect(await (await b.get('/api/profile')).json()).toMatchObject({ provider: 'pi', username: 'alice' });
    expect((await browser(url).get('/api/profile')).status).toBe(401);
    expect((await b.post('/auth/logout')).status).toBe(200);
    expect((await b.get('/api/profile')).status).toBe(401);
  });

  it('signs in with Magic once per DID token, and refuses a forged session', async () => {
    const didToken = await mintCredential(emulator, 'magic');
    expect((await browser(url).post('/auth/magic/verify', { credential: didToken })).status).toBe(200);
    const replay = await browser(url).post('/auth/magic/verify', { credential: didToken });
    expect([replay.status, await codeOf(replay)]).toEqual([401, 'ERR_CREDENTIAL_REPLAYED']);
    const forged = browser(url);
    forged.jar.set('authbridge-session', 'eyJhbGciOiJIUzI1NiJ9.e30.x');
    const refused = await forged.get('/api/profile');
    expect([refused.status, await codeOf(refused)]).toEqual([401, 'ERR_SESSION_INVALID']);
  });

  it('refuses a form post (login CSRF) with 415', async () => {
    const response = await browser(url).post('/auth/pi/verify', 'credential=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(415);
  });
});
