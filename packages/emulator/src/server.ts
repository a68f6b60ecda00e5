import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type Fault, type FaultRule, FaultTable } from './faults.js';
import type { EmulatorFixtures } from './fixtures.js';
import { providerModules } from './providers.js';
import type { EmulatorEnv, ProviderId, ProviderInstance } from './types.js';

/** One request the emulator received. Kept for assertions in tests. */
export interface RecordedRequest {
  method: string;
  /** The provider whose routes it reached, if any. */
  provider: string | undefined;
  /** The full path, such as `/pi/v2/me`. */
  path: string;
  /** The path after the provider's base path, such as `/v2/me`. */
  subPath: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** Emulator clock time at arrival, in ms. */
  at: number;
}

/** Options of {@link startEmulator}. */
export interface StartEmulatorOptions {
  /** Which providers to mount. Default: all available. */
  providers?: ProviderId[];
  /** Port to listen on. Default 0: an ephemeral port. */
  port?: number;
  /** Host to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Per-provider options (seeded users, keys), passed to each module. */
  providerOptions?: Partial<Record<ProviderId, unknown>>;
}

/** The emulator's clock: real time plus an offset that tests move. */
export interface EmulatorClock {
  /** The emulator's time, in ms since the epoch. */
  now(): number;
  /** Moves the clock forward (or back, with a negative value). */
  advance(ms: number): void;
  /** Sets the clock to `ms` since the epoch. */
  set(ms: number): void;
  /** Back to real time. */
  reset(): void;
}

/** A running emulator. */
export interface Emulator {
  /** The root URL, such as `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  /** The base URL of each mounted provider, such as `http://127.0.0.1:4010/pi`. */
  urls: Partial<Record<ProviderId, string>>;
  /** The seeded fixtures (keys, users, wallets) of each mounted provider, by provider id. */
  fixtures: Partial<EmulatorFixtures>;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /** Injects a fault; returns its id for {@link Emulator.clearFaults}. */
  injectFault(rule: FaultRule): number;
  /** Removes one fault, or all. */
  clearFaults(id?: number): void;
  clock: EmulatorClock;
  /** Forgets recorded requests, faults and all provider state created since start. */
  reset(): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const CONTROL = '/__emulator';

function applyFaultResponse(fault: Fault): Response {
  const headers = new Headers(fault.headers);
  if (fault.retryAfter !== undefined) headers.set('retry-after', String(fault.retryAfter));
  if (fault.nonJson) {
    headers.set('content-type', 'text/html; charset=utf-8');
    return new Response('<html><body>502 Bad Gateway</body></html>', {
      status: fault.status ?? 200,
      headers,
    });
  }
  const status = fault.status ?? 500;
  if (typeof fault.body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8');
    return new Response(fault.body, { status, headers });
  }
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(fault.body ?? { error: 'injected fault' }), { status, headers });
}

/** Waits `ms`, or less when the emulator closes, so a delayed route never holds a process open. */
function sleep(ms: number, closing: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      closing.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    closing.addEventListener('abort', done, { once: true });
  });
}

/** The route's answer with its body cut after the first bytes and the rest held back for `ms`. */
function stallBody(response: Response, ms: number, closing: AbortSignal): Response {
  if (!response.body) return response;
  const stalled = new ReadableStream<Uint8Array>({
    async start(controller) {
      const whole = new Uint8Array(await response.arrayBuffer());
      const head = Math.min(1, whole.length);
      controller.enqueue(whole.subarray(0, head));
      await sleep(ms, closing);
      if (closing.aborted) return; // the sockets are gone; nothing is left to send
      controller.enqueue(whole.subarray(head));
      controller.close();
    },
  });
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(stalled, { status: response.status, statusText: response.statusText, headers });
}

/** The route's answer with the fault's extra headers and `Retry-After` set on it. */
function withFaultHeaders(response: Response, fault: Fault): Response {
  if (fault.headers === undefined && fault.retryAfter === undefined) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(fault.headers ?? {})) headers.set(name, value);
  if (fault.retryAfter !== undefined) headers.set('retry-after', String(fault.retryAfter));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** A fault rule as JSON: `path` may be a string or `{ "regex": "..." }`. */
function ruleFromJson(json: Record<string, unknown>): FaultRule {
  const path = json.path as string | { regex: string } | undefined;
  return {
    provider: json.provider as string | undefined,
    method: json.method as string | undefined,
    path: typeof path === 'object' && path !== null ? new RegExp(path.regex) : path,
    times: json.times as number | undefined,
    fault: (json.fault ?? {}) as Fault,
  };
}

/**
 * Starts the emulator on 127.0.0.1 (an ephemeral port unless `port` is given) with the chosen
 * providers mounted under `/<provider>`.
 *
 * Control routes for tools outside the process: `POST /__emulator/faults` (a fault rule as JSON),
 * `DELETE /__emulator/faults`, `GET|DELETE /__emulator/requests`, `POST /__emulator/clock`
 * (`{ advance }` or `{ set }`), `POST /__emulator/reset`, `GET /__emulator/fixtures`.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ providers: ['pi'] });
 * const piApp = pi({ apiKey: 'test', baseUrl: emulator.urls.pi });
 * emulator.injectFault({ provider: 'pi', path: '/v2/me', times: 1, fault: { status: 503, retryAfter: 1 } });
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const requested = options.providers ?? (Object.keys(providerModules) as ProviderId[]);
  for (const id of requested) {
    if (!providerModules[id]) {
      throw new Error(
        `The emulator has no '${id}' provider. Available: ${Object.keys(providerModules).join(', ')}.`,
      );
    }
  }
  const host = options.host ?? '127.0.0.1';
  let offset = 0;
  const clock: EmulatorClock = {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
    set: (ms) => {
      offset = ms - Date.now();
    },
    reset: () => {
      offset = 0;
    },
  };
  const faults = new FaultTable();
  const closing = new AbortController();
  const requests: RecordedRequest[] = [];
  let rootUrl = '';
  const instances = new Map<ProviderId, ProviderInstance>();
  const app = new Hono<EmulatorEnv>();

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.startsWith(CONTROL)) return next();
    const [, first = ''] = url.pathname.split('/');
    const provider = instances.has(first as ProviderId) ? first : undefined;
    const subPath = provider ? url.pathname.slice(provider.length + 1) || '/' : url.pathname;
    requests.push({
      method: c.req.method,
      provider,
      path: url.pathname,
      subPath,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(c.req.raw.headers),
      body: c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text(),
      at: clock.now(),
    });
    const fault = faults.take(c.req.method, provider, url.pathname, subPath);
    if (!fault) return next();
    if (fault.delayMs) await sleep(fault.delayMs, closing.signal);
    if (fault.drop) {
      c.env.incoming.socket.destroy();
      return new Response(null);
    }
    if (fault.status !== undefined || fault.nonJson || fault.body !== undefined) {
      const injected = applyFaultResponse(fault);
      return fault.stallBodyMs ? stallBody(injected, fault.stallBodyMs, closing.signal) : injected;
    }
    await next();
    c.res = withFaultHeaders(c.res, fault);
    if (fault.stallBodyMs) c.res = stallBody(c.res, fault.stallBodyMs, closing.signal);
  });

  app.post(`${CONTROL}/faults`, async (c) => c.json({ id: faults.add(ruleFromJson(await c.req.json())) }));
  app.delete(`${CONTROL}/faults`, (c) => {
    faults.clear();
    return c.json({ ok: true });
  });
  app.get(`${CONTROL}/requests`, (c) => c.json(requests));
  app.delete(`${CONTROL}/requests`, (c) => {
    requests.length = 0;
    return c.json({ ok: true });
  });
  app.post(`${CONTROL}/clock`, async (c) => {
    const body = (await c.req.json()) as { advance?: number; set?: number; reset?: boolean };
    if (typeof body.advance === 'number') clock.advance(body.advance);
    if (typeof body.set === 'number') clock.set(body.set);
    if (body.reset) clock.reset();
    return c.json({ now: clock.now() });
  });
  app.post(`${CONTROL}/reset`, (c) => {
    reset();
    return c.json({ ok: true });
  });
  app.get(`${CONTROL}/fixtures`, (c) => c.json(Object.fromEntries(fixtures())));

  for (const id of requested) {
    const module = providerModules[id];
    if (!module) continue;
    const instance = module.create(
      { now: clock.now, baseUrl: () => `${rootUrl}/${id}`, rootUrl: () => rootUrl },
      options.providerOptions?.[id],
    );
    instances.set(id, instance);
    app.route(`/${id}`, instance.app);
  }
  app.notFound((c) =>
    c.json({ error: 'not_found', message: `No emulator route for ${c.req.method} ${c.req.path}` }, 404),
  );

  const fixtures = () => [...instances].map(([id, instance]) => [id, instance.fixtures ?? {}] as const);
  function reset(): void {
    requests.length = 0;
    faults.clear();
    clock.reset();
    for (const instance of instances.values()) instance.reset?.();
  }

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  rootUrl = `http://${shownHost}:${address.port}`;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return {
    url: rootUrl,
    port: address.port,
    urls: Object.fromEntries([...instances.keys()].map((id) => [id, `${rootUrl}/${id}`])),
    // Each module's fixtures are of the type EmulatorFixtures names for its id.
    fixtures: Object.fromEntries(fixtures()) as Partial<EmulatorFixtures>,
    requests,
    injectFault: (rule) => faults.add(rule),
    clearFaults: (id) => faults.clear(id),
    clock,
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
