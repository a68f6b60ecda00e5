import { isAuthBridgeError, type KeyValueStore } from '@authbridge/core';
import {
  expectStoreFailsClosed,
  type SilentServer,
  startSilentServer,
  timedRejection,
} from '@authbridge/test-utils';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RedisServerHandle, startRedisServer } from '../../../scripts/redis/redis-server.mjs';
import { createRedisStore, type RedisStore } from './index.js';

const PASSWORD = 'correct-horse-battery-staple-7f3a';
// Long enough for a connect and a script on a loaded machine, short enough to wait out in a test.
const TIMEOUT_MS = 600;
// How much later than its timeout a call may settle: timer and event-loop slack on a busy machine.
const SLACK_MS = 1500;

const failsClosed = (store: KeyValueStore, secret?: string) =>
  expectStoreFailsClosed(store, {
    timeoutMs: TIMEOUT_MS,
    slackMs: SLACK_MS,
    secrets: secret ? [secret] : [],
  });

describe('Redis down: nothing listening', () => {
  it('fails every call closed with ERR_STORE, without the password in the error', async () => {
    const port = await freePort();
    const store = createRedisStore({ url: `redis://:${PASSWORD}@127.0.0.1:${port}`, timeoutMs: TIMEOUT_MS });
    await failsClosed(store, PASSWORD);
    await store.close();
  });
});

describe('Redis slow: a server that accepts and never answers', () => {
  let silent: SilentServer;
  let port: number;

  beforeAll(async () => {
    silent = await startSilentServer();
    port = silent.port;
  });

  afterAll(() => silent.close());

  it('fails every call closed with ERR_STORE at the store timeout (url)', async () => {
    const store = createRedisStore({
      url: `redis://user:${PASSWORD}@127.0.0.1:${port}`,
      timeoutMs: TIMEOUT_MS,
    });
    await failsClosed(store, PASSWORD);
    const { error, elapsedMs } = await timedRejection(() => store.consume('app:nonce:n2'));
    expect((error as Error).message).toContain(`within ${TIMEOUT_MS} ms`);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    await store.close();
  });

  it('bounds the wait even when the app client would wait forever', async () => {
    const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null, password: PASSWORD });
    client.on('error', () => {});
    const store = createRedisStore({ client, timeoutMs: TIMEOUT_MS });
    await failsClosed(store);
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
    expect(await store.setIfAbsent('app:nonce:ok', '1', 60_000)).toBe(true);
    expect(await store.consume('app:nonce:ok')).toBe('1');
  });

  it('fails closed while Redis is blocked, and the timed-out consume still burns the nonce', async () => {
    await store.set('app:nonce:busy', '1', 60_000);
    // One connection carries both DEBUG SLEEP and the consume: Redis answers a connection's commands in
    // the order they were sent, so the consume surely waits behind the sleep, with no timing guess.
    const client = new Redis(server.url);
    const shared = createRedisStore({ client, timeoutMs: TIMEOUT_MS });
    // Cache the consume script first; otherwise the queued EVALSHA answers NOSCRIPT after the deadline,
    // the EVAL fallback is (rightly) not sent, and the nonce stays: still fail-closed, but not this case.
    await shared.consume('app:nonce:warm-up');
    // Far longer than the store's timeout, so the consume cannot be answered in time even on a busy machine.
    const sleeping = client.call('DEBUG', 'SLEEP', '2');
    const { error } = await timedRejection(() => shared.consume('app:nonce:busy'));
    expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
    await sleeping;
    // Redis ran the consume once it woke up: the nonce is gone, so the login that timed out cannot be
    // completed later either.
    expect(await client.get('authbridge:{app:nonce:busy}')).toBeNull();
    await client.quit();
  });

  it('fails closed with a wrong password, without either password in the error', async () => {
    const wrong = 'wrong-password-91c2e7d4';
    const bad = createRedisStore({
      url: `redis://:${wrong}@127.0.0.1:${server.port}`,
      timeoutMs: TIMEOUT_MS,
    });
    await failsClosed(bad, wrong);
    await bad.close();
  });

  it('fails closed once Redis has stopped, without the password in the error, and recovers when it is back', async () => {
    await server.stop();
    await failsClosed(store, PASSWORD);

    // A call made as Redis comes back may fail closed or succeed. If it succeeded, the record is there.
    // If it failed closed, it either never reached Redis or reached it too late to answer in time, and
    // then may still have written its record (the store's documented semantics): either way it admitted
    // nothing, and a record, if any, is this call's.
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
    if ('error' in outcome) expect([undefined, '1']).toContain(await store.get(key));
    else expect(await store.setIfAbsent(key, '2', 60_000)).toBe(false);
    // The calls made while nothing was listening were never sent, so none ran once Redis (restarted
    // empty) was back: a queued setIfAbsent would have left its record, whatever ran after it.
    expect(await store.get('magic:didt:0x5c8a1b2e9f0d4c3b7a6e5f4d3c2b1a0f9e8d7c6b:tid-1')).toBeUndefined();
  });
});
