import { assertTtl, ConfigurationError, type KeyValueStore, StoreError } from '@authbridge/core';
import {
  describeDriverError,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from './pool.js';
import { fromStoredText, toStoredText } from './stored-text.js';
import { DEFAULT_TABLE, quoteTable } from './table.js';

/** When and how the store deletes expired rows. */
export interface PostgresSweepOptions {
  /** How often the background sweep runs, in ms. Default 60000. */
  intervalMs?: number;
  /** Rows deleted per statement (each its own short transaction). Default 1000. */
  batchSize?: number;
  /** Hears a background sweep that failed (the next one tries again). Default: ignored. */
  onError?: (error: StoreError) => void;
}

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /** A pool the app owns (a `pg` `Pool`). The store never ends it. */
  pool: PostgresPool;
  /** The table, `name` or `schema.name`, created with {@link createTableSql}. Default `'authbridge_kv'`. */
  table?: string;
  /** How long one store call may take, waiting for a connection included, before `ERR_STORE`, in ms. Default 1000. */
  timeoutMs?: number;
  /** The background sweep of expired rows, or `false` to run {@link PostgresStore.sweep} yourself. */
  sweep?: PostgresSweepOptions | false;
  /**
   * Send the store's statements as named prepared statements (parsed once per connection). Turn off
   * behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21). Default true.
   */
  preparedStatements?: boolean;
}

/** A {@link KeyValueStore} on PostgreSQL. */
export interface PostgresStore extends KeyValueStore {
  /**
   * Deletes expired rows, `batchSize` at a time, skipping rows another transaction holds, until a
   * batch comes back short or `maxBatches` ran. Resolves to the number deleted.
   */
  sweep(options?: { batchSize?: number; maxBatches?: number }): Promise<number>;
  /** Stops the background sweep. The pool is the app's and stays open. */
  close(): Promise<void>;
}

/** The default of {@link PostgresStoreOptions.timeoutMs}. */
export const DEFAULT_POSTGRES_TIMEOUT_MS = 1000;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
const DEFAULT_SWEEP_BATCH = 1000;
const DEFAULT_SWEEP_MAX_BATCHES = 100;

/** A short, stable tag of the table name, so that stores on different tables name their statements apart. */
function tag(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

function statements(table: string) {
  const t = quoteTable(table);
  const expiry = `now() + $3::float8 * interval '1 millisecond'`;
  return {
    // Of concurrent calls for one key, one inserts; the others wait for its row lock, then find the row
    // live, so ON CONFLICT updates nothing and they return no row. An expired row is taken over.
    setIfAbsent: `INSERT INTO ${t} AS t (key, value, expires_at) VALUES ($1, $2, ${expiry})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
      WHERE t.expires_at <= now()`,
    set: `INSERT INTO ${t} AS t (key, value, expires_at) VALUES ($1, $2, ${expiry})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    get: `SELECT value FROM ${t} WHERE key = $1 AND expires_at > now()`,
    // One DELETE: concurrent consumers queue on the row lock, and only the first finds a row to delete.
    consume: `DELETE FROM ${t} WHERE key = $1 RETURNING value, expires_at > now() AS live`,
    delete: `DELETE FROM ${t} WHERE key = $1`,
    // SKIP LOCKED: rows a login holds are left for the next sweep, so the sweep never waits on a login,
    // and each batch is one short transaction, so a login waits on the sweep (for an expired row only)
    // no longer than one batch.
    sweep: `DELETE FROM ${t} WHERE key IN (
        SELECT key FROM ${t} WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
      ) AND expires_at <= now()`,
  };
}
type Operation = keyof ReturnType<typeof statements>;

function positive(name: string, value: number, integer = false): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new ConfigurationError(
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * A {@link KeyValueStore} on PostgreSQL, for apps that have a database and no Redis: a replay record
 * written by one instance (Magic's or Toopher's `replayStore`) is seen by all, and a nonce the app issues
 * is consumed exactly once by whichever instance receives the login.
 *
 * Atomic by construction: `setIfAbsent` is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE expired`
 * and `consume` one `DELETE ... RETURNING`, each a single statement, so PostgreSQL's row locks decide
 * the one winner among any number of processes. Expiry uses the database clock (`now()`), so instances
 * whose clocks disagree still agree on what is live; TTLs are rounded up to whole ms. Expired rows are
 * never returned, and a background sweep deletes them in small batches with `FOR UPDATE SKIP LOCKED`
 * (see {@link PostgresSweepOptions}); its timer never keeps the process alive.
 *
 * Fails closed: a call that errors, or does not finish within `timeoutMs` (the database down, slow,
 * unreachable, or the pool exhausted), rejects with `StoreError` (`ERR_STORE`), never with an answer
 * that could admit a login. A statement is sent only if a connection was ready before the deadline; a
 * connection whose statement timed out is closed, not returned to the pool. A statement that reached a
 * slow server may still take effect after its timeout (a nonce burnt, a replay record written), which
 * can only refuse a login, never admit one.
 *
 * Errors: `ERR_CONFIG` for bad options (no pool, a bad table name, timeout or sweep option) and for a
 * TTL that is not a positive number; `ERR_STORE` when PostgreSQL fails or is too slow.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresStore, createTableSql } from '@authbridge/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 1000 });
 * pool.on('error', () => {}); // an idle connection that dies is replaced; store calls report their own errors
 * await pool.query(createTableSql()); // or run the same SQL in a migration
 * const store = createPostgresStore({ pool, timeoutMs: 500 });
 * await store.setIfAbsent('app:nonce:3f9a', '1', 120_000); // true, on every instance at once
 * await store.consume('app:nonce:3f9a'); // '1' for exactly one caller, undefined for the rest
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const pool = options?.pool;
  if (typeof pool?.connect !== 'function') {
    throw new ConfigurationError('createPostgresStore needs `pool`: a pg Pool (or anything with connect()).');
  }
  const table = options.table ?? DEFAULT_TABLE;
  const sql = statements(table);
  const timeoutMs = positive('timeoutMs', options.timeoutMs ?? DEFAULT_POSTGRES_TIMEOUT_MS);
  const sweepOptions = options.sweep === false ? undefined : (options.sweep ?? {});
  const sweepBatch = positive('sweep.batchSize', sweepOptions?.batchSize ?? DEFAULT_SWEEP_BATCH, true);
  const sweepInterval = positive('sweep.intervalMs', sweepOptions?.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  const prepared = options.preparedStatements ?? true;
  const statementTag = tag(table);

  /**
   * Runs one statement under the timeout, turning every failure into `ERR_STORE`. The statement is sent
   * only on a connection obtained before the deadline; at the deadline, a connection still busy with it
   * is closed, so a statement hung on a dead server cannot hold a pool slot.
   */
  const run = async (operation: Operation, values: unknown[]): Promise<PostgresQueryResult> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let expired = false;
    let busy: PostgresPoolClient | undefined;
    const release = (client: PostgresPoolClient, error?: Error) => {
      if (busy !== client) return;
      busy = undefined;
      client.release(error ?? false);
    };
    const send = async (): Promise<PostgresQueryResult> => {
      const client = await pool.connect();
      if (expired) {
        client.release();
        throw new Error('deadline passed before a connection was ready; not sent');
      }
      busy = client;
      try {
        const result = await client.query({
          ...(prepared ? { name: `authbridge_${operation}_${statementTag}` } : {}),
          text: sql[operation],
          values,
        });
        release(client);
        return result;
      } catch (error) {
        // A connection that failed mid-statement is not trusted again.
        release(client, error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    };
    const work = send();
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expired = true;
        if (busy) release(busy, new Error(`store timeout after ${timeoutMs} ms`));
        reject(
          new StoreError(`PostgreSQL did not complete ${operation} within ${timeoutMs} ms; failing closed.`),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const reason = describeDriverError(error);
      throw new StoreError(`PostgreSQL: ${operation} failed; failing closed.`, {
        details: reason,
        // A copy with the message only: driver errors can carry the statement's parameters.
        cause: new Error(reason),
      });
    } finally {
      clearTimeout(timer);
      // Settles after the race was lost: its outcome was already reported.
      work.catch(() => {});
    }
  };

  const ttl = (ttlMs: number): number => {
    assertTtl(ttlMs);
    return Math.ceil(ttlMs);
  };

  const sweep: PostgresStore['sweep'] = async ({ batchSize = sweepBatch, maxBatches } = {}) => {
    positive('batchSize', batchSize, true);
    const limit = positive('maxBatches', maxBatches ?? DEFAULT_SWEEP_MAX_BATCHES, true);
    let deleted = 0;
    for (let batch = 0; batch < limit; batch++) {
      const { rowCount } = await run('sweep', [batchSize]);
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) break;
    }
    return deleted;
  };

  let sweeping = false;
  const timer =
    sweepOptions &&
    setInterval(() => {
      // One sweep at a time: a slow one is not joined by the next tick.
      if (sweeping) return;
      sweeping = true;
      sweep()
        .catch((error: StoreError) => sweepOptions.onError?.(error))
        .finally(() => {
          sweeping = false;
        });
    }, sweepInterval);
  // Node's timers have unref (an interval must not keep the process alive); other runtimes' need not.
  (timer as { unref?: () => void } | undefined)?.unref?.();

  return {
    async setIfAbsent(key, value, ttlMs) {
      const px = ttl(ttlMs);
      const { rowCount } = await run('setIfAbsent', [toStoredText(key), toStoredText(value), px]);
      return rowCount === 1;
    },
    async set(key, value, ttlMs) {
      const px = ttl(ttlMs);
      await run('set', [toStoredText(key), toStoredText(value), px]);
    },
    async get(key) {
      const { rows } = await run('get', [toStoredText(key)]);
      return rows[0] === undefined ? undefined : readValue(rows[0].value, 'get');
    },
    async consume(key) {
      const { rows } = await run('consume', [toStoredText(key)]);
      const row = rows[0];
      return row === undefined || row.live !== true ? undefined : readValue(row.value, 'consume');
    },
    async delete(key) {
      await run('delete', [toStoredText(key)]);
    },
    sweep,
    async close() {
      if (timer) clearInterval(timer);
    },
  };
}

function readValue(value: unknown, operation: string): string {
  if (typeof value !== 'string') {
    throw new StoreError(`PostgreSQL answered ${operation} with a value that is not text; failing closed.`);
  }
  return fromStoredText(value);
}
