import { Hono } from 'hono';
import type { EmulatorEnv, ProviderModule } from './types.js';

/**
 * A diagnostic API for testing HTTP clients: `ANY /echo/anything` answers with what it received
 * (headers included, since this is a test tool) and `ANY /echo/status/:code` with that status.
 */
export const echoModule: ProviderModule = {
  id: 'echo',
  create() {
    const app = new Hono<EmulatorEnv>();
    app.all('/status/:code', (c) => {
      const status = Number(c.req.param('code'));
      return c.json({ status }, status as 200);
    });
    app.all('/anything/*', async (c) => {
      const url = new URL(c.req.url);
      return c.json({
        method: c.req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(c.req.raw.headers),
        body: await c.req.text(),
      });
    });
    return { app };
  },
};
