import { createServer, type Server, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { isAuthBridgeError, type KeyValueStore } from '@authbridge/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RedisServerHandle, startRedisServer } from '../../../scripts/redis/redis-server.mjs';
import { createRedisStore, type RedisStore } from './index.js';

const PASSWORD = 'correct-horse-battery-staple-7f3a';
const TIMEOUT_MS = 300;
// How much later than its timeout a call may settle: timer and event-loop slack on a busy machine.
const SLACK_MS = 1500;

/** Every store call; a failing store must reject each of them, never resolve. */
const calls: Record<string, (store: KeyValueStore) => Promise<unknown>> = {
  setIfAbsent: (store) =>
    store.setIfAbsent('magic:didt:0x5c8a1b2e9f0d4c3b7a6e5f4d3c2b1a0f9e8d7c6b:tid-1', '1767225600', 60_000),
  set: (store) => store.set('picket:nonce:n1', '1', 60_000),
  get: (store) => store.get('picket:nonce:n1'),
  consume: (store) => store.consume('picket:nonce:n1'),
  delete: (store) => store.delete('picket:nonce:n1'),
};

/** Runs `call` and returns what it rejected with and how long it took; fails the test if it resolved. */
async function rejection(call: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
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
function renderings(error: unknown): string[] {
  const e = error as Error & { toJSON?: () => unknown };
  return [e.message, String(e), e.stack ?? '', JSON.stringify(e.toJSON?.()), inspect(e, { depth: 5 })];
}

async function expectFailsClosed(store: KeyValueStore, secret?: string): Promise<void> {
  for (const [name, call] of Object.entries(calls)) {
    const { error, elapsedMs } = await rejection(() => call(store));
    expect(isAuthBridgeError(error, 'ERR_STORE'), `${name}: ${String(error)}`).toBe(true);
    expect(elapsedMs, `${name} settled within the timeout`).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    if (secret) for (const text of renderings(error)) expect(text, name).not.toContain(secret);
  }
}

describe('Redis down: nothing listening', () => {
  it('fails every call closed with ERR_STORE, without the password in the error', async () => {
    const port = await freePort();
    const store = createRedisStore({ url: `redis://:${PASSWORD}@127.0.0.1:${port}`, timeoutMs: TIMEOUT_MS });
    await expectFailsClosed(store, PASSWORD);
    await store.close();
  });
});

describe('Redis slow: a server that accepts and never answers', () => {
  let blackhole: Server;
  let port: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    blackhole = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    port = (blackhole.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });

  it('fails every call closed with ERR_STORE at the store timeout (url)', async () => {
    const store = createRedisStore({
      url: `redis://user:${PASSWORD}@127.0.0.1:${port}`,
      timeoutMs: TIMEOUT_MS,
    });
    await expectFailsClosed(store, PASSWORD);
    const { error, elapsedMs } = await rejection(() => store.consume('picket:nonce:n2'));
    expect((error as Error).message).toContain(`within ${TIMEOUT_MS} ms`);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    await store.close();
  });

  it('bounds the wait even when the app client would wait forever', async () => {
    const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null, password: PASSWORD });
    client.on('error', () => {});
    const store = createRedisStore({ client, timeoutMs: TIMEOUT_MS });
    await expectFailsClosed(store);
    client.disconnect();
  });
});

describe('Redis that stops, is busy, or refuses the password', () => {
  let server: RedisServerHandle;
  let store: RedisStore;

  beforeAll(async () => {
    server = await startRedisServer({ password: PASSWORD, extraArgs: ['--enable-debug-command', 'local'] });
    store = createRedisStore({ url: server.url, timeoutMs: TIMEOUT_MS });
  });

  afterAll(async () => {
    await store.close();
    await server.stop();
  });

  it('works with the password in the url', async () => {
    expect(server.url).toContain(PASSWORD);
    expect(await store.setIfAbsent('picket:nonce:ok', '1', 60_000)).toBe(true);
    expect(await store.consume('picket:nonce:ok')).toBe('1');
  });

  it('fails closed while Redis is blocked, and the timed-out consume still burns the nonce', async () => {
    await store.set('picket:nonce:busy', '1', 60_000);
    const admin = new Redis(server.url);
    // Before Redis blocks: both connections up, and the consume script cached on the server. Otherwise
    // the queued EVALSHA answers NOSCRIPT after the deadline, the EVAL fallback is (rightly) not sent,
    // and the nonce stays: still fail-closed, but not the case this test is about.
    await admin.ping();
    await store.consume('picket:nonce:warm-up');
    const sleeping = admin.call('DEBUG', 'SLEEP', '1');
    // Let DEBUG SLEEP reach the server first, so the consume queues behind it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { error } = await rejection(() => store.consume('picket:nonce:busy'));
    expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
    await sleeping;
    // Redis ran the consume once it woke up: the nonce is gone, so the login that timed out cannot be
    // completed later either.
    expect(await admin.get('authbridge:{picket:nonce:busy}')).toBeNull();
    await admin.quit();
  });

  it('fails closed with a wrong password, without either password in the error', async () => {
    const wrong = 'wrong-password-91c2e7d4';
    const bad = createRedisStore({
      url: `redis://:${wrong}@127.0.0.1:${server.port}`,
      timeoutMs: TIMEOUT_MS,
    });
    await expectFailsClosed(bad, wrong);
    await bad.close();
  });

  it('fails closed once Redis has stopped, without the password in the error, and recovers when it is back', async () => {
    await server.stop();
    await expectFailsClosed(store, PASSWORD);

    // A call made as Redis comes back may fail closed or succeed; either way its answer must match
    // what Redis holds afterwards. A call that failed closed must leave no trace: a command that ran
    // later would make the next setIfAbsent for the same record answer false and refuse a fresh login.
    const key = 'magic:didt:0x5c8a1b2e9f0d4c3b7a6e5f4d3c2b1a0f9e8d7c6b:during-restart';
    const during = store.setIfAbsent(key, '1', 60_000).then(
      (stored) => ({ stored }),
      (error: unknown) => ({ error }),
    );
    server = await startRedisServer({ password: PASSWORD, port: server.port });
    const outcome = await during;
    if ('error' in outcome) expect(isAuthBridgeError(outcome.error, 'ERR_STORE')).toBe(true);
    else expect(outcome.stored).toBe(true);

    // The client reconnects on its own (backoff up to 2 s); until then calls keep failing closed.
    const deadline = Date.now() + 10_000;
    let back = false;
    while (!back && Date.now() < deadline) {
      back = await store.get('probe').then(
        () => true,
        (error: unknown) => {
          expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
          return false;
        },
      );
    }
    expect(back).toBe(true);
    expect(await store.setIfAbsent(key, '2', 60_000)).toBe('error' in outcome);
    expect(await store.get('picket:nonce:n1')).toBeUndefined();
  });
});
