/**
 * One suite over real HTTP that every framework adapter runs (the handler core itself, Hono, Express,
 * Next.js route handlers): a listening server on 127.0.0.1, real `fetch`, Magic and Pi against their
 * emulators, and a challenge provider on the server-held challenge store.
 */
import {
  type AuthResult,
  type ChallengeProvider,
  createAuth,
  createChallengeStore,
  createMemoryStore,
  InvalidCredentialError,
  RequestError,
} from '@authbridge/core';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { magic } from '@authbridge/magic';
import { pi } from '@authbridge/pi';
import { createSessions } from '@authbridge/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHandlerOptions, createRateLimiter } from '../src/index.js';

/** A server an adapter started for the suite. */
export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** What the suite hands an adapter: handler options, and the guarded route it must mount at `/private`. */
export type SuiteOptions = AuthHandlerOptions<SuiteProvider, { userId: string }>;

/** How an adapter serves the suite: the login routes under `/auth`, and `GET /private` behind its guard answering `{ subject, userId }`. */
export type Serve = (options: SuiteOptions) => Promise<ServedApp>;

type EchoCredential = { challengeId: string; answer: string };
type EchoInput = { name: string; origin: string; browserId: string };

/** A provider with a challenge step whose state stays on the server, as every challenge provider's does. */
function echoProvider(): ChallengeProvider<'echo', EchoCredential, { name: string }, EchoInput> & {
  parseCredential(input: unknown): EchoCredential;
  inputs: EchoInput[];
} {
  const store = createChallengeStore<{ answer: string; name: string }>({ provider: 'echo' });
  const inputs: EchoInput[] = [];
  return {
    id: 'echo',
    inputs,
    async createChallenge(input) {
      inputs.push(input);
      const answer = crypto.randomUUID();
      const { id, expiresAt } = await store.issue({ answer, name: input.name });
      return { provider: 'echo', id, message: answer, expiresAt, data: {} };
    },
    async verify({ challengeId, answer }): Promise<AuthResult<'echo', { name: string }>> {
      const state = await store.consume(challengeId);
      if (state.answer !== answer)
        throw new InvalidCredentialError('ERR_CREDENTIAL_SIGNATURE', 'wrong answer');
      return { provider: 'echo', subject: state.name, claims: { name: state.name } };
    },
    parseCredential(input) {
      const value = input as Partial<EchoCredential> | null;
      if (typeof value?.challengeId !== 'string' || typeof value.answer !== 'string') {
        throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', 'not an echo credential');
      }
      return { challengeId: value.challengeId, answer: value.answer };
    },
  };
}

function providers(emulator: Emulator) {
  const fixtures = emulator.fixtures as { pi: { apiKey: string }; magic: { secretKey: string } };
  return [
    pi({ apiKey: fixtures.pi.apiKey, baseUrl: emulator.urls.pi as string }),
    magic({
      secretKey: fixtures.magic.secretKey,
      baseUrl: emulator.urls.magic as string,
      replayStore: createMemoryStore(),
    }),
    echoProvider(),
  ] as const;
}
type SuiteProvider = ReturnType<typeof providers>[number];

/** A fetch that keeps cookies between calls, as a browser does. */
export function browser(base: string) {
  const jar = new Map<string, string>();
  const send = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(base + path, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) jar.delete(pair.slice(0, eq));
      else jar.set(pair.slice(0, eq), value);
    }
    return response;
  };
  return {
    jar,
    get: (path: string) => send(path),
    post: (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
      send(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

/** Plays the user's side: the emulator hands out what Pi Browser or Magic's client SDK would. */
export async function mintCredential(
  emulator: Emulator,
  provider: 'pi' | 'magic',
  body: Record<string, unknown> = {},
): Promise<string> {
  const route = provider === 'pi' ? 'tokens' : 'did-tokens';
  const response = await fetch(`${emulator.urls[provider]}/_emulator/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(provider === 'pi' ? { username: 'alice', ...body } : body),
  });
  const minted = (await response.json()) as { accessToken?: string; didToken?: string };
  return (minted.accessToken ?? minted.didToken) as string;
}

/** Runs the suite against the app `serve` starts. */
export function runLoginRoutesSuite(name: string, serve: Serve): void {
  describe(`${name}: login routes over real HTTP`, () => {
    let emulator: Emulator;
    let app: ServedApp;
    let echo: ReturnType<typeof echoProvider>;
    const clock = { offsetMs: 0 };
    const revocations = createMemoryStore({ now: () => Date.now() + clock.offsetMs });
    const errors: { status: number; error: unknown }[] = [];

    beforeAll(async () => {
      emulator = await startEmulator({ providers: ['pi', 'magic'] });
      const list = providers(emulator);
      echo = list[2];
      const auth = createAuth({ providers: list });
      const sessions = createSessions<{ userId: string }>({
        issuer: 'http://127.0.0.1',
        audience: 'suite:session',
        keys: [{ kid: 'suite', alg: 'HS256', secret: crypto.getRandomValues(new Uint8Array(32)) }],
        ttlSeconds: 600,
        revocations,
        cookie: { secure: false },
        now: () => Date.now() + clock.offsetMs,
      });
      app = await serve({
        auth,
        sessions,
        origin: 'https://app.example',
        challenges: {
          echo: ({ body, origin, browserId }) => ({
            name: typeof body.name === 'string' ? body.name : 'anonymous',
            origin,
            browserId,
          }),
        },
        onLogin: (result) => {
          if (result.provider === 'echo' && result.claims.name === 'blocked') {
            throw new RequestError('ERR_REQUEST_MALFORMED', 'blocked user');
          }
          return { userId: `${result.provider}/${result.subject}` };
        },
        rateLimit: createRateLimiter({
          limit: 3,
          windowMs: 60_000,
          // Only the 'flood' client shares a window; every other request counts alone.
          keyOf: (event) =>
            event.request.headers.get('x-test-client') === 'flood'
              ? `flood:${event.route}`
              : crypto.randomUUID(),
        }),
        onError: (error, { status }) => errors.push({ status, error }),
      });
    });
    afterAll(async () => {
      await app?.close();
      await emulator?.close();
    });

    const piToken = () => mintCredential(emulator, 'pi');
    const didToken = (body: Record<string, unknown> = {}) => mintCredential(emulator, 'magic', body);
    let clientSeq = 0;
    const client = () => {
      const id = `client-${++clientSeq}`;
      const b = browser(app.url);
      return {
        ...b,
        post: (path: string, body?: unknown, headers: Record<string, string> = {}) =>
          b.post(path, body, { 'x-test-client': id, ...headers }),
      };
    };

    it('lists the providers, with which have a challenge step and a logout', async () => {
      const response = await client().get('/auth/providers');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        providers: [
          { id: 'pi', challenge: false, logout: false },
          { id: 'magic', challenge: false, logout: true },
          { id: 'echo', challenge: true, logout: false },
        ],
      });
    });

    it('signs in with Pi: a session cookie (HttpOnly, SameSite=Lax), /me and the guard answer the session', async () => {
      const b = client();
      const response = await b.post('/auth/pi/verify', { credential: await piToken() });
      expect(response.status).toBe(200);
      const { session } = (await response.json()) as { session: Record<string, unknown> };
      expect(session).toMatchObject({
        provider: 'pi',
        username: 'alice',
        data: { userId: `pi/${session.subject}` },
      });
      const setCookie = response.headers.getSetCookie().join('\n');
      expect(setCookie).toMatch(
        /authbridge-session=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax/,
      );
      const me = await b.get('/auth/me');
      expect(me.status).toBe(200);
      expect(((await me.json()) as { session: unknown }).session).toEqual(session);
      const guarded = await b.get('/private');
      expect(guarded.status).toBe(200);
      expect(await guarded.json()).toEqual({ subject: session.subject, userId: `pi/${session.subject}` });
    });

    it('signs in with Magic, and refuses the same DID token a second time (replay)', async () => {
      const token = await didToken();
      const first = await client().post('/auth/magic/verify', { credential: token });
      expect(first.status).toBe(200);
      const { session } = (await first.json()) as { session: { subject: string; wallet: unknown } };
      expect(session.subject).toMatch(/^did:ethr:0x/);
      expect(session.wallet).toMatchObject({ chain: 'ethereum' });
      const again = await client().post('/auth/magic/verify', { credential: token });
      expect(again.status).toBe(401);
      expect(((await again.json()) as { code: string }).code).toBe('ERR_CREDENTIAL_REPLAYED');
    });

    it('refuses bad credentials with 401, the stable code and a message for a person (no URL, no HTTP exchange)', async () => {
      const cases: [string, unknown, string][] = [
        ['pi', 'not-a-token-pi-knows', 'ERR_CREDENTIAL_REJECTED'],
        ['pi', 42, 'ERR_CREDENTIAL_MALFORMED'],
        ['magic', await didToken({ expired: true }), 'ERR_CREDENTIAL_EXPIRED'],
        ['magic', 'garbage', 'ERR_CREDENTIAL_MALFORMED'],
        ['echo', { challengeId: 'x' }, 'ERR_CREDENTIAL_MALFORMED'],
      ];
      for (const [provider, credential, code] of cases) {
        const b = client();
        const response = await b.post(`/auth/${provider}/verify`, { credential });
        const body = (await response.json()) as { code: string; message: string };
        expect([response.status, body.code], `${provider} ${String(credential).slice(0, 20)}`).toEqual([
          401,
          code,
        ]);
        expect(body.message).not.toMatch(/https?:|HTTP|127\.0\.0\.1|\/v2\//);
        expect(Object.keys(body).sort()).toEqual(['code', 'message']);
        expect(response.headers.getSetCookie().join('')).not.toContain('authbridge-session=ey');
        expect((await b.get('/private')).status).toBe(401);
      }
    });

    it('refuses what is not a login request: unknown provider 404, not JSON 415, too large 413, malformed 400, wrong method 405', async () => {
      const b = client();
      const status = async (response: Response) => [
        response.status,
        ((await response.json()) as { code: string }).code,
      ];
      expect(await status(await b.post('/auth/nope/verify', { credential: 'x' }))).toEqual([
        404,
        'ERR_UNKNOWN_PROVIDER',
      ]);
      expect(
        await status(
          await b.post('/auth/pi/verify', 'credential=x', {
            'content-type': 'application/x-www-form-urlencoded',
          }),
        ),
      ).toEqual([415, 'ERR_UNSUPPORTED_MEDIA_TYPE']);
      expect(
        await status(await b.post('/auth/pi/verify', 'credential', { 'content-type': 'text/plain' })),
      ).toEqual([415, 'ERR_UNSUPPORTED_MEDIA_TYPE']);
      expect(await status(await b.post('/auth/pi/verify', { credential: 'x'.repeat(20_000) }))).toEqual([
        413,
        'ERR_PAYLOAD_TOO_LARGE',
      ]);
      expect(await status(await b.post('/auth/pi/verify', '{"credential":'))).toEqual([
        400,
        'ERR_REQUEST_MALFORMED',
      ]);
      expect(await status(await b.post('/auth/pi/verify', {}))).toEqual([400, 'ERR_REQUEST_MALFORMED']);
      const deep = `{"credential":${'['.repeat(7000)}${']'.repeat(7000)}}`;
      const deepResponse = await b.post('/auth/pi/verify', deep);
      const deepBody = await deepResponse.json();
      expect([deepResponse.status, deepBody.code]).toEqual([400, 'ERR_REQUEST_MALFORMED']);
      expect(JSON.stringify(deepBody)).not.toMatch(/at \w+ \(|\.ts:\d+/);
      expect((await b.get('/auth/pi/verify')).status).toBe(405);
      expect((await b.post('/auth/me')).status).toBe(405);
    });

    it('guards routes: no session, a forged one, an expired one and a revoked one are refused with 401', async () => {
      const anonymous = client();
      const missing = await anonymous.get('/private');
      expect([missing.status, ((await missing.json()) as { code: string }).code]).toEqual([
        401,
        'ERR_SESSION_MISSING',
      ]);

      const b = client();
      await b.post('/auth/pi/verify', { credential: await piToken() });
      const [name, token] = [...b.jar].find(([cookie]) => cookie.endsWith('authbridge-session')) as [
        string,
        string,
      ];
      const forged = browser(app.url);
      const [h, p] = token.split('.');
      const payload = JSON.parse(Buffer.from(p as string, 'base64url').toString());
      forged.jar.set(
        name,
        `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'pi:someone-else' })).toString('base64url')}.${token.split('.')[2]}`,
      );
      const forgedResponse = await forged.get('/private');
      expect([forgedResponse.status, ((await forgedResponse.json()) as { code: string }).code]).toEqual([
        401,
        'ERR_SESSION_INVALID',
      ]);

      clock.offsetMs = 601_000 + 6_000;
      try {
        const expired = await b.get('/private');
        expect([expired.status, ((await expired.json()) as { code: string }).code]).toEqual([
          401,
          'ERR_SESSION_EXPIRED',
        ]);
        expect((await b.get('/auth/me')).status).toBe(401);
      } finally {
        clock.offsetMs = 0;
      }

      const kept = new Map(b.jar);
      const logout = await b.post('/auth/logout');
      expect(logout.status).toBe(200);
      expect(await logout.json()).toEqual({ signedOut: true, providerSignedOut: false });
      expect(b.jar.has(name)).toBe(false);
      const stolen = browser(app.url);
      for (const [cookie, value] of kept) stolen.jar.set(cookie, value);
      const revoked = await stolen.get('/private');
      expect([revoked.status, ((await revoked.json()) as { code: string }).code]).toEqual([
        401,
        'ERR_SESSION_REVOKED',
      ]);
    });

    it('logs a Magic user out at Magic too, and refresh swaps the session for a new one', async () => {
      const b = client();
      await b.post('/auth/magic/verify', { credential: await didToken() });
      const before = [...b.jar.values()].join();
      const refreshed = await b.post('/auth/refresh');
      expect(refreshed.status).toBe(200);
      expect([...b.jar.values()].join()).not.toBe(before);
      expect((await b.get('/private')).status).toBe(200);
      const logout = await b.post('/auth/logout');
      expect(await logout.json()).toEqual({ signedOut: true, providerSignedOut: true });
      expect((await b.get('/private')).status).toBe(401);
      const again = await b.post('/auth/logout');
      expect(await again.json()).toEqual({ signedOut: false });
    });

    it('runs a challenge login whose input the server builds, bound to the browser that started it', async () => {
      const b = client();
      const started = await b.post('/auth/echo/challenge', { name: 'carol', origin: 'https://evil.example' });
      expect(started.status).toBe(200);
      const { challenge } = (await started.json()) as { challenge: { id: string; message: string } };
      expect(echo.inputs.at(-1)).toMatchObject({ name: 'carol', origin: 'https://app.example' });
      expect(echo.inputs.at(-1)?.browserId).toMatch(/^[0-9a-f]{64}$/);
      // Another browser that saw the challenge id cannot finish it.
      const other = client();
      const stolen = await other.post('/auth/echo/verify', {
        credential: { challengeId: challenge.id, answer: challenge.message },
      });
      expect([stolen.status, ((await stolen.json()) as { code: string }).code]).toEqual([
        401,
        'ERR_CREDENTIAL_CHALLENGE',
      ]);
      const done = await b.post('/auth/echo/verify', {
        credential: { challengeId: challenge.id, answer: challenge.message },
      });
      expect(done.status).toBe(200);
      expect(((await done.json()) as { session: { subject: string } }).session.subject).toBe('carol');
      // Replayed: the binding and the challenge are both spent.
      const replayed = await b.post('/auth/echo/verify', {
        credential: { challengeId: challenge.id, answer: challenge.message },
      });
      expect([replayed.status, ((await replayed.json()) as { code: string }).code]).toEqual([
        401,
        'ERR_CREDENTIAL_CHALLENGE',
      ]);
    });

    it('refuses a wrong answer to a challenge, and a login the app hook refuses', async () => {
      const b = client();
      const { challenge } = (await (await b.post('/auth/echo/challenge', { name: 'dave' })).json()) as {
        challenge: { id: string };
      };
      const wrong = await b.post('/auth/echo/verify', {
        credential: { challengeId: challenge.id, answer: 'guess' },
      });
      expect([wrong.status, ((await wrong.json()) as { code: string }).code]).toEqual([
        401,
        'ERR_CREDENTIAL_SIGNATURE',
      ]);
      const { challenge: next } = (await (
        await b.post('/auth/echo/challenge', { name: 'blocked' })
      ).json()) as {
        challenge: { id: string; message: string };
      };
      const blocked = await b.post('/auth/echo/verify', {
        credential: { challengeId: next.id, answer: next.message },
      });
      expect(blocked.status).toBe(400);
      expect((await b.get('/private')).status).toBe(401);
      expect((await b.post('/auth/pi/challenge')).status).toBe(404);
    });

    it('answers 429 with Retry-After once the rate-limit hook refuses, for challenges and verifies', async () => {
      const b = browser(app.url);
      const headers = { 'x-test-client': 'flood' };
      for (let i = 0; i < 3; i++)
        expect((await b.post('/auth/echo/challenge', { name: 'x' }, headers)).status).toBe(200);
      const limited = await b.post('/auth/echo/challenge', { name: 'x' }, headers);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as { code: string }).code).toBe('ERR_RATE_LIMITED');
      for (let i = 0; i < 3; i++) await b.post('/auth/pi/verify', { credential: 'x' }, headers);
      expect((await b.post('/auth/pi/verify', { credential: 'x' }, headers)).status).toBe(429);
    });

    it('reports every error to onError with its status, and never sends a stack trace', () => {
      expect(errors.length).toBeGreaterThan(5);
      expect(errors.some(({ status }) => status === 401)).toBe(true);
    });
  });
}
