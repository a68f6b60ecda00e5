import { createMemoryStore, type KeyValueStore } from '@authbridge/core';
import { writeAndConsume } from '@authbridge/test-utils';
import { afterAll, bench, describe, inject } from 'vitest';
import { createRedisStore } from './index.js';

// The store's share of one login, and only that: write a one-time record and consume it (as an app
// does with a nonce it issues itself: setIfAbsent at the challenge, consume at the login), two round
// trips to Redis. No token is checked here. A Magic or Toopher login with a replay store costs one of
// the two (setIfAbsent); Picket nonces live on Picket's servers and never touch this store. Both stores
// do the same work on the same keys; the Redis one talks to the throwaway loopback redis-server of the
// global setup.
const memory = createMemoryStore({ maxEntries: 1_000_000 });
const redis = createRedisStore({ url: inject('redisUrl'), prefix: 'bench:' });
const options = { time: 3000, warmupTime: 500 };
const CONCURRENT = 64;

afterAll(async () => {
  await redis.close();
});

async function validateConcurrently(store: KeyValueStore): Promise<void> {
  await Promise.all(Array.from({ length: CONCURRENT }, () => writeAndConsume(store)));
}

describe('one validation at a time (setIfAbsent + consume)', () => {
  bench('memory store', () => writeAndConsume(memory), options);
  bench('redis store (loopback)', () => writeAndConsume(redis), options);
});

describe(`${CONCURRENT} validations in flight (one op = ${CONCURRENT} validations)`, () => {
  bench('memory store', () => validateConcurrently(memory), options);
  bench('redis store (loopback, one connection)', () => validateConcurrently(redis), options);
});
