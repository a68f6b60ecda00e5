import { createServer, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { isAuthBridgeError, type KeyValueStore } from '@authbridge/core';
import { expect } from 'vitest';

/** Every store call, on keys shaped like a Magic replay record and an app nonce. */
export const STORE_CALLS: Record<string, (store: KeyValueStore) => Promise<unknown>> = {
  setIfAbsent: (store) =>
    store.setIfAbsent('magic:didt:0x5c8a1b2e9f0d4c3b7a6e5f4d3c2b1a0f9e8d7c6b:tid-1', '1767225600', 60_000),
  set: (store) => store.set('app:nonce:n1', '1', 60_000),
  get: (store) => store.get('app:nonce:n1'),
  consume: (store) => store.consume('app:nonce:n1'),
  delete: (store) => store.delete('app:nonce:n1'),
};

/**
 * Runs `call` and returns what it rejected with and how long it took; fails the test if it resolved.
 *
 * @example
 * ```ts
 * const { error, elapsedMs } = await timedRejection(() => store.consume('k'));
 * ```
 */
export async function timedRejection(
  call: () => Promise<unknown>,
): Promise<{ error: unknown; elapsedMs: number }> {
  const started = performance.now();
  const outcome = await call().then(
    (value) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  const elapsedMs = performance.now() - started;
  if (outcome.resolved)
    throw new Error(`The call resolved (${JSON.stringify(outcome.value)}) instead of failing closed.`);
  return { error: outcome.error, elapsedMs };
}

/** Every rendering of an error a log or an error tracker might produce. */
export function errorRenderings(error: unknown): string[] {
  const e = error as Error & { toJSON?: () => unknown };
  return [e.message, String(e), e.stack ?? '', JSON.stringify(e.toJSON?.()), inspect(e, { depth: 5 })];
}

/** Options of {@link expectStoreFailsClosed}. */
export interface FailsClosedOptions {
  /** The store's timeout. */
  timeoutMs: number;
  /** How much later than its timeout a call may settle (timer slack on a busy machine). Default 1500. */
  slackMs?: number;
  /** Texts that must appear in no rendering of any error (passwords). */
  secrets?: string[];
}

/**
 * Asserts that every store call ({@link STORE_CALLS}) rejects with `ERR_STORE` within the timeout,
 * with none of `secrets` in any rendering of the error.
 *
 * @example
 * ```ts
 * await expectStoreFailsClosed(store, { timeoutMs: 600, secrets: [password] });
 * ```
 */
export async function expectStoreFailsClosed(
  store: KeyValueStore,
  options: FailsClosedOptions,
): Promise<void> {
  const { timeoutMs, slackMs = 1500, secrets = [] } = options;
  for (const [name, call] of Object.entries(STORE_CALLS)) {
    const { error, elapsedMs } = await timedRejection(() => call(store));
    expect(isAuthBridgeError(error, 'ERR_STORE'), `${name}: ${String(error)}`).toBe(true);
    expect(elapsedMs, `${name} settled within the timeout`).toBeLessThan(timeoutMs + slackMs);
    for (const secret of secrets)
      for (const text of errorRenderings(error)) expect(text, name).not.toContain(secret);
  }
}

/** A TCP server on loopback that accepts connections and never answers. */
export interface SilentServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts a {@link SilentServer}: a database or cache that is up but hung.
 *
 * @example
 * ```ts
 * const silent = await startSilentServer();
 * const store = createRedisStore({ url: `redis://127.0.0.1:${silent.port}` });
 * ```
 */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * What `run` throws synchronously, or `undefined` when it returns.
 *
 * @example
 * ```ts
 * expect(isAuthBridgeError(thrownBy(() => createRedisStore({})), 'ERR_CONFIG')).toBe(true);
 * ```
 */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
