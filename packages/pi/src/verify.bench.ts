/**
 * What a Pi login costs the app's CPU, against a minimal loopback `/v2/me` in its own process (so only
 * the client's work counts): `pi().verify` without the cache against the axios call pi-backend users
 * write (CPU time), and a cache hit against the same hit keyed by an awaited Web Crypto digest, as it
 * was before the synchronous hash (wall time). Interleaved rounds, medians; each ratio is printed
 * beside its target.
 */
import { createTtlCache, sha256Hex } from '@authbridge/core';
import { cpuPerOp, micros, reportRatio, startLoopbackServer, wallPerOp } from '@authbridge/test-utils';
import axios from 'axios';
import ky from 'ky';
import { afterAll, bench, describe } from 'vitest';
import { pi } from './pi.js';
import type { PiUser } from './wire.js';

const TOKEN = 'pioneer-access-token-0123456789abcdef';
const validUntil = Math.floor(Date.now() / 1000) + 86_400;
const ME: PiUser = {
  uid: 'uid-alice',
  username: 'alice',
  credentials: {
    scopes: ['username', 'payments'],
    valid_until: { timestamp: validUntil, iso8601: new Date(validUntil * 1000).toISOString() },
  },
};
const server = await startLoopbackServer({ '/v2/me': ME });
afterAll(() => server.close());

const uncached = pi({ apiKey: 'bench-api-key', baseUrl: server.url });
const cached = pi({
  apiKey: 'bench-api-key',
  baseUrl: server.url,
  cache: { ttlMs: 600_000, maxEntries: 10 },
});
await cached.verify(TOKEN);

/** A cache hit as it was: the same shape check, an awaited Web Crypto digest for the key, a fresh result. */
const before = createTtlCache<PiUser>({ maxEntries: 10 });
before.set(await sha256Hex(TOKEN), ME, Date.now() + 600_000);
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;
async function cachedVerifyBefore(token: string) {
  if (token.length > 4096 || !TOKEN_SHAPE.test(token)) throw new Error('malformed');
  const user = before.get(await sha256Hex(token));
  if (!user) throw new Error('the copy must hit its cache');
  const { valid_until: until, scopes } = user.credentials;
  return {
    provider: 'pi',
    subject: user.uid,
    username: user.username,
    expiresAt: new Date(until.timestamp * 1000),
    claims: { uid: user.uid, scopes: [...scopes], validUntil: { ...until } },
  };
}

const network = {
  verify: async () => {
    await uncached.verify(TOKEN);
  },
  // The transport under verify, alone: the floor under the ratio to axios.
  ky: async () => {
    const data = await ky
      .get(`${server.url}/v2/me`, { headers: { authorization: `Bearer ${TOKEN}` } })
      .json<PiUser>();
    if (data.uid !== ME.uid) throw new Error('ky must read the same user');
  },
  axios: async () => {
    const { data } = await axios.get(`${server.url}/v2/me`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    if ((data as PiUser).uid !== ME.uid) throw new Error('axios must read the same user');
  },
};
const hits = {
  now: async () => {
    await cached.verify(TOKEN);
  },
  before: async () => {
    await cachedVerifyBefore(TOKEN);
  },
};
for (const run of [...Object.values(network), ...Object.values(hits)]) await run();

const net = await cpuPerOp(network, { rounds: 15, opsPerRound: 200 });
reportRatio(
  'pi.verify-uncached/axios',
  net.verify / net.axios,
  { max: 1 },
  `${micros(net.verify)} vs ${micros(net.axios)} CPU per verify; the floor, ky alone (the transport): ${(net.ky / net.axios).toFixed(2)}x axios`,
);
// A hit is measured in wall time: the awaited digest's cost is mostly the wait for the thread pool.
const hit = await wallPerOp(hits, { rounds: 15, opsPerRound: 5000 });
reportRatio(
  'pi.verify-cache-hit-speedup',
  hit.before / hit.now,
  { min: 5 },
  `${micros(hit.now)} now vs ${micros(hit.before)} with the awaited digest, wall time per hit`,
);

describe('pi verify of one access token (wall time)', () => {
  const options = { time: 1000, warmupTime: 200 };
  bench('without cache (GET /v2/me every time)', network.verify, options);
  bench('axios.get /v2/me', network.axios, options);
  bench('with cache (a hit)', hits.now, options);
});
