// A Hono login router: the routes never name a provider, so adding one is a line in `providers`.
// Runs on any runtime Hono supports (Node, Bun, Deno, Workers): only Web APIs are used.
import { type AnyAuthProvider, createAuth, httpStatusForCode, isAuthBridgeError } from '@authbridge/core';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { jwtVerify, SignJWT } from 'jose';

const SESSION_ISSUER = 'authbridge-hono-example';
const SESSION_AUDIENCE = 'authbridge-hono-example:session';

/**
 * Builds a provider's `createChallenge` input from the untrusted request body: take only the fields the
 * client may choose, and set the rest (a SIWE domain, a Toopher user or terminal) on the server.
 */
export type ChallengeInputOf = (body: Record<string, unknown>) => unknown;

/** Whether a Content-Type header names JSON (`application/json`, with or without parameters). */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

export function loginRoutes(
  providers: readonly AnyAuthProvider[],
  sessionKey: Uint8Array,
  challengeInputs: Readonly<Record<string, ChallengeInputOf>> = {},
): Hono {
  const auth = createAuth({ providers });
  const app = new Hono();

  // A cross-site HTML form can post text/plain or a form encoding, never application/json (that needs a
  // CORS preflight): requiring JSON keeps another site from signing the browser in to its own account.
  app.use('/auth/*', async (c, next) => {
    if (c.req.method === 'POST' && !isJson(c.req.header('content-type'))) {
      return c.json(
        {
          code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
          message: 'Send the request body as JSON, with content-type: application/json.',
        },
        415,
      );
    }
    await next();
  });

  app.post('/auth/:provider/challenge', async (c) => {
    const id = c.req.param('provider');
    const buildInput = Object.hasOwn(challengeInputs, id) ? challengeInputs[id] : undefined;
    if (!auth.has(id) || !auth.hasChallenge(id) || !buildInput)
      return c.json({ code: 'ERR_UNKNOWN_PROVIDER', message: 'No such challenge.' }, 404);
    const body: unknown = await c.req.json().catch(() => null);
    const input = buildInput(
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
    );
    const { id: challengeId, message } = await auth.createChallenge(id as never, input as never);
    return c.json({ id: challengeId, message });
  });

  app.post('/auth/:provider/verify', async (c) => {
    const id = c.req.param('provider');
    if (!auth.has(id)) return c.json({ code: 'ERR_UNKNOWN_PROVIDER', message: 'No such provider.' }, 404);
    const body = (await c.req.json().catch(() => null)) as { credential?: unknown } | null;
    const user = await auth.verify(id, body?.credential, { signal: c.req.raw.signal });
    const token = await new SignJWT({ provider: user.provider })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.subject)
      .setIssuer(SESSION_ISSUER)
      .setAudience(SESSION_AUDIENCE)
      .setIssuedAt()
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
      ? await jwtVerify(token, sessionKey, {
          algorithms: ['HS256'],
          issuer: SESSION_ISSUER,
          audience: SESSION_AUDIENCE,
        }).then(
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
