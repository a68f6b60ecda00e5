import { isAuthBridgeError } from '@authbridge/core';
import { runStoreConformance, thrownBy } from '@authbridge/test-utils';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createRedisStore, type RedisStore, redisKey } from './index.js';

const url = inject('redisUrl');

runStoreConformance('redis (url)', {
  create: () => createRedisStore({ url }),
  dispose: (store) => (store as RedisStore).close(),
});

const appClients: Redis[] = [];
runStoreConformance('redis (client the app owns)', {
  create: () => {
    const client = new Redis(url);
    appClients.push(client);
    return createRedisStore({ client, prefix: 'app-owned:' });
  },
  dispose: async () => {
    await Promise.all(appClients.map((client) => client.quit()));
  },
});

describe('createRedisStore against redis-server', () => {
  let raw: Redis;
  beforeAll(() => {
    raw = new Redis(url);
  });
  afterAll(async () => {
    await raw.quit();
  });

  it('writes each key as prefix{key} with the TTL in ms', async () => {
    const store = createRedisStore({ url, prefix: 'shop:' });
    const key = `app:nonce:${Date.now()}`;
    await store.set(key, 'n', 60_000);
    expect(await raw.get(`shop:{${key}}`)).toBe('n');
    const pttl = await raw.pttl(`shop:{${key}}`);
    expect(pttl).toBeGreaterThan(55_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    await store.close();
  });

  it('keeps apps with different prefixes apart on one Redis', async () => {
    const a = createRedisStore({ url, prefix: 'app-a:' });
    const b = createRedisStore({ url, prefix: 'app-b:' });
    const key = `magic:replay:${Date.now()}`;
    expect(await a.setIfAbsent(key, 'a', 10_000)).toBe(true);
    expect(await b.setIfAbsent(key, 'b', 10_000)).toBe(true);
    expect(await a.consume(key)).toBe('a');
    expect(await b.get(key)).toBe('b');
    await Promise.all([a.close(), b.close()]);
  });

  it('rounds a fractional TTL up, so a record never lives shorter than asked', async () => {
    // A TTL long enough to read back on a loaded machine; the spy shows the rounding itself.
    const client = new Redis(url);
    const sent = vi.spyOn(client, 'set');
    const store = createRedisStore({ client });
    const key = `fraction:${Date.now()}`;
    await store.set(key, 'v', 5_000.2);
    expect(sent).toHaveBeenCalledWith(redisKey('authbridge:', key), 'v', 'PX', 5_001);
    const pttl = await raw.pttl(redisKey('authbridge:', key));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(5_001);
    await client.quit();
  });

  it('consumes again after Redis lost its script cache', async () => {
    const store = createRedisStore({ url });
    const key = `script-flush:${Date.now()}`;
    await store.set(key, 'before', 10_000);
    expect(await store.consume(key)).toBe('before');
    await raw.script('FLUSH');
    await store.set(key, 'after', 10_000);
    expect(await store.consume(key)).toBe('after');
    await store.close();
  });

  it('leaves a client the app passed in open on close', async () => {
    const client = new Redis(url);
    const store = createRedisStore({ client });
    await store.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });
});

describe('createRedisStore options', () => {
  it('needs exactly one of client and url', () => {
    expect(
      isAuthBridgeError(
        thrownBy(() => createRedisStore({})),
        'ERR_CONFIG',
      ),
    ).toBe(true);
    const client = new Redis({ lazyConnect: true });
    expect(
      isAuthBridgeError(
        thrownBy(() => createRedisStore({ client, url })),
        'ERR_CONFIG',
      ),
    ).toBe(true);
    client.disconnect();
  });

  it('rejects a url that is not redis:// or rediss://, without echoing its password', () => {
    for (const bad of ['http://:hunter2-secret@localhost:6379', 'not a url hunter2-secret']) {
      const error = thrownBy(() => createRedisStore({ url: bad }));
      expect(isAuthBridgeError(error, 'ERR_CONFIG'), bad).toBe(true);
      expect(String((error as Error).message)).not.toContain('hunter2-secret');
    }
  });

  it('rejects a prefix with braces, which would put every key on one Cluster slot', () => {
    for (const prefix of ['{app}:', 'app}', 'a{']) {
      expect(
        isAuthBridgeError(
          thrownBy(() => createRedisStore({ url, prefix })),
          'ERR_CONFIG',
        ),
        prefix,
      ).toBe(true);
    }
  });

  it('rejects a timeout that is not a positive number', () => {
    for (const timeoutMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = thrownBy(() => createRedisStore({ url, timeoutMs }));
      expect(isAuthBridgeError(error, 'ERR_CONFIG'), String(timeoutMs)).toBe(true);
    }
  });
});
