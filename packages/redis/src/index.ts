export { DEFAULT_PREFIX, redisKey } from './redis-key.js';
export {
  createRedisStore,
  DEFAULT_STORE_TIMEOUT_MS,
  type RedisClient,
  type RedisStore,
  type RedisStoreOptions,
} from './redis-store.js';
