import type { TestProject } from 'vitest/node';
import { startPostgresServer } from '../../../scripts/postgres/postgres-server.mjs';
import { startRedisServer } from '../../../scripts/redis/redis-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the throwaway PostgreSQL server this run started (with its password). */
    postgresUrl: string;
    /** The URL of a throwaway redis-server, started for benchmarks only (empty in test runs). */
    redisUrl: string;
  }
}

/**
 * Starts one throwaway PostgreSQL server for the whole run, and for benchmarks a redis-server beside it
 * (the benchmark compares the two stores); stops both and deletes their data when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = await startPostgresServer();
  const redis = project.vitest.mode === 'benchmark' ? await startRedisServer() : undefined;
  project.provide('postgresUrl', postgres.url);
  project.provide('redisUrl', redis?.url ?? '');
  return async () => {
    await Promise.all([postgres.destroy(), redis?.stop()]);
  };
}
