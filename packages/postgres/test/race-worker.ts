// One contender of the multi-process race test (runStoreRace of @authbridge/test-utils): one app
// instance with its own pool, whose Magic provider keeps its replay records in PostgreSQL.
import { magic } from '@authbridge/magic';
import { serveRaceWorker } from '@authbridge/test-utils';
import pg from 'pg';
import { createPostgresStore } from '../src/index.js';

const url = process.env.RACE_POSTGRES_URL;
if (!url) {
  console.error('race-worker needs RACE_POSTGRES_URL.');
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 2000 });
pool.on('error', () => {});
const store = createPostgresStore({ pool, table: 'race_kv', timeoutMs: 2000 });
await serveRaceWorker({
  store,
  close: async () => {
    await store.close();
    await pool.end();
  },
  magic: (keys) => magic({ ...keys, replayStore: store }),
});
