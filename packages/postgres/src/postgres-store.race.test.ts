import { join } from 'node:path';
import { replayKey } from '@authbridge/magic';
import { runStoreRace } from '@authbridge/test-utils';
import pg from 'pg';
import { beforeAll, inject } from 'vitest';
import { createPostgresStore, ensureTable, type PostgresStore } from './index.js';

const url = inject('postgresUrl');
const pool = new pg.Pool({ connectionString: url });
pool.on('error', () => {});

beforeAll(() => ensureTable(pool, { table: 'race_kv' }));

runStoreRace('PostgreSQL', {
  worker: join(import.meta.dirname, '../test/race-worker.ts'),
  env: { RACE_POSTGRES_URL: url },
  createStore: () => createPostgresStore({ pool, table: 'race_kv' }),
  disposeStore: async (store) => {
    await (store as PostgresStore).close();
    await pool.end();
  },
  replayKey: (claim) => replayKey(claim as Parameters<typeof replayKey>[0]),
});
