import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../../../scripts/redis/redis-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the throwaway redis-server this run started. */
    redisUrl: string;
  }
}

/** Starts one throwaway redis-server for the whole run (the cross-process nonce race needs it). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return server.stop;
}
