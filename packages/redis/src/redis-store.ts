import { createHash } from 'node:crypto';
import {
  assertTtl,
  ConfigurationError,
  createRedactor,
  type KeyValueStore,
  StoreError,
} from '@authbridge/core';
import { type Cluster, Redis } from 'ioredis';
import { assertPrefix, DEFAULT_PREFIX, redisKey } from './redis-key.js';

/** A client the store can use: a single node (or Sentinel) connection, or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** Options of {@link createRedisStore}: exactly one of `client` and `url`. */
export interface RedisStoreOptions {
  /** A client the app owns. The store never closes it. */
  client?: RedisClient;
  /** `redis://[:password@]host:port[/db]` or `rediss://...`; the store creates and owns the client. */
  url?: string;
  /** Prepended to every key, so several apps can share one Redis. No braces. Default `'authbridge:'`. */
  prefix?: string;
  /** How long one store call may take before it fails with `ERR_STORE`, in ms. Default 1000. */
  timeoutMs?: number;
}

/** A {@link KeyValueStore} on Redis. */
export interface RedisStore extends KeyValueStore {
  /** Closes the connection if the store created it from `url`; a client passed in is left open. */
  close(): Promise<void>;
}

/** The default of {@link RedisStoreOptions.timeoutMs}. */
export const DEFAULT_STORE_TIMEOUT_MS = 1000;

// GET and DEL in one script, so that no other client can read the value between them: of concurrent
// consumers exactly one receives it. Lua rather than GETDEL so the store also runs on Redis before 6.2.
const CONSUME_SCRIPT = `local value = redis.call('GET', KEYS[1])
if value then redis.call('DEL', KEYS[1]) end
return value`;
const CONSUME_SHA = createHash('sha1').update(CONSUME_SCRIPT).digest('hex');

/** A client for `url`. `onConnectionError` hears each connection failure, and `undefined` once ready. */
function createOwnedClient(
  url: string,
  timeoutMs: number,
  onConnectionError: (error?: Error) => void,
): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The unparsable text may hold a password, so it is not repeated.
    throw new ConfigurationError('The Redis url is not a valid URL.');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigurationError(
      `The Redis url must start with redis:// or rediss://, got ${parsed.protocol}//.`,
    );
  }
  const client = new Redis(url, {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // A call that failed closed must not run later: no queue of commands waiting for a connection
    // (the store waits for one itself, within its timeout), and no re-sending of commands that were
    // in flight when a connection dropped. Otherwise a login refused during an outage could still
    // burn its nonce or replay record once Redis is back.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
  });
  // Each command reports its own failure as ERR_STORE (naming the last connection error); without a
  // listener, ioredis would print every reconnect failure to the console.
  client.on('error', onConnectionError);
  client.on('ready', () => onConnectionError(undefined));
  return client;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * A {@link KeyValueStore} on Redis, for apps on many instances: a replay record written by one instance
 * (Magic's `replayStore`, Toopher's `replayStore`) is seen by all, so a credential is accepted once in
 * the whole fleet, and a nonce the app issues itself is consumed exactly once by whichever instance
 * receives the login. (Picket's nonces live on Picket's servers and need no store.)
 *
 * Atomic by construction: `setIfAbsent` is one `SET key value PX ttl NX`, and `consume` is one Lua
 * script (GET then DEL, run without interleaving). Each key is `prefix{key}`, so it hashes under
 * Redis Cluster by the whole logical key (see {@link redisKey}). TTLs are rounded up to whole ms, so
 * a replay record never lives shorter than asked.
 *
 * Fails closed: a call that errors, or does not finish within `timeoutMs` (Redis down, slow, or
 * unreachable), rejects with `StoreError` (`ERR_STORE`), never with an answer that could admit a login.
 * Commands are sent only on a ready connection, so a call that failed during an outage never runs
 * later; one that reached a slow Redis may still take effect after its timeout (a nonce burnt, a replay
 * record written), which can only refuse a login, never admit one. Error messages never contain the
 * url's credentials.
 *
 * Errors: `ERR_CONFIG` for bad options (both or neither of `client` and `url`, a bad url, prefix or
 * timeout) and for a TTL that is not a positive number; `ERR_STORE` when Redis fails or is too slow.
 *
 * @example
 * ```ts
 * import { createRedisStore } from '@authbridge/redis';
 *
 * const store = createRedisStore({ url: process.env.REDIS_URL, prefix: 'shop:', timeoutMs: 500 });
 * await store.setIfAbsent('app:nonce:3f9a', '1', 120_000); // true, on every instance at once
 * await store.consume('app:nonce:3f9a'); // '1' for exactly one caller, undefined for the rest
 * await store.close();
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const { client: given, url } = options;
  if ((given === undefined) === (url === undefined)) {
    throw new ConfigurationError('createRedisStore needs exactly one of `client` and `url`.');
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  assertPrefix(prefix);
  const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigurationError(`timeoutMs must be a positive number of ms, got ${timeoutMs}.`);
  }

  let connectionError: Error | undefined;
  const client =
    given ??
    createOwnedClient(url as string, timeoutMs, (error) => {
      connectionError = error;
    });
  const credentials = url === undefined ? [] : [new URL(url).password, new URL(url).username];
  const redactor = createRedactor({
    secretValues: credentials.flatMap((value) => [value, decodeURIComponent(value)]),
  });
  // Names the server in errors, with the credentials stripped.
  const where = url === undefined ? 'Redis' : `Redis at ${redactor.url(url)}`;
  const describe = (error: unknown): string => {
    const message = error instanceof Error ? error.message : String(error);
    const last =
      connectionError && connectionError.message !== message
        ? ` (last connection error: ${connectionError.message})`
        : '';
    return redactor.text(`${message}${last}`);
  };

  // One shared wait per outage, so that calls queued behind a reconnect do not each add a listener.
  let connected: Promise<void> | undefined;
  const whenConnected = (): Promise<void> => {
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end') return Promise.reject(new Error('The store was closed.'));
    if (client.status === 'wait') client.connect().catch(() => {}); // a lazyConnect client the app passed
    connected ??= new Promise<void>((resolve) => {
      client.once('ready', () => {
        connected = undefined;
        resolve();
      });
    });
    return connected;
  };

  /**
   * Runs one store call under the timeout, turning every failure into a redacted `ERR_STORE`. The
   * command is sent only on a ready connection and only before the deadline, so a call that failed
   * for want of a connection never reaches Redis later.
   */
  const attempt = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let expired = false;
    const send = async (): Promise<T> => {
      await whenConnected();
      if (expired) throw new Error('deadline passed before a connection was ready; not sent');
      return call();
    };
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expired = true;
        reject(
          new StoreError(`${where} did not complete ${operation} within ${timeoutMs} ms; failing closed.`, {
            details: connectionError ? describe(connectionError) : undefined,
          }),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([send(), deadline]);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const reason = describe(error);
      throw new StoreError(`${where}: ${operation} failed; failing closed.`, {
        details: reason,
        // The original error is replaced by a redacted copy: its message or stack could hold the url.
        cause: new Error(reason),
      });
    } finally {
      clearTimeout(timer);
    }
  };

  const runConsume = async (redisKeyName: string): Promise<unknown> => {
    try {
      return await client.evalsha(CONSUME_SHA, 1, redisKeyName);
    } catch (error) {
      // Script caches are per node and lost on restart; sending the body loads it again.
      if (isNoScript(error)) return client.eval(CONSUME_SCRIPT, 1, redisKeyName);
      throw error;
    }
  };

  const ttl = (ttlMs: number): number => {
    assertTtl(ttlMs);
    return Math.ceil(ttlMs);
  };

  return {
    async setIfAbsent(key, value, ttlMs) {
      const px = ttl(ttlMs);
      const reply = await attempt('setIfAbsent', () =>
        client.set(redisKey(prefix, key), value, 'PX', px, 'NX'),
      );
      return reply === 'OK';
    },
    async set(key, value, ttlMs) {
      const px = ttl(ttlMs);
      await attempt('set', () => client.set(redisKey(prefix, key), value, 'PX', px));
    },
    async get(key) {
      const value = await attempt('get', () => client.get(redisKey(prefix, key)));
      return value ?? undefined;
    },
    async consume(key) {
      const value = await attempt('consume', () => runConsume(redisKey(prefix, key)));
      if (value === null || value === undefined) return undefined;
      if (typeof value !== 'string') {
        throw new StoreError(`${where} answered consume with a value that is not a string; failing closed.`);
      }
      return value;
    },
    async delete(key) {
      await attempt('delete', () => client.del(redisKey(prefix, key)));
    },
    async close() {
      if (given) return;
      try {
        await attempt('close', () => client.quit());
      } catch {
        // A Redis that is down cannot acknowledge QUIT; drop the socket instead.
        client.disconnect();
      }
    },
  };
}
