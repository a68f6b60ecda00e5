// A Hono login router: the routes never name a provider, so adding one is a line in `providers`.
// Runs on any runtime Hono supports (Node, Bun, Deno, Workers): only Web APIs are used.
import { type AnyAuthProvider, createAuth, httpStatusForCode, isAuthBridgeError } from '@authbridge/core';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { jwtVerify, SignJWT } from 'jose';

export function loginRoutes(providers: readonly AnyAuthProvider[], sessionKey: Uint8Array): Hono {
  const auth = createAuth({ providers });
  const app = new Hono();

  app.post('/auth/:provider/challenge', async (c) => {
    const id = c.req.param('provider');
    if (!auth.has(id) || !auth.hasChallenge(id))
      return c.json({ code: 'ERR_UNKNOWN_PROVIDER', message: 'No such challenge.' }, 404);
    const { id: challengeId, message } = await auth.createChallenge(
      id as never,
      (await c.req.json()) as never,
    );
    return c.json({ id: challengeId, message });
  });

  app.post('/auth/:provider/verify', async (c) => {
    const id = c.req.param('provider');
    if (!auth.has(id)) return c.json({ code: 'ERR_UNKNOWN_PROVIDER', message: 'No such provider.' }, 404);
    const { credential } = await c.req.json<{ credential: unknown }>();
    const user = await auth.verify(id, credential, { signal: c.req.raw.signal });
    const token = await new SignJWT({ provider: user.provider })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.subject)
      .setExpirationTime('1h')
      .sign(sessionKey);
    setCookie(c, 'session', token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: true,
      path: '/',
      maxAge: 3600,
    });
    return c.json({ user: { provider: user.provider, subject: user.subject } });
  });

  app.get('/me', async (c) => {
    const token = getCookie(c, 'session');
    const payload = token
      ? await jwtVerify(token, sessionKey, { algorithms: ['HS256'] }).then(
          (r) => r.payload,
          () => null,
        )
      : null;
    if (!payload) return c.json({ code: 'ERR_SESSION_MISSING', message: 'You are not signed in.' }, 401);
    return c.json({ user: { provider: payload.provider, subject: payload.sub } });
  });

  app.post('/auth/logout', (c) => {
    deleteCookie(c, 'session', { path: '/', secure: true });
    return c.json({ signedOut: true });
  });

  app.onError((error, c) => {
    if (!isAuthBridgeError(error)) return c.json({ code: 'ERR_INTERNAL', message: 'Internal error.' }, 500);
    return c.json({ code: error.code, message: error.shortMessage }, httpStatusForCode(error.code));
  });
  return app;
}
