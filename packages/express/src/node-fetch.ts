/**
 * Express (Node) requests and responses as Web `Request`/`Response`, for the fetch-handler core. This
 * package is Node-only by design: Express runs on Node's HTTP server.
 */
import { Readable } from 'node:stream';
import { RequestError } from '@authbridge/core';
import { DEFAULT_MAX_JSON_DEPTH, depthExceeds } from '@authbridge/web';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

/**
 * The Web `Request` of an Express request. The URL's origin is a fixed placeholder: the handler reads
 * only the path, and nothing is taken from the `Host` header. A body a parser in front already read
 * (`express.json()`) is serialised again; otherwise the raw stream is passed on unread (the handler
 * caps it). Throws `ERR_REQUEST_MALFORMED` for a parsed body nested deeper than `maxJsonDepth`. The signal
 * aborts when the client goes away, so a provider call (a Toopher poll) stops with it.
 */
export function toWebRequest(
  req: ExpressRequest,
  res: ExpressResponse,
  maxJsonDepth: number = DEFAULT_MAX_JSON_DEPTH,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (req.readableEnded) {
      // A body parser in front read the stream: what it parsed is all that is left of the body.
      headers.delete('content-length');
      // JSON.stringify recurses: a body nested a few thousand levels deep would overflow the stack.
      if (depthExceeds(req.body, maxJsonDepth)) {
        throw new RequestError(
          'ERR_REQUEST_MALFORMED',
          `The request body is nested deeper than ${maxJsonDepth} levels.`,
        );
      }
      init.body = req.body === undefined ? '' : JSON.stringify(req.body);
    } else {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
  }
  return new Request(new URL(req.originalUrl, 'http://express.invalid'), init);
}

/** Sends a Web `Response` through Express: status, headers (every `Set-Cookie`), body. */
export async function sendWebResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}
