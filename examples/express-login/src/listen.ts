import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** A running server and how to stop it. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** A server that listens before its app exists; requests get 503 until {@link serve} is called. */
export interface Reserved extends Listening {
  /** Hands every request from now on to `app`. */
  serve(app: Express): void;
}

/**
 * Listens on 127.0.0.1:`port` (0 for any free port) with no app yet: for an app that must know its own
 * origin when it is built (the wallet login's messages name the host and port).
 */
export async function reserve(port: number): Promise<Reserved> {
  let app: Express | undefined;
  const server: Server = createServer((req, res) => {
    if (app) return app(req, res);
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ code: 'ERR_STARTING', message: 'The server is starting. Please try again.' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    serve: (served) => {
      app = served;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Starts `app` on 127.0.0.1:`port` (0 for any free port). */
export async function listen(app: Express, port: number): Promise<Listening> {
  const reserved = await reserve(port);
  reserved.serve(app);
  return reserved;
}
