import { join } from 'node:path';
import { replayKey } from '@authbridge/magic';
import { runStoreRace } from '@authbridge/test-utils';
import { inject } from 'vitest';
import { createRedisStore, type RedisStore } from './index.js';

const url = inject('redisUrl');

runStoreRace('Redis', {
  worker: join(import.meta.dirname, '../test/race-worker.ts'),
  env: { RACE_REDIS_URL: url },
  createStore: () => createRedisStore({ url, prefix: 'race:' }),
  disposeStore: (store) => (store as RedisStore).close(),
  replayKey: (claim) => replayKey(claim as Parameters<typeof replayKey>[0]),
});
