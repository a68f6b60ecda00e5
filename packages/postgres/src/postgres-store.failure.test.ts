import { isAuthBridgeError, type KeyValueStore } from '@authbridge/core';
import {
  expectStoreFailsClosed,
  type SilentServer,
  startSilentServer,
  timedRejection,
} from '@authbridge/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresServerHandle,
  startPostgresServer,
} from '../../../scripts/postgres/postgres-server.mjs';
import { freePort } from '../../../scripts/redis/redis-server.mjs';
import { createPostgresStore, ensureTable, type PostgresStore } from './index.js';

const PASSWORD = 'correct-horse-battery-staple-5d1e';
// Long enough for a connect and a statement on a loaded machine, short enough to wait out in a test.
const TIMEOUT_MS = 600;
// How much later than its timeout a call may settle: timer and event-loop slack on a busy machine.
const SLACK_MS = 1500;

const pools: pg.Pool[] = [];
function poolFor(connectionString: string, config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, ...config });
  // Idle connections that die (the server stopped) are reported here; store calls report their own.
  pool.on('error', () => {});
  pools.push(pool);
  return pool;
}
afterAll(async () => {
  // A pool whose connect never finished (the silent server) cannot end cleanly; do not wait for it.
  await Promise.race([
    Promise.allSettled(pools.map((pool) => pool.end())),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ]);
});

const failsClosed = (store: KeyValueStore, secrets: string[] = []) =>
  expectStoreFailsClosed(store, { timeoutMs: TIMEOUT_MS, slackMs: SLACK_MS, secrets });

describe('PostgreSQL down: nothing listening', () => {
  it('fails every call closed with ERR_STORE, without the password in the error', async () => {
    const port = await freePort();
    const pool = poolFor(`postgres://authbridge:${PASSWORD}@127.0.0.1:${port}/postgres`);
    const store = createPostgresStore({ pool, timeoutMs: TIMEOUT_MS, sweep: false });
    await failsClosed(store, [PASSWORD]);
  });
});

describe('PostgreSQL silent: a server that accepts and never answers', () => {
  let silent: SilentServer;
  let port: number;

  beforeAll(async () => {
    silent = await startSilentServer();
    port = silent.port;
  });

  afterAll(() => silent.close());

  it('fails every call closed at the store timeout, even with a pool that would wait forever', async () => {
    // connectionTimeoutMillis 0 is pg's default: wait for a connection without end.
    const pool = poolFor(`postgres://authbridge:${PASSWORD}@127.0.0.1:${port}/postgres`, {
      connectionTimeoutMillis: 0,
    });
    const store = createPostgresStore({ pool, timeoutMs: TIMEOUT_MS, sweep: false });
    await failsClosed(store, [PASSWORD]);
    const { error, elapsedMs } = await timedRejection(() => store.consume('app:nonce:n2'));
    expect((error as Error).message).toContain(`within ${TIMEOUT_MS} ms`);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
  });
});

describe('PostgreSQL that stops, is busy, or refuses the password', () => {
  // The first server owns the data directory; a restarted one reuses it.
  let first: PostgresServerHandle;
  let server: PostgresServerHandle;
  let pool: pg.Pool;
  let store: PostgresStore;

  beforeAll(async () => {
    first = await startPostgresServer({ password: PASSWORD });
    server = first;
    pool = poolFor(server.url, { connectionTimeoutMillis: TIMEOUT_MS });
    await ensureTable(pool);
    store = createPostgresStore({ pool, timeoutMs: TIMEOUT_MS, sweep: false });
  });

  afterAll(async () => {
    await store.close();
    await server.stop();
    await first.destroy();
  });

  it('works with the password in the url', async () => {
    expect(server.url).toContain(PASSWORD);
    expect(await store.setIfAbsent('app:nonce:ok', '1', 60_000)).toBe(true);
    expect(await store.consume('app:nonce:ok')).toBe('1');
  });

  it('fails closed while a row is locked, closes the connection that timed out, and the consume still burns the nonce', async () => {
    const single = poolFor(server.url, { max: 1 });
    const shared = createPostgresStore({ pool: single, timeoutMs: TIMEOUT_MS, sweep: false });
    await shared.set('app:nonce:busy', '1', 60_000);
    const holder = await pool.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM authbridge_kv WHERE key = 'app:nonce:busy' FOR UPDATE`);
    try {
      const { error } = await timedRejection(() => shared.consume('app:nonce:busy'));
      expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
      expect((error as Error).message).toContain(`within ${TIMEOUT_MS} ms`);
      // The pool's one slot was not kept by the statement still waiting on the server.
      expect(await shared.get('app:nonce:other')).toBeUndefined();
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    // The server ran the consume once the lock was free: the login that timed out cannot be completed
    // later either.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await store.get('app:nonce:busy')) !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await store.get('app:nonce:busy')).toBeUndefined();
  });

  it('fails closed while the pool has no free connection, and gives back the one it got too late', async () => {
    const single = poolFor(server.url, { max: 1 });
    const shared = createPostgresStore({ pool: single, timeoutMs: TIMEOUT_MS, sweep: false });
    const held = await single.connect();
    try {
      await failsClosed(shared);
    } finally {
      held.release();
    }
    expect(await shared.setIfAbsent('app:nonce:after-exhaustion', '1', 60_000)).toBe(true);
    // The calls queued during the exhaustion got their connection after their deadline and sent nothing.
    expect(await shared.get('app:nonce:n1')).toBeUndefined();
    expect(single.waitingCount).toBe(0);
    expect(single.idleCount).toBe(1);
  });

  it('fails closed with a wrong password, without either password in the error', async () => {
    const wrong = 'wrong-password-91c2e7d4';
    const bad = createPostgresStore({
      pool: poolFor(`postgres://authbridge:${wrong}@127.0.0.1:${server.port}/postgres`),
      timeoutMs: TIMEOUT_MS,
      sweep: false,
    });
    await failsClosed(bad, [wrong, PASSWORD]);
  });

  it('fails closed once PostgreSQL has stopped, without the password in the error, and recovers when it is back', async () => {
    await server.stop();
    await failsClosed(store, [PASSWORD]);
    server = await startPostgresServer({ password: PASSWORD, port: server.port, dataDir: server.dataDir });
    // The pool replaces the connections that died; until then calls keep failing closed.
    const deadline = Date.now() + 10_000;
    let back = false;
    while (!back && Date.now() < deadline) {
      back = await store.setIfAbsent('app:nonce:after-restart', '1', 60_000).then(
        (stored) => {
          expect(stored).toBe(true);
          return true;
        },
        (error: unknown) => {
          expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
          return false;
        },
      );
    }
    expect(back).toBe(true);
    expect(await store.consume('app:nonce:after-restart')).toBe('1');
    // Nothing that failed closed while the server was down ran once it was back.
    expect(await store.get('app:nonce:n1')).toBeUndefined();
  });
});
