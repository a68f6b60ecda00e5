import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { runLoginRoutesSuite, type SuiteOptions } from '../../web/test/login-routes-suite.js';
import { authbridge } from '../src/index.js';

async function listen(app: express.Express) {
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function appOf(options: SuiteOptions, bodyParser: boolean) {
  const login = authbridge(options);
  const app = express();
  // With express.json() in front, the routes read the parsed body; without it, the raw stream.
  if (bodyParser) app.use(express.json({ limit: '64kb' }));
  app.use(login.routes);
  app.get('/private', login.requireSession, (_req, res) => {
    const session = login.sessionOf(res);
    res.json({ subject: session.subject, userId: session.data.userId });
  });
  return app;
}

runLoginRoutesSuite('@authbridge/express', (options) => listen(appOf(options, false)));
runLoginRoutesSuite('@authbridge/express behind express.json()', (options) => listen(appOf(options, true)));

describe('@authbridge/express: sessionOf', () => {
  it('throws ERR_SESSION_MISSING on a route without the guard', () => {
    const login = authbridge({
      auth: { ids: [], has: () => false } as never,
      sessions: { cookie: { attributes: { secure: false, sameSite: 'lax' } } } as never,
    });
    expect(() => login.sessionOf({ locals: {} } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_SESSION_MISSING' }),
    );
  });
});
