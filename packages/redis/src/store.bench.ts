import { createMemoryStore, type KeyValueStore } from '@authbridge/core';
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

let counter = 0;
async function validate(store: KeyValueStore): Promise<void> {
  const key = `app:nonce:${counter++}`;
  if (!(await store.setIfAbsent(key, '1', 60_000))) throw new Error(`setIfAbsent refused fresh key ${key}`);
  if ((await store.consume(key)) !== '1') throw new Error(`consume lost key ${key}`);
}

async function validateConcurrently(store: KeyValueStore): Promise<void> {
  await Promise.all(Array.from({ length: CONCURRENT }, () => validate(store)));
}

describe('one validation at a time (setIfAbsent + consume)', () => {
  bench('memory store', () => validate(memory), options);
  bench('redis store (loopback)', () => validate(redis), options);
});

describe(`${CONCURRENT} validations in flight (one op = ${CONCURRENT} validations)`, () => {
  bench('memory store', () => validateConcurrently(memory), options);
  bench('redis store (loopback, one connection)', () => validateConcurrently(redis), options);
});
