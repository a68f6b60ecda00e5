// POST /api/auth/:provider/verify with {"credential": ...}: one handler for every configured provider.
import { auth, errorResponse, requireJson, SESSION_COOKIE, signSession } from '../../../../../lib/auth';

export async function POST(
  request: Request,
  context: { params: Promise<{ provider: string }> },
): Promise<Response> {
  const notJson = requireJson(request);
  if (notJson) return notJson;
  const { provider } = await context.params;
  if (!auth.has(provider))
    return Response.json({ code: 'ERR_UNKNOWN_PROVIDER', message: 'Unknown provider.' }, { status: 404 });
  const body = (await request.json().catch(() => null)) as { credential?: unknown } | null;
  try {
    const user = await auth.verify(provider, body?.credential as never, { signal: request.signal });
    const session = await signSession(user);
    return Response.json(
      { user: { provider: user.provider, subject: user.subject } },
      {
        headers: {
          'set-cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=3600`,
        },
      },
    );
  } catch (error) {
    return errorResponse(error);
  }
}
