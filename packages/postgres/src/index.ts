export type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from './pool.js';
export {
  createPostgresStore,
  DEFAULT_POSTGRES_TIMEOUT_MS,
  type PostgresStore,
  type PostgresStoreOptions,
  type PostgresSweepOptions,
} from './postgres-store.js';
export { type CreateTableOptions, createTableSql, DEFAULT_TABLE, ensureTable } from './table.js';
