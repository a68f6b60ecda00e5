/**
 * One attempt of a request: sent through ky with redirects left unfollowed, cut by its own timeout
 * and the caller's signal, and its body read once, to its end or to the size cap, before it resolves.
 */

import type { HttpMethod } from './http-options.js';
import { readCapped } from './read-capped.js';

let kyModule: Promise<typeof import('ky')> | undefined;
let loadedKy: typeof import('ky').default | undefined;
/**
 * ky, loaded on the first request. Its import probes the fetch globals, which makes Node load its
 * fetch implementation (about 30 ms): an app that only validates tokens locally never pays for it.
 */
async function loadKy(): Promise<typeof import('ky').default> {
  kyModule ??= import('ky');
  loadedKy = (await kyModule).default;
  return loadedKy;
}

/** What one attempt sends. */
export interface AttemptRequest {
  method: HttpMethod;
  /** The full URL, query included. */
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** `'none'` drops the body unread; `'text'` decodes it; `'bytes'` keeps it raw. */
  read: 'text' | 'bytes' | 'none';
  timeout: number;
  maxResponseBytes: number;
  /** The caller's signal. */
  signal: AbortSignal | undefined;
  /** An injected fetch; its bodies are always counted, whatever their `content-length` says. */
  fetch: typeof fetch | undefined;
}

/** A provider's answer, body read. */
export interface AttemptResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** The decoded body (`read: 'text'`), or `''`. */
  text: string;
  /** The raw body (`read: 'bytes'`). */
  bytes: Uint8Array | undefined;
  /** `Location` of a 3xx (left unfollowed), else undefined. */
  redirectTo: string | undefined;
}

/** Why an attempt produced no answer. */
export type AttemptFailureKind = 'timeout' | 'aborted' | 'network' | 'too-large';

/** An attempt that ended without an answer (internal: mapped to an AuthBridgeError by the client). */
export class AttemptFailed extends Error {
  constructor(
    readonly kind: AttemptFailureKind,
    readonly status?: number,
    cause?: unknown,
  ) {
    super(kind, { cause });
  }
}

const decoder = new TextDecoder();

/**
 * Sends one attempt. Resolves with the answer once its whole body is read (so the timeout covers a
 * body that stalls); a 3xx resolves with `redirectTo` and its body dropped. Rejects with
 * {@link AttemptFailed} only.
 */
export async function sendAttempt(request: AttemptRequest): Promise<AttemptResponse> {
  const ky = loadedKy ?? (await loadKy());
  const caller = request.signal;
  if (caller?.aborted) throw new AttemptFailed('aborted', undefined, caller.reason);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeout);
  const onCallerAbort = () => controller.abort(caller?.reason);
  caller?.addEventListener('abort', onCallerAbort, { once: true });
  const fetchImpl = request.fetch ?? globalThis.fetch;
  const signal = controller.signal;
  let status: number | undefined;
  try {
    const response = await ky(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      timeout: false,
      retry: 0,
      throwHttpErrors: false,
      // ky's own signal would be merged with ours by AbortSignal.any on every request; handing ours
      // to fetch directly costs nothing and covers the body too. (Not a beforeRequest hook returning
      // the Response: ky recognises it by `instanceof Response`, which fails where a server library
      // such as @hono/node-server replaces the global Response, and ky would then send it again.)
      fetch: (input, init) => fetchImpl(input, init ? { ...init, signal } : { signal }),
    });
    status = response.status;
    if ((status >= 300 && status < 400) || response.type === 'opaqueredirect') {
      void response.body?.cancel().catch(() => undefined);
      return {
        status,
        statusText: response.statusText,
        headers: response.headers,
        text: '',
        bytes: undefined,
        redirectTo: response.headers.get('location') ?? undefined,
      };
    }
    let text = '';
    let bytes: Uint8Array | undefined;
    // A HEAD answer has no body, whatever length it declares (that of the GET it stands for).
    if ((request.read === 'none' && response.ok) || request.method === 'HEAD') {
      void response.body?.cancel().catch(() => undefined);
    } else if (request.read === 'bytes' && response.ok) {
      bytes = await readBytes(response, request, controller);
    } else if (trustsLength(response, request)) {
      text = await response.text();
    } else {
      text = decoder.decode(await readBytes(response, request, controller));
    }
    return {
      status,
      statusText: response.statusText,
      headers: response.headers,
      text,
      bytes,
      redirectTo: undefined,
    };
  } catch (error) {
    // Whatever went wrong, the connection is not read further.
    controller.abort();
    if (error instanceof AttemptFailed) throw error;
    if (caller?.aborted) throw new AttemptFailed('aborted', status, caller.reason);
    if (timedOut) throw new AttemptFailed('timeout', status);
    throw new AttemptFailed('network', status, error);
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * Whether the body can be read whole without counting: Node's fetch reads exactly the
 * `content-length` it was given (HTTP/1.1 framing), so a declared length under the cap bounds the
 * body, unless it is compressed (the length is then the compressed size) or an injected fetch made
 * the response.
 */
function trustsLength(response: Response, request: AttemptRequest): boolean {
  if (request.fetch !== undefined) return false;
  const length = declaredLength(response);
  if (length === undefined) return false;
  if (length > request.maxResponseBytes) throw new AttemptFailed('too-large', response.status);
  const encoding = response.headers.get('content-encoding');
  return encoding === null || encoding === 'identity';
}

function declaredLength(response: Response): number | undefined {
  const header = response.headers.get('content-length');
  if (header === null || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}

/** Reads the body, counting bytes: past the cap the stream is cancelled and the attempt aborted. */
async function readBytes(
  response: Response,
  request: AttemptRequest,
  controller: AbortController,
): Promise<Uint8Array> {
  const max = request.maxResponseBytes;
  const length = declaredLength(response);
  const tooLarge = () => {
    controller.abort();
    return new AttemptFailed('too-large', response.status);
  };
  if (length !== undefined && length > max) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  return readCapped(response.body, max, tooLarge);
}
