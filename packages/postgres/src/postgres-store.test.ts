import { isAuthBridgeError } from '@authbridge/core';
import { runStoreConformance, thrownBy } from '@authbridge/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresStore, createTableSql, ensureTable, type PostgresStore } from './index.js';

const url = inject('postgresUrl');
const pools: pg.Pool[] = [];
function newPool(config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5000, ...config });
  pool.on('error', () => {});
  pools.push(pool);
  return pool;
}

let admin: pg.Pool;
beforeAll(async () => {
  admin = newPool();
  await ensureTable(admin);
  await ensureTable(admin, { table: 'other_kv' });
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

runStoreConformance('postgres (prepared statements)', {
  create: () => createPostgresStore({ pool: newPool() }),
  dispose: (store) => (store as PostgresStore).close(),
});

runStoreConformance('postgres (plain statements, another table)', {
  create: () => createPostgresStore({ pool: newPool(), table: 'other_kv', preparedStatements: false }),
  dispose: (store) => (store as PostgresStore).close(),
});

describe('createPostgresStore against PostgreSQL', () => {
  let store: PostgresStore;
  beforeAll(() => {
    store = createPostgresStore({ pool: admin, sweep: false });
  });
  afterAll(() => store.close());

  const expiresInMs = async (key: string): Promise<number> => {
    const { rows } = await admin.query(
      'SELECT extract(epoch FROM expires_at - now()) * 1000 AS ms FROM authbridge_kv WHERE key = $1',
      [key],
    );
    return Number(rows[0].ms);
  };

  it('writes one row per key with its expiry on the database clock, the TTL rounded up to whole ms', async () => {
    const key = `app:nonce:${Date.now()}`;
    await store.set(key, 'n', 60_000.2);
    const ms = await expiresInMs(key);
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_001);
    const { rows } = await admin.query('SELECT value FROM authbridge_kv WHERE key = $1', [key]);
    expect(rows).toEqual([{ value: 'n' }]);
  });

  it('takes over an expired row with setIfAbsent, and consume returns nothing for an expired row', async () => {
    const key = `expired:${Date.now()}`;
    await store.set(key, 'old', 60_000);
    await admin.query(`UPDATE authbridge_kv SET expires_at = now() - interval '1 second' WHERE key = $1`, [
      key,
    ]);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.setIfAbsent(key, 'new', 60_000)).toBe(true);
    expect(await store.get(key)).toBe('new');
    await admin.query(`UPDATE authbridge_kv SET expires_at = now() - interval '1 second' WHERE key = $1`, [
      key,
    ]);
    expect(await store.consume(key)).toBeUndefined();
    // consume deleted the expired row as well.
    expect((await admin.query('SELECT 1 FROM authbridge_kv WHERE key = $1', [key])).rowCount).toBe(0);
  });

  it('keeps keys apart that PostgreSQL text would merge (NUL, lone surrogates, escapes), and returns them unchanged', async () => {
    const base = `odd:${Date.now()}:`;
    const keys = [
      `${base}\u0000`,
      `${base}\uD800`,
      `${base}\uDC00`,
      `${base}\uFFFD`,
      `${base}%0000`,
      `${base}%`,
    ];
    expect(await Promise.all(keys.map((key) => store.setIfAbsent(key, key, 10_000)))).toEqual(
      keys.map(() => true),
    );
    expect(await Promise.all(keys.map((key) => store.consume(key)))).toEqual(keys);
  });

  it('refuses a key too long for the index with ERR_STORE, and stores nothing', async () => {
    // Random text, so that PostgreSQL cannot compress the index entry below its limit.
    const key = Array.from({ length: 400 }, () => Math.random().toString(36).slice(2, 12)).join('');
    expect(key.length).toBeGreaterThan(3000);
    const error = await store.setIfAbsent(key, 'v', 10_000).catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
    expect((error as Error).message).not.toContain(key.slice(0, 20));
    expect(await store.get(key)).toBeUndefined();
  });

  it('keeps two tables on one pool apart', async () => {
    const other = createPostgresStore({ pool: admin, table: 'other_kv', sweep: false });
    const key = `shared:${Date.now()}`;
    expect(await store.setIfAbsent(key, 'a', 10_000)).toBe(true);
    expect(await other.setIfAbsent(key, 'b', 10_000)).toBe(true);
    expect(await store.consume(key)).toBe('a');
    expect(await other.get(key)).toBe('b');
  });

  it('creates the table idempotently, from many connections at once', async () => {
    const table = `race_${Date.now()}`;
    const pool = newPool({ max: 8 });
    await Promise.all(Array.from({ length: 8 }, () => ensureTable(pool, { table })));
    const { rows } = await admin.query(
      'SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname',
      [table],
    );
    expect(rows.map((row) => row.indexname)).toEqual([`${table}_expires_at`, `${table}_pkey`]);
  });

  it('creates an UNLOGGED table when asked', async () => {
    const table = `unlogged_${Date.now()}`;
    await ensureTable(admin, { table, unlogged: true });
    const { rows } = await admin.query('SELECT relpersistence FROM pg_class WHERE relname = $1', [table]);
    expect(rows).toEqual([{ relpersistence: 'u' }]);
    expect(createTableSql({ table })).not.toContain('UNLOGGED');
  });

  it('reports a table it may not use as ERR_STORE', async () => {
    const missing = createPostgresStore({ pool: admin, table: 'no_such_table', sweep: false });
    const error = await missing.get('k').catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_STORE')).toBe(true);
    expect((error as { details?: string }).details).toContain('42P01');
  });
});

describe('the sweep', () => {
  const table = `sweep_${Date.now()}`;
  let store: PostgresStore;
  beforeAll(async () => {
    await ensureTable(admin, { table });
    store = createPostgresStore({ pool: newPool({ max: 4 }), table, sweep: false });
  });
  afterAll(() => store.close());

  const expire = (keys: string[]) =>
    admin.query(`UPDATE ${table} SET expires_at = now() - interval '1 second' WHERE key = ANY($1)`, [keys]);
  const count = async () => Number((await admin.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  it('deletes expired rows in batches and leaves live ones', async () => {
    const dead = Array.from({ length: 25 }, (_, i) => `dead:${i}`);
    await Promise.all([...dead, 'live:1', 'live:2'].map((key) => store.set(key, '1', 60_000)));
    await expire(dead);
    expect(await store.sweep({ batchSize: 10 })).toBe(25);
    expect(await count()).toBe(2);
    expect(await store.get('live:1')).toBe('1');
  });

  it('stops after maxBatches', async () => {
    const dead = Array.from({ length: 12 }, (_, i) => `capped:${i}`);
    await Promise.all(dead.map((key) => store.set(key, '1', 60_000)));
    await expire(dead);
    expect(await store.sweep({ batchSize: 5, maxBatches: 2 })).toBe(10);
    expect(await store.sweep({ batchSize: 5 })).toBe(2);
  });

  it('skips rows another transaction holds instead of waiting, and logins go on while a sweep holds rows', async () => {
    const dead = ['held:1', 'held:2', 'free:1'];
    await Promise.all(dead.map((key) => store.set(key, '1', 60_000)));
    await expire(dead);
    const holder = await admin.connect();
    try {
      // Another transaction (a login taking over an expired key, or a second sweep) holds two rows.
      await holder.query('BEGIN');
      await holder.query(`SELECT key FROM ${table} WHERE key IN ('held:1', 'held:2') FOR UPDATE`);
      const started = performance.now();
      expect(await store.sweep()).toBe(1);
      // Well under the store timeout: a sweep that waited for the lock would have failed with ERR_STORE.
      expect(performance.now() - started).toBeLessThan(1000);
      // A sweep holding locks of its own does not hold up logins on live keys.
      await holder.query(
        `SELECT key FROM ${table} WHERE expires_at <= now() ORDER BY expires_at LIMIT 10 FOR UPDATE SKIP LOCKED`,
      );
      expect(await store.setIfAbsent('login:1', 'n', 60_000)).toBe(true);
      expect(await store.consume('login:1')).toBe('n');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await store.sweep()).toBe(2);
  });

  it('runs in the background on its interval, and close stops it', async () => {
    const errors: unknown[] = [];
    const background = createPostgresStore({
      pool: newPool({ max: 2 }),
      table,
      sweep: { intervalMs: 50, onError: (error) => errors.push(error) },
    });
    await background.set('bg:1', '1', 60_000);
    await expire(['bg:1']);
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      (await admin.query(`SELECT 1 FROM ${table} WHERE key = 'bg:1'`)).rowCount
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await admin.query(`SELECT 1 FROM ${table} WHERE key = 'bg:1'`)).rowCount).toBe(0);
    await background.close();
    await store.set('bg:2', '1', 60_000);
    await expire(['bg:2']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await admin.query(`SELECT 1 FROM ${table} WHERE key = 'bg:2'`)).rowCount).toBe(1);
    expect(errors).toEqual([]);
  });

  it('reports a failing background sweep to onError as ERR_STORE', async () => {
    const errors: unknown[] = [];
    const broken = createPostgresStore({
      pool: admin,
      table: 'no_such_sweep_table',
      sweep: { intervalMs: 20, onError: (error) => errors.push(error) },
    });
    const deadline = Date.now() + 10_000;
    while (errors.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await broken.close();
    expect(isAuthBridgeError(errors[0], 'ERR_STORE')).toBe(true);
  });
});

describe('createPostgresStore options', () => {
  it('needs a pool', () => {
    for (const options of [{}, { pool: {} }, undefined]) {
      const error = thrownBy(() => createPostgresStore(options as never));
      expect(isAuthBridgeError(error, 'ERR_CONFIG'), JSON.stringify(options)).toBe(true);
    }
  });

  it('refuses a table name that would need quoting or could inject SQL', () => {
    for (const table of ['', 'Kv', 'kv; DROP TABLE users', 'a.b.c', 'kv"', `k${'v'.repeat(63)}`, '1kv']) {
      const error = thrownBy(() => createPostgresStore({ pool: admin, table }));
      expect(isAuthBridgeError(error, 'ERR_CONFIG'), table).toBe(true);
      expect(
        isAuthBridgeError(
          thrownBy(() => createTableSql({ table })),
          'ERR_CONFIG',
        ),
        table,
      ).toBe(true);
    }
    expect(createTableSql({ table: 'auth.kv' })).toContain('"auth"."kv"');
  });

  it('refuses a timeout or sweep setting that is not positive', () => {
    const bad = [
      { timeoutMs: 0 },
      { timeoutMs: Number.NaN },
      { sweep: { intervalMs: -1 } },
      { sweep: { batchSize: 0 } },
      { sweep: { batchSize: 2.5 } },
    ];
    for (const extra of bad) {
      const error = thrownBy(() => createPostgresStore({ pool: admin, ...extra }));
      expect(isAuthBridgeError(error, 'ERR_CONFIG'), JSON.stringify(extra)).toBe(true);
    }
  });

  it('takes a pg Pool as it is', () => {
    // Type-level as much as run-time: pg's Pool satisfies the store's pool interface unchanged.
    const store = createPostgresStore({ pool: new pg.Pool({ connectionString: url }), sweep: false });
    expect(typeof store.consume).toBe('function');
  });
});
