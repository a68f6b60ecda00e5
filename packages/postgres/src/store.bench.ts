import type { KeyValueStore } from '@authbridge/core';
import { createRedisStore } from '@authbridge/redis';
import { writeAndConsume } from '@authbridge/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, bench, describe, inject } from 'vitest';
import { createPostgresStore, ensureTable } from './index.js';

// The store's share of one login, and only that, on both shared stores in one run: write a one-time
// record and consume it (setIfAbsent at the challenge, consume at the login), two round trips. Both
// talk to throwaway servers on loopback started by the global setup: PostgreSQL (fsync off, as the
// Redis has no persistence) through a pg Pool of 10 connections, Redis through ioredis's one
// connection. Each bench also times its own calls, so that the ratio of the two stores' mean times
// per write-and-consume is printed at the end as `RATIO` lines, beside its target.
const pool = new pg.Pool({ connectionString: inject('postgresUrl'), max: 10 });
pool.on('error', () => {});
const postgres = createPostgresStore({ pool, table: 'bench_kv' });
const redis = createRedisStore({ url: inject('redisUrl'), prefix: 'bench:' });
const options = { time: 3000, warmupTime: 500 };
const CONCURRENT = 64;
/**
 * The target: PostgreSQL's write-and-consume at most 5 times Redis's, so that on loopback (Redis about
 * 0.1 ms) it stays well under the 2.3 ms of a pure-JS Magic login (docs/scaling.md).
 */
const TARGET_MAX_RATIO = 5;

/** Total time and count of timed write-and-consume pairs, per store and mode. */
const timings = new Map<string, { ms: number; pairs: number }>();
function record(name: string, ms: number, pairs: number): void {
  const entry = timings.get(name) ?? { ms: 0, pairs: 0 };
  entry.ms += ms;
  entry.pairs += pairs;
  timings.set(name, entry);
}

beforeAll(() => ensureTable(pool, { table: 'bench_kv' }));

afterAll(async () => {
  for (const mode of ['sequential', `concurrent${CONCURRENT}`]) {
    const pg = timings.get(`postgres.${mode}`);
    const rd = timings.get(`redis.${mode}`);
    if (!pg || !rd) continue;
    const ratio = pg.ms / pg.pairs / (rd.ms / rd.pairs);
    console.log(
      `RATIO name=postgres_over_redis.${mode} value=${ratio.toFixed(2)} target<=${TARGET_MAX_RATIO} ` +
        `(${ratio <= TARGET_MAX_RATIO ? 'met' : 'MISSED'}; mean per pair ${(pg.ms / pg.pairs).toFixed(3)} ms vs ${(rd.ms / rd.pairs).toFixed(3)} ms)`,
    );
  }
  await Promise.all([postgres.close(), redis.close()]);
  await pool.end();
});

/** `validations` write-and-consume pairs in flight at once on `store`, timed under `name`. */
async function timed(name: string, store: KeyValueStore, validations: number): Promise<void> {
  const started = performance.now();
  await Promise.all(Array.from({ length: validations }, () => writeAndConsume(store)));
  record(name, performance.now() - started, validations);
}

describe('one write-and-consume at a time (setIfAbsent + consume)', () => {
  bench('postgres store (loopback, pool of 10)', () => timed('postgres.sequential', postgres, 1), options);
  bench('redis store (loopback, one connection)', () => timed('redis.sequential', redis, 1), options);
});

describe(`${CONCURRENT} write-and-consume pairs in flight (one op = ${CONCURRENT} pairs)`, () => {
  bench(
    'postgres store (loopback, pool of 10)',
    () => timed(`postgres.concurrent${CONCURRENT}`, postgres, CONCURRENT),
    options,
  );
  bench(
    'redis store (loopback, one connection)',
    () => timed(`redis.concurrent${CONCURRENT}`, redis, CONCURRENT),
    options,
  );
});
