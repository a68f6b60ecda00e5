// The route handlers served as Next.js serves them: a real HTTP server whose requests become Web Requests
// (through @hono/node-server's conversion), dispatched by path to the route modules' exports.
import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, mintCredential } from '../../../packages/web/test/login-routes-suite.js';

type RouteModule = Partial<Record<'GET' | 'POST', (request: Request) => Promise<Response>>>;

let emulator: Emulator;
let server: ReturnType<typeof serve>;
let url: string;

beforeAll(async () => {
  emulator = await startEmulator({ providers: ['pi', 'magic'] });
  const fixtures = emulator.fixtures as { pi: { apiKey: string }; magic: { secretKey: string } };
  Object.assign(process.env, {
    PI_API_KEY: fixtures.pi.apiKey,
    PI_BASE_URL: emulator.urls.pi,
    MAGIC_SECRET_KEY: fixtures.magic.secretKey,
    MAGIC_BASE_URL: emulator.urls.magic,
    SESSION_SECRET: crypto.randomUUID() + crypto.randomUUID(),
    PUBLIC_ORIGIN: 'http://127.0.0.1:3000',
  });
  const routes: [RegExp, RouteModule][] = [
    [/^\/api\/auth(\/.*)?$/, await import('../app/api/auth/[...authbridge]/route')],
    [/^\/api\/profile$/, await import('../app/api/profile/route')],
  ];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    const module = routes.find(([pattern]) => pattern.test(path))?.[1];
    const run = module?.[request.method as 'GET' | 'POST'];
    return run ? run(request) : new Response(null, { status: module ? 405 : 404 });
  };
  server = await new Promise((resolve) => {
    const started = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await emulator?.close();
});

const codeOf = async (response: Response) => ((await response.json()) as { code: string }).code;

describe('Next.js route handlers over real HTTP against the emulators', () => {
  it('lists the providers', async () => {
    const response = await browser(url).get('/api/auth/providers');
    expect(await response.json()).toEqual({
      providers: [
        { id: 'pi', challenge: false, logout: false },
        { id: 'magic', challenge: false, logout: true },
      ],
    });
  });

  it('signs in with Magic, serves the guarded profile, logs out at Magic, and refuses the revoked session', async () => {
    const b = browser(url);
    const login = await b.post('/api/auth/magic/verify', {
      credential: await mintCredential(emulator, 'magic'),
    });
    expect(login.status).toBe(200);
    const kept = new Map(b.jar);
    expect(await (await b.get('/api/profile')).json()).toMatchObject({
      provider: 'magic',
      subject: expect.stringMatching(/^did:ethr:/),
    });
    expect((await b.get('/api/auth/me')).status).toBe(200);
    expect(await (await b.post('/api/auth/logout')).json()).toEqual({
      signedOut: true,
      providerSignedOut: true,
    });
    const copy = browser(url);
    for (const [name, value] of kept) copy.jar.set(name, value);
    const after = await copy.get('/api/profile');
    expect([after.status, await codeOf(after)]).toEqual([401, 'ERR_SESSION_REVOKED']);
  });

  it('signs in with Pi and refuses a token Pi does not know with a message for a person', async () => {
    expect(
      (await browser(url).post('/api/auth/pi/verify', { credential: await mintCredential(emulator, 'pi') }))
        .status,
    ).toBe(200);
    const refused = await browser(url).post('/api/auth/pi/verify', { credential: 'unknown-token' });
    const body = (await refused.json()) as { code: string; message: string };
    expect([refused.status, body.code]).toEqual([401, 'ERR_CREDENTIAL_REJECTED']);
    expect(body.message).not.toMatch(/https?:|HTTP/);
  });
});
