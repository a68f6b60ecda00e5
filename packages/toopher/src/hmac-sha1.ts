import { bytesToBase64, utf8ToBytes } from '@authbridge/core';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';

/**
 * Base64 HMAC-SHA1 of UTF-8 `message` under UTF-8 `key`. Synchronous and free of Node APIs, because
 * `oauth-1.0a` calls its hash function synchronously and the package must run in browsers and workers.
 */
export function hmacSha1Base64(key: string, message: string): string {
  return bytesToBase64(hmac(sha1, utf8ToBytes(key), utf8ToBytes(message)));
}

/**
 * {@link hmacSha1Base64} under one fixed key: the keyed state (the padded key through the inner and
 * outer hash) is computed once and copied for each message, which saves two SHA-1 blocks per call.
 */
export function keyedHmacSha1Base64(key: string): (message: string) => string {
  const keyed = hmac.create(sha1, utf8ToBytes(key));
  return (message) => bytesToBase64(keyed.clone().update(utf8ToBytes(message)).digest());
}
