import { ConfigurationError } from '@authbridge/core';

/** The prefix every key gets unless the app chooses its own. */
export const DEFAULT_PREFIX = 'authbridge:';

/**
 * Checks a key prefix. Braces are refused because Redis Cluster hashes only the text inside the
 * first `{...}` of a key: a brace in the prefix would become every key's hash tag and put every
 * nonce and replay record of the app on one slot, so one shard would take all the load.
 *
 * Errors: `ERR_CONFIG` when the prefix is not a string or contains `{` or `}`.
 */
export function assertPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new ConfigurationError('A Redis key prefix must be a string without "{" or "}".', {
      details: 'Redis Cluster would hash only the text between the braces, putting every key on one slot.',
    });
  }
}

/**
 * The Redis key of a logical store key: `prefix{key}`, with `%`, `{` and `}` of the logical key
 * percent-encoded.
 *
 * The whole logical key is the hash tag, so its Cluster slot depends on the logical key alone, not on
 * the prefix, and a brace inside an app's key (`nonce:{a}`) cannot shrink the tag to part of the key
 * and pile unrelated keys onto one slot. The encoding is injective, so two different logical keys
 * never share a Redis key. Every command touches exactly one key, so no command can be cross-slot.
 *
 * Errors: none; any string is a valid logical key.
 *
 * @example
 * ```ts
 * redisKey('authbridge:', 'app:nonce:3f9a'); // 'authbridge:{app:nonce:3f9a}'
 * redisKey('app:', 'x:{a}'); // 'app:{x:%7Ba%7D}'
 * ```
 */
export function redisKey(prefix: string, key: string): string {
  const tag = key.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${prefix}{${tag}}`;
}
