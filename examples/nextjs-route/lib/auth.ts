import { createAuth, httpStatusForCode, isAuthBridgeError } from '@authbridge/core';
import { magic } from '@authbridge/magic';
import { pi } from '@authbridge/pi';
import { jwtVerify, SignJWT } from 'jose';

// Module scope: Next.js keeps it per server instance, so providers and their caches are built once.
export const auth = createAuth({
  providers: [
    pi({ apiKey: process.env.PI_API_KEY ?? '' }),
    magic({ secretKey: process.env.MAGIC_SECRET_KEY ?? '' }),
  ],
});

const key = new TextEncoder().encode(process.env.SESSION_SECRET ?? '');
if (key.byteLength < 32) throw new Error('Set SESSION_SECRET to 32 bytes or more.');
export const SESSION_COOKIE = 'session';
const SESSION_ISSUER = 'authbridge-nextjs-example';
const SESSION_AUDIENCE = 'authbridge-nextjs-example:session';

export function signSession(user: { provider: string; subject: string }): Promise<string> {
  return new SignJWT({ provider: user.provider })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.subject)
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
}

export async function readSession(
  cookieHeader: string | null,
): Promise<{ provider: string; subject: string } | null> {
  const token = cookieHeader?.match(/(?:^|;\s*)session=([^;]+)/)?.[1];
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: SESSION_ISSUER,
      audience: SESSION_AUDIENCE,
    });
    return { provider: String(payload.provider), subject: String(payload.sub) };
  } catch {
    return null;
  }
}

/**
 * A 415 response unless the request says its body is JSON. A cross-site HTML form can post text/plain or
 * a form encoding, never application/json (that needs a CORS preflight), so requiring it on
 * state-changing routes keeps another site from signing the browser in to its own account.
 */
export function requireJson(request: Request): Response | undefined {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return undefined;
  return Response.json(
    {
      code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
      message: 'Send the request body as JSON, with content-type: application/json.',
    },
    { status: 415 },
  );
}

/** Any error as a JSON response; only authbridge errors' messages are shown, and they never hold a secret. */
export function errorResponse(error: unknown): Response {
  if (!isAuthBridgeError(error)) {
    return Response.json({ code: 'ERR_INTERNAL', message: 'Internal error.' }, { status: 500 });
  }
  return Response.json(
    { code: error.code, message: error.shortMessage },
    { status: httpStatusForCode(error.code) },
  );
}
