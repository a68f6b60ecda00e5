import { createAuthHandler, nextRouteHandlers } from '../src/index.js';
import { runLoginRoutesSuite } from './login-routes-suite.js';
import { serveFetch } from './serve-fetch.js';

runLoginRoutesSuite('@authbridge/web fetch handler', async (options) => {
  const handler = createAuthHandler(options);
  return serveFetch(async (request) => {
    if (new URL(request.url).pathname !== '/private') return handler.handle(request);
    try {
      const session = await handler.getSession(request);
      return Response.json({ subject: session.subject, userId: session.data.userId });
    } catch (error) {
      return handler.errorResponse(error, request);
    }
  });
});

runLoginRoutesSuite('@authbridge/web Next.js route handlers', async (options) => {
  const handler = createAuthHandler(options);
  const { GET, POST } = nextRouteHandlers(handler);
  return serveFetch(async (request) => {
    if (new URL(request.url).pathname === '/private') {
      try {
        const session = await handler.getSession(request);
        return Response.json({ subject: session.subject, userId: session.data.userId });
      } catch (error) {
        return handler.errorResponse(error, request);
      }
    }
    return request.method === 'GET' ? GET(request) : POST(request);
  });
});
