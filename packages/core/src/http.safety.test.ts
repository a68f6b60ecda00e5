import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { rejectionOf } from '@authbridge/test-utils';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnexpectedResponseError } from './errors.js';
import { createHttpClient, DEFAULT_MAX_RESPONSE_BYTES, type HttpClientOptions } from './http.js';
import { createRedactor, excerpt, type Redactor } from './redact.js';

const SECRET = 'sk_live_safety_secret_91c3';
const Ok = v.object({ ok: v.boolean() });
const servers: Server[] = [];

/** A loopback server on a free port; every request is recorded with how its response ended. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; closedEarly?: boolean }[] =
    [];
  const server = createServer((req, res) => {
    const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    seen.push(entry);
    res.on('close', () => {
      Object.assign(entry, { closedEarly: !res.writableFinished });
    });
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

const client = (baseUrl: string, extra: Partial<HttpClientOptions> = {}) =>
  createHttpClient({
    provider: 'magic',
    defaultBaseUrl: baseUrl,
    headers: { 'x-magic-secret-key': SECRET },
    secretHeaders: ['x-magic-secret-key'],
    secretValues: [SECRET],
    retry: { baseDelay: 1, backoffLimit: 5 },
    timeout: 5000,
    ...extra,
  });
const failure = (promise: Promise<unknown>) => rejectionOf<UnexpectedResponseError>(promise);

/** Resolves once the server saw the response end, cut or finished. */
async function settled(seen: { closedEarly?: boolean }[]) {
  for (let i = 0; i < 200 && seen.some((s) => s.closedEarly === undefined); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('redirects are never followed', () => {
  it.each([
    ['GET', 302],
    ['POST', 307],
    ['GET', 301],
    ['POST', 308],
  ] as const)(
    '%s answered %i: a typed error naming the status, nothing sent to the target',
    async (method, status) => {
      const elsewhere = await serve((_req, res) => res.end('{"ok":true}'));
      const api = await serve((_req, res) => {
        res.writeHead(status, { location: `${elsewhere.url}/steal?api_key=k3y-in-the-url` }).end();
      });
      const error = await failure(
        client(api.url).request({
          method,
          path: 'v1/admin/user',
          json: method === 'POST' ? {} : undefined,
          schema: Ok,
        }),
      );
      expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE');
      expect(error.status).toBe(status);
      expect(error.message).toContain(String(status));
      expect(error.message).toContain('redirect');
      expect(error.message).not.toContain('k3y-in-the-url');
      expect(JSON.stringify(error)).not.toContain(SECRET);
      expect(api.seen).toHaveLength(1);
      expect(elsewhere.seen).toHaveLength(0);
    },
  );

  it('does not retry a redirect, even for a GET', async () => {
    const api = await serve((_req, res) => res.writeHead(303, { location: '/other' }).end());
    const error = await failure(client(api.url).request({ method: 'GET', path: 'x', schema: Ok }));
    expect(error.status).toBe(303);
    expect(api.seen).toHaveLength(1);
  });
});

describe('response size cap', () => {
  it('refuses a declared content-length over the cap before reading, and aborts the attempt', async () => {
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(512 * 1024 * 1024) });
      // A trickle that would take minutes: only an abort ends it.
      const timer = setInterval(() => res.write('x'.repeat(1024)), 20);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await failure(client(api.url).request({ method: 'GET', path: 'big', schema: Ok }));
    expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE');
    expect(error.message).toContain(`${DEFAULT_MAX_RESPONSE_BYTES} bytes`);
    expect(error.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(4000);
    await settled(api.seen);
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0]?.closedEarly).toBe(true);
  });

  it('counts the bytes of a body without content-length and aborts it past the cap', async () => {
    let sent = 0;
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'y'.repeat(64 * 1024);
      const pump = () => {
        while (!res.destroyed && sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
      };
      res.on('drain', pump);
      pump();
    });
    const error = await failure(
      client(api.url, { maxResponseBytes: 256 * 1024 }).request({
        method: 'GET',
        path: 'stream',
        schema: Ok,
      }),
    );
    expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE');
    expect(error.message).toContain(`${256 * 1024} bytes`);
    await settled(api.seen);
    expect(api.seen[0]?.closedEarly).toBe(true);
    // Stopped near the cap, not after the server's 64 MiB.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('counts the decompressed bytes of a gzip body whose content-length is small', async () => {
    const zipped = gzipSync(Buffer.from(`{"ok":true,"pad":"${'z'.repeat(2 * 1024 * 1024)}"}`));
    const api = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': zipped.length,
      });
      res.end(zipped);
    });
    expect(zipped.length).toBeLessThan(DEFAULT_MAX_RESPONSE_BYTES);
    const error = await failure(client(api.url).request({ method: 'GET', path: 'zip', schema: Ok }));
    expect(error.message).toContain('maxResponseBytes');
  });

  it('takes a body of exactly maxResponseBytes and refuses one byte more, with or without content-length', async () => {
    const body = '{"ok":true}';
    for (const chunked of [false, true]) {
      const api = await serve((_req, res) => {
        if (!chunked) res.setHeader('content-length', body.length);
        res.setHeader('content-type', 'application/json');
        res.write(body.slice(0, 4));
        res.end(body.slice(4));
      });
      expect(
        await client(api.url, { maxResponseBytes: body.length }).request({
          method: 'GET',
          path: 'a',
          schema: Ok,
        }),
      ).toEqual({ ok: true });
      const error = await failure(
        client(api.url, { maxResponseBytes: body.length - 1 }).request({
          method: 'GET',
          path: 'a',
          schema: Ok,
        }),
      );
      expect(error.code, chunked ? 'chunked' : 'content-length').toBe('ERR_UNEXPECTED_RESPONSE');
    }
  });

  it('caps error bodies and byte bodies too, and does not retry an oversized answer', async () => {
    const api = await serve((_req, res) => res.writeHead(503).end('e'.repeat(2048)));
    const error = await failure(
      client(api.url, { maxResponseBytes: 1024 }).request({ method: 'GET', path: 'e', schema: Ok }),
    );
    expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE');
    expect(error.status).toBe(503);
    expect(api.seen).toHaveLength(1);
    const bytes = await serve((_req, res) => res.end(Buffer.alloc(2048)));
    const refused = await failure(
      client(bytes.url, { maxResponseBytes: 1024 }).request({
        method: 'GET',
        path: 'b',
        responseType: 'bytes',
      }),
    );
    expect(refused.code).toBe('ERR_UNEXPECTED_RESPONSE');
  });

  it('reads no body from a HEAD answer, whatever content-length it declares', async () => {
    const api = await serve((_req, res) =>
      res.writeHead(404, { 'content-length': String(64 * 1024 * 1024) }).end(),
    );
    const error = await failure(
      client(api.url, { maxResponseBytes: 1024 }).request({
        method: 'HEAD',
        path: 'h',
        responseType: 'none',
      }),
    );
    expect(error.code).toBe('ERR_PROVIDER_NOT_FOUND');
  });

  it('refuses a maxResponseBytes that is not a positive whole number', () => {
    for (const maxResponseBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => client('http://127.0.0.1:1', { maxResponseBytes })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }),
      );
    }
  });
});

describe('error excerpts are cut before they are redacted', () => {
  it('keeps an excerpt of a large non-JSON body short, without the secret near its start', async () => {
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html>${'a'.repeat(150)} ${SECRET} ${'b'.repeat(900 * 1024)}</html>`);
    });
    const error = await failure(client(api.url).request({ method: 'GET', path: 'html', schema: Ok }));
    expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE');
    expect(error.bodyExcerpt?.length).toBeLessThan(300);
    expect(error.bodyExcerpt).toContain('more characters');
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain('sk_live');
  });

  it('hides a JSON secret field whose value runs past the redacted window', async () => {
    const token = `tok${'Q'.repeat(20_000)}`;
    const api = await serve((_req, res) => res.writeHead(200).end(`{"token":"${token}", "ok": 1}`));
    const error = await failure(client(api.url).request({ method: 'GET', path: 'j', schema: Ok }));
    expect(error.details).toContain('ok');
    expect(error.bodyExcerpt).toContain('[REDACTED]');
    expect(error.bodyExcerpt).not.toContain('QQQQ');
  });

  it('redacts a bounded window of the text, whatever its length', () => {
    const inner = createRedactor({ secretValues: [SECRET] });
    const lengths: number[] = [];
    const counting: Redactor = {
      ...inner,
      text: (text) => {
        lengths.push(text.length);
        return inner.text(text);
      },
    };
    const out = excerpt(counting, `${SECRET}${'c'.repeat(5 * 1024 * 1024)}`);
    expect(Math.max(...lengths)).toBeLessThan(8192);
    expect(out.startsWith('[REDACTED]')).toBe(true);
    expect(out).toMatch(/… \(\d+ more characters\)$/);
  });
});
