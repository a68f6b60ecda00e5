import { ConfigurationError, StoreError } from '@authbridge/core';
import { describeDriverError, type PostgresPool } from './pool.js';

/** The table the store uses unless the app names another. */
export const DEFAULT_TABLE = 'authbridge_kv';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The quoted SQL name of `table`: `name` or `schema.name`, each part lower-case letters, digits and
 * `_` (a PostgreSQL identifier that needs no quoting, at most 63 characters). Anything else is refused,
 * because the name is written into SQL text (identifiers cannot be query parameters).
 *
 * Errors: `ERR_CONFIG` for any other name.
 *
 * @example
 * ```ts
 * quoteTable('auth.kv'); // '"auth"."kv"'
 * ```
 */
export function quoteTable(table: string): string {
  const parts = typeof table === 'string' ? table.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new ConfigurationError(
      'A PostgreSQL store table must be `name` or `schema.name` of lower-case letters, digits and _ (at most 63 each).',
      { details: typeof table === 'string' ? `got ${JSON.stringify(table.slice(0, 100))}` : undefined },
    );
  }
  return parts.map((part) => `"${part}"`).join('.');
}

/** Options of {@link createTableSql}. */
export interface CreateTableOptions {
  /** The table, `name` or `schema.name`. Default `'authbridge_kv'`. */
  table?: string;
  /**
   * Create an `UNLOGGED` table: faster writes, but PostgreSQL empties it after a crash, and an emptied
   * replay store would accept a DID token or Toopher request once more. Default false.
   */
  unlogged?: boolean;
}

/**
 * The SQL that creates the store's table and its expiry index, idempotently (`IF NOT EXISTS`). Run it
 * in a migration, or once at start-up with {@link ensureTable}:
 *
 * ```sql
 * CREATE TABLE IF NOT EXISTS "authbridge_kv" (
 *   key text PRIMARY KEY,
 *   value text NOT NULL,
 *   expires_at timestamptz NOT NULL
 * );
 * CREATE INDEX IF NOT EXISTS "authbridge_kv_expires_at" ON "authbridge_kv" (expires_at);
 * ```
 *
 * Errors: `ERR_CONFIG` for a bad table name.
 *
 * @example
 * ```ts
 * import { createTableSql } from '@authbridge/postgres';
 * await pool.query(createTableSql({ table: 'auth.kv' }));
 * ```
 */
export function createTableSql(options: CreateTableOptions = {}): string {
  const table = options.table ?? DEFAULT_TABLE;
  const quoted = quoteTable(table);
  const parts = table.split('.');
  const index = `"${`${parts.at(-1)}_expires_at`.slice(0, 63)}"`;
  return [
    `CREATE ${options.unlogged ? 'UNLOGGED ' : ''}TABLE IF NOT EXISTS ${quoted} (`,
    '  key text PRIMARY KEY,',
    '  value text NOT NULL,',
    '  expires_at timestamptz NOT NULL',
    ');',
    `CREATE INDEX IF NOT EXISTS ${index} ON ${quoted} (expires_at);`,
  ].join('\n');
}

// Two processes creating the same table at once can collide in the catalogue (a unique violation on
// pg_type, or "already exists") even with IF NOT EXISTS; the loser's retry then finds the table.
const CREATE_RACE_CODES = new Set(['23505', '42P07']);

/**
 * Creates the store's table and index if they do not exist ({@link createTableSql}), for apps that
 * create their schema at start-up rather than in migrations. Safe to call from many processes at once.
 *
 * Errors: `ERR_CONFIG` for a bad table name; `ERR_STORE` when PostgreSQL refuses (no right to create
 * the table, unreachable).
 *
 * @example
 * ```ts
 * import { createPostgresStore, ensureTable } from '@authbridge/postgres';
 * await ensureTable(pool);
 * const store = createPostgresStore({ pool });
 * ```
 */
export async function ensureTable(pool: PostgresPool, options: CreateTableOptions = {}): Promise<void> {
  const text = createTableSql(options);
  for (let attempt = 1; ; attempt++) {
    let client: Awaited<ReturnType<PostgresPool['connect']>> | undefined;
    try {
      client = await pool.connect();
      await client.query({ text });
      client.release();
      return;
    } catch (error) {
      client?.release(error instanceof Error ? error : true);
      const code = (error as { code?: unknown }).code;
      if (attempt < 3 && typeof code === 'string' && CREATE_RACE_CODES.has(code)) continue;
      const reason = describeDriverError(error);
      throw new StoreError('PostgreSQL: creating the store table failed.', {
        details: reason,
        cause: new Error(reason),
      });
    }
  }
}
