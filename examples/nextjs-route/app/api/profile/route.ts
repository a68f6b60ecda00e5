// GET /api/profile: a route of the app behind the session guard.
import { handler } from '../../../lib/auth';

export async function GET(request: Request): Promise<Response> {
  try {
    const { provider, subject, username, email } = await handler.getSession(request);
    return Response.json({ provider, subject, username, email });
  } catch (error) {
    return handler.errorResponse(error, request);
  }
}
