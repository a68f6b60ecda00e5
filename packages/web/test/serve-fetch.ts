import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { ServedApp } from './login-routes-suite.js';

/** Serves a fetch handler on 127.0.0.1 on a free port, through @hono/node-server's Node ↔ Web conversion. */
export async function serveFetch(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<ServedApp> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
