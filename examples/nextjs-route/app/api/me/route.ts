// GET /api/me: the signed-in user, or 401.
import { readSession } from '../../../lib/auth';

export async function GET(request: Request): Promise<Response> {
  const user = await readSession(request.headers.get('cookie'));
  return user
    ? Response.json({ user })
    : Response.json({ code: 'ERR_SESSION_MISSING', message: 'You are not signed in.' }, { status: 401 });
}
