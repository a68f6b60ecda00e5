import { Hono } from 'hono';
import { runLoginRoutesSuite } from '../../web/test/login-routes-suite.js';
import { serveFetch } from '../../web/test/serve-fetch.js';
import { type AuthbridgeEnv, authbridge } from '../src/index.js';

runLoginRoutesSuite('@authbridge/hono', async (options) => {
  const login = authbridge(options);
  const app = new Hono<AuthbridgeEnv<{ userId: string }>>();
  app.use('/auth/*', login.routes);
  app.get('/private', login.requireSession, (c) =>
    c.json({ subject: c.var.session.subject, userId: c.var.session.data.userId }),
  );
  return serveFetch(app.fetch);
});
