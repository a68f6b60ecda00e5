import type { KeyValueStore } from '@authbridge/core';

let counter = 0;

/**
 * One benchmark step of a store: write a one-time record under a fresh key and consume it (what a
 * nonce an app issues costs: setIfAbsent at the challenge, consume at the login). Throws if the store
 * refuses the fresh key or loses it, so a broken store fails the run instead of looking fast.
 *
 * @example
 * ```ts
 * bench('redis store', () => writeAndConsume(store));
 * ```
 */
export async function writeAndConsume(store: KeyValueStore): Promise<void> {
  const key = `app:nonce:${process.pid}:${counter++}`;
  if (!(await store.setIfAbsent(key, '1', 60_000))) throw new Error(`setIfAbsent refused fresh key ${key}`);
  if ((await store.consume(key)) !== '1') throw new Error(`consume lost key ${key}`);
}
