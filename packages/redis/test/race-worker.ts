// One contender of the multi-process race test (runStoreRace of @authbridge/test-utils): one app
// instance with its own Redis connection, whose Magic provider keeps its replay records in Redis.
import { magic } from '@authbridge/magic';
import { serveRaceWorker } from '@authbridge/test-utils';
import { createRedisStore } from '../src/index.js';

const url = process.env.RACE_REDIS_URL;
if (!url) {
  console.error('race-worker needs RACE_REDIS_URL.');
  process.exit(2);
}
const store = createRedisStore({ url, prefix: 'race:', timeoutMs: 2000 });
await serveRaceWorker({
  store,
  close: () => store.close(),
  magic: (keys) => magic({ ...keys, replayStore: store }),
});
